"""The admin center's frame: who enters, its grouped navigation, breadcrumbs and the settings search."""

from __future__ import annotations

import pytest

from comptoir.core.models import Role
from tests.factories import make_agent

pytestmark = pytest.mark.django_db

SECTIONS_IN_ORDER = ["Team", "Tickets", "Channels", "Business rules", "Help center", "Integrations", "Account"]


def test_an_admin_sees_every_section_in_zendesk_order(client):
    client.force_login(make_agent(role=Role.ADMIN))
    page = client.get("/agent/admin/").content.decode()
    positions = [page.index(f'<h2 class="admin-nav__section">{title}</h2>') for title in SECTIONS_IN_ORDER]
    assert positions == sorted(positions)


@pytest.mark.parametrize("role", [Role.AGENT, Role.SUPERVISOR, Role.LIGHT_AGENT])
def test_agents_without_an_admin_capability_are_refused(client, role):
    client.force_login(make_agent(role=role))
    assert client.get("/agent/admin/").status_code == 403
    assert client.get("/agent/admin/search/?q=email").status_code == 403


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get("/agent/admin/")
    assert response.status_code == 302
    assert "next=/agent/admin/" in response["Location"]


def test_the_search_finds_a_setting_by_a_word_of_its_description(client):
    client.force_login(make_agent(role=Role.ADMIN))
    page = client.get("/agent/admin/search/", {"q": "imap"}, HTTP_HX_REQUEST="true").content.decode()
    assert "/agent/admin/channels/email/" in page
    assert "Webhooks" not in page


def test_the_search_speaks_the_readers_language(client):
    agent = make_agent(role=Role.ADMIN)
    client.force_login(agent)
    client.cookies["django_language"] = "fr"
    page = client.get("/agent/admin/search/", {"q": "jetons"}, HTTP_HX_REQUEST="true").content.decode()
    assert "Jetons d’API" in page or "Jetons d&#x27;API" in page  # the template escapes the apostrophe


def test_the_search_says_when_nothing_matches(client):
    client.force_login(make_agent(role=Role.ADMIN))
    page = client.get("/agent/admin/search/", {"q": "zzz-nothing"}).content.decode()
    assert "No setting matches" in page


def test_a_page_of_another_app_shows_the_admin_navigation_and_its_breadcrumb(client):
    client.force_login(make_agent(role=Role.ADMIN))
    page = client.get("/agent/webhooks/").content.decode()
    assert 'class="sidebar admin-nav"' in page
    assert 'aria-current="page">Webhooks</li>' in page
