"""The account menu leads to every page an agent or an admin may need, and only those."""

from __future__ import annotations

import pytest

from comptoir.core.models import Role
from tests.factories import make_agent

pytestmark = pytest.mark.django_db

ADMIN_PAGES = ["/agent/webhooks/", "/agent/casework/approvals/policy/", "/agent/admin/channels/email/",
               "/agent/admin/channels/email/failed/", "/agent/admin/channels/email/spam/"]
EVERYONE = ["/agent/casework/activities/", "/agent/casework/approvals/"]


def test_an_admin_sees_and_can_open_every_menu_page(client):
    client.force_login(make_agent(role=Role.ADMIN))
    page = client.get("/agent/").content.decode()
    for url in EVERYONE + ADMIN_PAGES:
        assert f'href="{url}"' in page, url
        assert client.get(url).status_code == 200, url


def test_an_agent_sees_their_own_pages_but_no_administration(client):
    client.force_login(make_agent(role=Role.AGENT))
    page = client.get("/agent/").content.decode()
    for url in EVERYONE:
        assert f'href="{url}"' in page, url
        assert client.get(url).status_code == 200, url
    for url in ADMIN_PAGES:
        assert f'href="{url}"' not in page, url
