"""Channels › Email in the admin center: mailboxes and header rules, changed through the channel's actions."""

from __future__ import annotations

import pytest

from comptoir.channels.email import actions
from comptoir.channels.email.models import HeaderAction, HeaderRule, Mailbox
from comptoir.core.models import AuditEntry, Role
from tests.channels.email.conftest import dovecot as dovecot  # a fixture, requested by name
from tests.channels.email.conftest import free_port
from tests.factories import make_agent, make_department

pytestmark = pytest.mark.django_db

EMAIL = "/agent/admin/channels/email/"
MAILBOX_FORM = {"name": "Support", "host": "imap.acme.test", "port": "993", "security": "ssl",
                "username": "help@acme.test", "password": "s3cret", "folder": "INBOX", "after_processing": "seen",
                "active": "on"}


@pytest.fixture
def admin(client):
    agent = make_agent(role=Role.ADMIN)
    client.force_login(agent)
    return agent


def _mailbox(admin, **fields):
    return actions.create_mailbox(**{"name": "Support", "host": "imap.acme.test", "username": "help@acme.test",
                                     "password": "s3cret", **fields}, actor=admin, via="test")


def test_an_empty_email_page_explains_what_to_add(client, admin):
    page = client.get(EMAIL).content.decode()
    assert "No mailboxes yet." in page
    assert "No header rules yet." in page
    assert f'href="{EMAIL}mailboxes/new/"' in page


def test_an_admin_adds_a_mailbox_and_the_audit_log_says_who(client, admin):
    department = make_department()
    response = client.post(f"{EMAIL}mailboxes/new/", {**MAILBOX_FORM, "department": department.pk})

    assert response.status_code == 302
    mailbox = Mailbox.objects.get()
    assert (mailbox.name, mailbox.department, mailbox.get_password()) == ("Support", department, "s3cret")
    entry = AuditEntry.objects.get(kind="mailbox.created")
    assert (entry.actor_agent, entry.via) == (admin, "admin")
    assert "s3cret" not in str(entry.changes)


def test_editing_a_mailbox_without_a_password_keeps_the_stored_one(client, admin):
    mailbox = _mailbox(admin)
    response = client.post(f"{EMAIL}mailboxes/{mailbox.pk}/", {**MAILBOX_FORM, "host": "imap2.acme.test", "password": ""})

    assert response.status_code == 302
    mailbox.refresh_from_db()
    assert (mailbox.host, mailbox.get_password()) == ("imap2.acme.test", "s3cret")
    assert AuditEntry.objects.get(kind="mailbox.updated").changes == {"host": ["imap.acme.test", "imap2.acme.test"]}


def test_a_port_that_is_not_a_number_is_refused_next_to_the_field(client, admin):
    response = client.post(f"{EMAIL}mailboxes/new/", {**MAILBOX_FORM, "port": "not a port"}, HTTP_HX_REQUEST="true")

    assert response.status_code == 422
    assert 'id="id_port_error"' in response.content.decode()
    assert not Mailbox.objects.exists()


def test_the_edit_form_never_shows_the_stored_password(client, admin):
    mailbox = _mailbox(admin)
    page = client.get(f"{EMAIL}mailboxes/{mailbox.pk}/").content.decode()
    assert "s3cret" not in page
    assert 'value="imap.acme.test"' in page


@pytest.mark.email_servers
def test_testing_a_mailbox_signs_in_to_the_real_imap_server(client, admin, dovecot):
    mailbox = _mailbox(admin, host=dovecot.host, port=dovecot.port, security="none", username=dovecot.user,
                       password=dovecot.password)
    page = client.post(f"{EMAIL}mailboxes/{mailbox.pk}/test/").content.decode()
    assert "Connected and signed in to 127.0.0.1." in page


def test_testing_a_mailbox_that_cannot_be_reached_says_why(client, admin):
    mailbox = _mailbox(admin, host="127.0.0.1", port=free_port(), security="none")
    page = client.post(f"{EMAIL}mailboxes/{mailbox.pk}/test/").content.decode()
    assert "The connection failed" in page
    assert "pill--off" in page


def test_an_admin_edits_a_header_rule(client, admin):
    rule = actions.create_header_rule(name="Lists", header="List-Id", action=HeaderAction.SPAM, actor=admin, via="test")
    response = client.post(f"{EMAIL}header-rules/{rule.pk}/", {"name": "Lists", "header": "List-Id", "pattern": "news",
                                                                 "action": HeaderAction.SKIP, "position": "0"})
    assert response.status_code == 302
    rule.refresh_from_db()
    assert (rule.pattern, rule.action, rule.active) == ("news", HeaderAction.SKIP, False)
    changes = AuditEntry.objects.get(kind="header_rule.updated").changes
    assert changes["pattern"] == ["", "news"]
    assert changes["action"] == ["spam", "skip"]


def test_a_header_rule_with_a_broken_pattern_shows_the_actions_message_next_to_it(client, admin):
    response = client.post(f"{EMAIL}header-rules/new/", {"name": "Broken", "header": "Subject", "pattern": "([",
                                                           "action": HeaderAction.SKIP, "position": "0"})
    page = response.content.decode()
    assert response.status_code == 422
    assert 'id="id_pattern_error"' in page
    assert "Not a valid regular expression" in page
    assert not HeaderRule.objects.exists()


def test_deleting_a_header_rule_is_audited(client, admin):
    rule = actions.create_header_rule(name="Lists", header="List-Id", actor=admin, via="test")
    assert client.post(f"{EMAIL}header-rules/{rule.pk}/delete/").status_code == 302
    assert not HeaderRule.objects.exists()
    assert AuditEntry.objects.get(kind="header_rule.deleted").changes["name"] == ["Lists", None]


@pytest.mark.parametrize(("old", "new"), [
    ("/agent/email/settings/", EMAIL),
    ("/agent/email/failed/", f"{EMAIL}failed/"),
    ("/agent/email/spam/", f"{EMAIL}spam/"),
])
def test_the_old_addresses_lead_to_the_admin_center(client, admin, old, new):
    response = client.get(old)
    assert (response.status_code, response["Location"]) == (302, new)


def test_the_old_addresses_stay_closed_to_agents(client):
    client.force_login(make_agent(role=Role.AGENT))
    assert client.get("/agent/email/settings/").status_code == 403
