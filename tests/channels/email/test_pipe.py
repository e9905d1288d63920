"""`comptoir ingest_email` as an MTA pipe: exit codes tell the MTA whether to retry."""

from __future__ import annotations

import pytest

from tests.channels.email.conftest import build_mail

pytestmark = pytest.mark.email_servers


def test_a_piped_message_is_stored_and_becomes_a_ticket(file_db):
    result = file_db.comptoir("ingest_email", stdin=build_mail())

    assert result.returncode == 0, result.stderr.decode()
    assert file_db.query("SELECT source, state FROM email_channel_inboundemail") == [("pipe", "ingested")]
    assert file_db.query("SELECT subject FROM tickets_ticket") == [("The app crashes on start",)]


def test_an_unparseable_message_is_accepted_and_kept_as_failed(file_db):
    result = file_db.comptoir("ingest_email", stdin=b"\x00\x01\x02 garbage without headers")

    assert result.returncode == 0
    [(state, error)] = file_db.query("SELECT state, error FROM email_channel_inboundemail")
    assert state == "failed" and error


def test_a_database_outage_asks_the_mta_to_retry(file_db):
    file_db.path = file_db.data_dir / "missing-dir" / "db.sqlite3"

    result = file_db.comptoir("ingest_email", stdin=build_mail())

    assert result.returncode == 75


def test_the_same_message_piped_twice_is_one_ticket(file_db):
    raw = build_mail()
    file_db.comptoir("ingest_email", stdin=raw)
    result = file_db.comptoir("ingest_email", stdin=raw)

    assert result.returncode == 0
    assert file_db.query("SELECT count(*) FROM email_channel_inboundemail") == [(1,)]
    assert file_db.query("SELECT count(*) FROM tickets_ticket") == [(1,)]


def test_empty_input_is_a_data_error(file_db):
    assert file_db.comptoir("ingest_email", stdin=b"").returncode == 65
