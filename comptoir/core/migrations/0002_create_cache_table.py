"""Create the table of the database cache, the default cache when REDIS_URL is not set.

Presence, API rate limits and cached counts must be shared by every web worker;
without Redis they live in this table (settings.CACHE_TABLE). It is created here,
whatever cache is configured today, so that switching Redis off later needs no
extra command: `migrate` (run by `make run` and the test set-up) is enough.
"""

from django.core.management import call_command
from django.db import migrations

CACHE_TABLE = "comptoir_cache"


def create_cache_table(apps, schema_editor):
    # createcachetable skips a table that already exists.
    call_command("createcachetable", CACHE_TABLE, database=schema_editor.connection.alias, verbosity=0)


def drop_cache_table(apps, schema_editor):
    connection = schema_editor.connection
    if CACHE_TABLE in connection.introspection.table_names():
        schema_editor.execute(f"DROP TABLE {connection.ops.quote_name(CACHE_TABLE)}")


class Migration(migrations.Migration):

    dependencies = [
        ("core", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(create_cache_table, drop_cache_table),
    ]
