"""Every page and button of Channels needs "admin.settings": agents and light agents get 403, GET or POST."""

from __future__ import annotations

import pytest
from django.urls import reverse

from comptoir.channels.email import actions
from comptoir.core.models import Role
from comptoir.core.permissions import ROLE_CAPABILITIES
from tests.factories import make_agent

pytestmark = pytest.mark.django_db

URLS = [
    ("admin_center:email", {}),
    ("admin_center:email-failed", {}),
    ("admin_center:email-spam", {}),
    ("admin_center:email-retry", {"pk": 1}),
    ("admin_center:email-release", {"pk": 1}),
    ("admin_center:mailbox-new", {}),
    ("admin_center:mailbox-edit", {"pk": "mailbox"}),
    ("admin_center:mailbox-delete", {"pk": "mailbox"}),
    ("admin_center:mailbox-test", {"pk": "mailbox"}),
    ("admin_center:header-rule-new", {}),
    ("admin_center:header-rule-edit", {"pk": "rule"}),
    ("admin_center:header-rule-delete", {"pk": "rule"}),
    ("admin_center:notification-templates", {}),
    ("admin_center:notification-templates-edit", {"event": "confirmation", "locale": "en"}),
    ("admin_center:notification-templates-preview", {"event": "confirmation", "locale": "en"}),
    ("admin_center:notification-templates-reset", {"event": "confirmation", "locale": "en"}),
    ("admin_center:confirmations", {}),
    ("email_channel:settings", {}),
    ("email_channel:failed", {}),
    ("email_channel:spam", {}),
]


@pytest.fixture
def rows():
    admin = make_agent(role=Role.ADMIN)
    mailbox = actions.create_mailbox(name="Support", host="imap.acme.test", username="help@acme.test", actor=admin, via="test")
    rule = actions.create_header_rule(name="Lists", header="List-Id", actor=admin, via="test")
    return {"mailbox": mailbox.pk, "rule": rule.pk}


def _url(name, kwargs, rows):
    return reverse(name, kwargs={k: rows.get(v, v) if isinstance(v, str) else v for k, v in kwargs.items()})


@pytest.mark.parametrize(("name", "kwargs"), URLS, ids=[name for name, _kw in URLS])
@pytest.mark.parametrize("role", [Role.AGENT, Role.LIGHT_AGENT, Role.SUPERVISOR])
def test_an_agent_without_the_settings_capability_gets_403(client, rows, role, name, kwargs):
    assert "admin.settings" not in ROLE_CAPABILITIES[role]
    client.force_login(make_agent(role=role))
    url = _url(name, kwargs, rows)
    assert client.get(url).status_code == 403
    assert client.post(url, {"name": "x", "subject": "x", "body_text": "x", "department": "1"}).status_code == 403


@pytest.mark.parametrize(("name", "kwargs"), [u for u in URLS if not u[0].startswith("email_channel:")],
                         ids=[name for name, _kw in URLS if not name.startswith("email_channel:")])
def test_an_admin_is_let_in(client, rows, name, kwargs):
    client.force_login(make_agent(role=Role.ADMIN))
    response = client.get(_url(name, kwargs, rows))
    assert response.status_code in (200, 405)  # buttons answer POST only
