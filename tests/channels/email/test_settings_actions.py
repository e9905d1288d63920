"""Mailboxes and header rules change through channels.email.actions; the admin center's pages only parse and call."""

from __future__ import annotations

import pytest

from comptoir.channels.email import actions
from comptoir.channels.email.models import HeaderAction, HeaderRule, Mailbox
from comptoir.core.actors import SYSTEM
from comptoir.core.errors import PermissionDenied, ValidationFailed
from comptoir.core.models import Role
from tests.factories import make_agent

pytestmark = pytest.mark.django_db

SETTINGS_URL = "/agent/admin/channels/email/"


@pytest.fixture
def admin_client(client):
    client.force_login(make_agent(role=Role.ADMIN))
    return client


def _rule(name="Newsletters"):
    return actions.create_header_rule(name=name, header="List-Unsubscribe", pattern="", action=HeaderAction.SPAM,
                                      actor=SYSTEM, via="test")


def _mailbox():
    return actions.create_mailbox(name="Support", host="imap.acme.test", username="help@acme.test", password="s3cret",
                                  actor=SYSTEM, via="test")


@pytest.mark.parametrize("path", ["header-rules/999/delete/", "mailboxes/999/delete/"])
def test_deleting_a_row_that_is_already_gone_is_not_found(admin_client, path):
    _rule()
    _mailbox()

    response = admin_client.post(SETTINGS_URL + path)

    assert response.status_code == 404
    assert (HeaderRule.objects.count(), Mailbox.objects.count()) == (1, 1)


def test_an_admin_deletes_a_mailbox_from_the_page(admin_client):
    mailbox = _mailbox()

    response = admin_client.post(f"{SETTINGS_URL}mailboxes/{mailbox.pk}/delete/")

    assert response.status_code == 302
    assert not Mailbox.objects.exists()


def test_an_agent_cannot_add_a_header_rule_through_the_action():
    with pytest.raises(PermissionDenied):
        actions.create_header_rule(name="Mine", header="Subject", pattern="x", actor=make_agent(role=Role.AGENT), via="web")

    assert not HeaderRule.objects.exists()


def test_a_rule_with_a_broken_regular_expression_is_refused_by_the_action():
    with pytest.raises(ValidationFailed) as refused:
        actions.create_header_rule(name="Broken", header="Subject", pattern="([", actor=SYSTEM, via="test")

    assert refused.value.fields == {"pattern": "invalid"}
    assert not HeaderRule.objects.exists()


def test_a_mailbox_password_is_stored_encrypted_by_the_action():
    mailbox = _mailbox()

    assert "s3cret" not in mailbox.password_encrypted
    assert mailbox.get_password() == "s3cret"
