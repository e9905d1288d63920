from django.db import migrations, models


class Migration(migrations.Migration):
    """Index InboundEmail.header_message_id (the ticket page finds each message's raw original by it).

    Values longer than 255 characters are cut first, as the intake now does, so that every
    value fits a PostgreSQL index entry.
    """

    dependencies = [
        ("email_channel", "0001_initial"),
    ]

    operations = [
        migrations.RunSQL(
            "UPDATE email_channel_inboundemail SET header_message_id = SUBSTR(header_message_id, 1, 255) "
            "WHERE LENGTH(header_message_id) > 255",
            reverse_sql=migrations.RunSQL.noop,
        ),
        migrations.AddIndex(
            model_name="inboundemail",
            index=models.Index(fields=["header_message_id"], name="inbound_message_id"),
        ),
    ]
