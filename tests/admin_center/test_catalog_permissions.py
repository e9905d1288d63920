"""Every page and button of the Tickets catalog needs "admin.settings": others get 403, GET or POST."""

from __future__ import annotations

import pytest
from django.urls import reverse

from comptoir.core.models import Role
from comptoir.core.permissions import ROLE_CAPABILITIES
from comptoir.tickets.models import Status
from tests.factories import make_agent, make_ticket

pytestmark = pytest.mark.django_db

URLS = [
    ("admin_center:statuses", None),
    ("admin_center:statuses-new", None),
    ("admin_center:statuses-edit", "status"),
    ("admin_center:statuses-reorder", "status"),
    ("admin_center:statuses-replace", "status"),
    ("admin_center:statuses-delete", "status"),
    ("admin_center:categories", None),
    ("admin_center:categories-new", None),
    ("admin_center:categories-edit", "category"),
    ("admin_center:categories-delete", "category"),
    ("admin_center:products", None),
    ("admin_center:products-new", None),
    ("admin_center:products-edit", "product"),
    ("admin_center:products-delete", "product"),
    ("admin_center:tags", None),
    ("admin_center:tags-edit", "tag"),
    ("admin_center:tags-merge", "tag"),
    ("admin_center:tags-delete", "tag"),
]


@pytest.fixture
def rows():
    from comptoir.contacts import actions as contact_actions
    from comptoir.tickets import actions

    admin = make_agent(role=Role.ADMIN)
    ticket = make_ticket(tags=["billing"])
    return {
        "status": Status.objects.get(name="Open").pk,
        "category": actions.create_category(name="Billing", actor=admin, via="test").pk,
        "product": contact_actions.create_product(name="Mobile app", actor=admin, via="test").pk,
        "tag": ticket.tags.get().pk,
    }


def _url(name, row, rows):
    return reverse(name, args=[rows[row]] if row else [])


@pytest.mark.parametrize(("name", "row"), URLS, ids=[name for name, _row in URLS])
@pytest.mark.parametrize("role", [Role.AGENT, Role.LIGHT_AGENT, Role.SUPERVISOR])
def test_an_agent_without_the_settings_capability_gets_403(client, rows, role, name, row):
    assert "admin.settings" not in ROLE_CAPABILITIES[role]
    client.force_login(make_agent(role=role))
    url = _url(name, row, rows)
    assert client.get(url).status_code == 403
    assert client.post(url, {"name": "x", "direction": "up", "target": "x"}).status_code == 403


@pytest.mark.parametrize(("name", "row"), URLS, ids=[name for name, _row in URLS])
def test_an_admin_is_let_in(client, rows, name, row):
    client.force_login(make_agent(role=Role.ADMIN))
    assert client.get(_url(name, row, rows)).status_code in (200, 405)  # buttons answer POST only
