"""Store each contact's primary email on the contact, after normalising stored identities.

Lists showed an unnamed contact by reading its identities, one query per row.
The new column is filled from the identities (the primary one first, then the
oldest email), once they are in the form contacts.identities now writes:
phones in E.164 (national numbers read in COMPTOIR_DEFAULT_PHONE_REGION) and
IDN domains in Unicode. An identity whose new form another one already holds,
or that cannot be read, is left as it is: nothing is lost, agents merge.

The rules are written out here rather than imported, so this migration keeps
running whatever the app code becomes.
"""

import phonenumbers
from django.conf import settings
from django.db import migrations, models
from django.db.models import OuterRef, Subquery
from email_validator import EmailNotValidError, validate_email


def _phone(value, region):
    text = "+" + value[2:] if value.startswith("00") else value
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def _email(value):
    try:
        return validate_email(value, check_deliverability=False, test_environment=True).normalized.lower()
    except EmailNotValidError:
        return None


def normalise_identities(apps, schema_editor):
    ContactIdentity = apps.get_model("contacts", "ContactIdentity")
    region = (getattr(settings, "COMPTOIR_DEFAULT_PHONE_REGION", "") or "").upper() or None
    candidates = [
        ("phone", ContactIdentity.objects.filter(kind="phone"), lambda v: _phone(v, region)),
        # Only IDN domains in ASCII form change; every other address was already lower-cased.
        ("email", ContactIdentity.objects.filter(kind="email", value__contains="xn--"), _email),
    ]
    for kind, rows, normalise in candidates:
        for pk, value in rows.values_list("pk", "value").iterator(chunk_size=2000):
            new = normalise(value)
            if new and new != value and not ContactIdentity.objects.filter(kind=kind, value=new).exists():
                ContactIdentity.objects.filter(pk=pk).update(value=new)


def fill_primary_email(apps, schema_editor):
    Contact = apps.get_model("contacts", "Contact")
    ContactIdentity = apps.get_model("contacts", "ContactIdentity")
    first_email = (
        ContactIdentity.objects.filter(contact=OuterRef("pk"), kind="email").order_by("-is_primary", "id").values("value")[:1]
    )
    Contact.objects.update(primary_email=Subquery(first_email))


class Migration(migrations.Migration):

    dependencies = [
        ('contacts', '0001_initial'),
    ]

    operations = [
        migrations.AddField(
            model_name='contact',
            name='primary_email',
            field=models.CharField(blank=True, editable=False, max_length=254, null=True, verbose_name='email'),
        ),
        migrations.RunPython(normalise_identities, migrations.RunPython.noop),
        migrations.RunPython(fill_primary_email, migrations.RunPython.noop),
    ]
