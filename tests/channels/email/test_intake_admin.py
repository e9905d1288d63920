"""Admins review failed intake and spam in the admin center (Channels › Email): retry, release, download the original."""

from __future__ import annotations

import pytest

from comptoir.channels.email.inbound import ingest_raw
from comptoir.channels.email.models import HeaderAction, HeaderRule, InboundEmail, InboundState
from comptoir.core.models import Role
from comptoir.tickets.models import Ticket
from tests.channels.email.conftest import build_mail
from tests.factories import make_agent

pytestmark = pytest.mark.django_db

FAILED_URL = "/agent/admin/channels/email/failed/"
SPAM_URL = "/agent/admin/channels/email/spam/"


@pytest.fixture
def admin_client(client):
    client.force_login(make_agent(role=Role.ADMIN))
    return client


def test_admins_see_failed_messages_with_their_error(admin_client, department):
    ingest_raw(b"\x00\x01 garbage", source="pipe")

    response = admin_client.get(FAILED_URL)

    assert response.status_code == 200
    assert InboundEmail.objects.get().error in response.content.decode()


def test_the_failed_list_runs_a_constant_number_of_queries(admin_client, department, django_assert_max_num_queries):
    for i in range(30):
        ingest_raw(b"\x00 garbage %d" % i, source="pipe")

    with django_assert_max_num_queries(8):
        response = admin_client.get(FAILED_URL)
    assert response.content.decode().count('id="inbound-') == 30


def test_agents_who_are_not_admins_are_refused(client, department):
    client.force_login(make_agent(role=Role.AGENT))

    assert client.get(FAILED_URL).status_code == 403
    assert client.get(SPAM_URL).status_code == 403


def test_anonymous_visitors_are_sent_to_log_in(client, db):
    assert client.get(FAILED_URL).status_code == 302


def test_releasing_spam_from_the_page_ingests_it(admin_client, department):
    HeaderRule.objects.create(name="Lists", header="List-Id", action=HeaderAction.SPAM)
    row = ingest_raw(build_mail(headers={"List-Id": "<news.client.test>"}), source="pipe")
    assert f'id="inbound-{row.pk}"' in admin_client.get(SPAM_URL).content.decode()

    response = admin_client.post(f"/agent/admin/channels/email/{row.pk}/release/")

    assert response.status_code == 302
    row.refresh_from_db()
    assert row.state == InboundState.INGESTED
    assert Ticket.objects.count() == 1


def test_retrying_a_failed_message_after_the_cause_is_fixed_ingests_it(admin_client, department):
    # The sender address was unusable; an admin repaired the stored copy (as an MTA-side fix would).
    row = ingest_raw(build_mail(sender="not-an-address"), source="pipe")
    assert row.state == InboundState.FAILED
    InboundEmail.objects.filter(pk=row.pk).update(raw=build_mail(sender="casey@client.test"), sha256="x" * 64)

    admin_client.post(f"/agent/admin/channels/email/{row.pk}/retry/")

    row.refresh_from_db()
    assert row.state == InboundState.INGESTED


def test_retrying_a_message_that_still_fails_keeps_it_in_the_list(admin_client, department):
    row = ingest_raw(b"\x00 still garbage", source="pipe")

    admin_client.post(f"/agent/admin/channels/email/{row.pk}/retry/")

    row.refresh_from_db()
    assert (row.state, row.attempts) == (InboundState.FAILED, 2)


def test_the_original_can_be_downloaded_but_is_never_rendered(admin_client, department):
    row = ingest_raw(b"<script>alert(1)</script>", source="pipe")

    response = admin_client.get(f"/agent/email/{row.pk}/raw/")

    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"].startswith("attachment")
    assert response.content == b"<script>alert(1)</script>"


def test_an_admin_adds_a_header_rule_that_then_applies(admin_client, department):
    response = admin_client.post("/agent/admin/channels/email/header-rules/new/", {
        "name": "Newsletters", "header": "List-Unsubscribe", "pattern": "",
        "action": HeaderAction.SPAM, "active": "on", "position": "0",
    })
    assert response.status_code == 302

    row = ingest_raw(build_mail(headers={"List-Unsubscribe": "<mailto:u@n.test>"}), source="pipe")

    assert row.state == InboundState.SPAM


def test_an_invalid_rule_pattern_is_refused_with_a_message(admin_client, department):
    response = admin_client.post("/agent/admin/channels/email/header-rules/new/", {
        "name": "Broken", "header": "Subject", "pattern": "([", "action": HeaderAction.SKIP, "position": "0",
    })

    assert response.status_code == 422
    assert "Not a valid regular expression" in response.content.decode()
    assert HeaderRule.objects.count() == 0


def test_a_mailbox_password_entered_in_the_form_is_stored_encrypted(admin_client, department):
    from comptoir.channels.email.models import Mailbox

    admin_client.post("/agent/admin/channels/email/mailboxes/new/", {
        "name": "Support", "department": department.pk, "host": "imap.acme.test",
        "port": "993", "security": "ssl", "username": "help@acme.test", "password": "s3cret",
        "folder": "INBOX", "after_processing": "seen", "active": "on",
    })

    mailbox = Mailbox.objects.get()
    assert "s3cret" not in mailbox.password_encrypted
    assert mailbox.get_password() == "s3cret"


def test_agents_cannot_open_the_email_settings(client, department):
    client.force_login(make_agent(role=Role.AGENT))

    assert client.get("/agent/admin/channels/email/").status_code == 403
