"""Seed one status per category and the ticket-number counter."""

from django.db import migrations

DEFAULTS = [
    ("New", "new", 0),
    ("Open", "open", 1),
    ("Pending", "pending", 2),
    ("On hold", "on_hold", 3),
    ("Solved", "solved", 4),
    ("Closed", "closed", 5),
]


def seed(apps, schema_editor):
    Status = apps.get_model("tickets", "Status")
    for name, category, position in DEFAULTS:
        Status.objects.get_or_create(name=name, defaults={"category": category, "is_default": True, "position": position})
    Counter = apps.get_model("tickets", "TicketCounter")
    Counter.objects.get_or_create(pk=1, defaults={"last_number": 1000})


class Migration(migrations.Migration):
    dependencies = [("tickets", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
