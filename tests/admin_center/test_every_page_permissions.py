"""The permission matrix over the admin center's map: every page in the navigation, whoever owns it.

The list of pages comes from `navigation.SECTIONS`, so a page added to the map
is checked here without anyone writing a test for it.
"""

from __future__ import annotations

import pytest
from django.urls import NoReverseMatch, reverse

from comptoir.admin_center.navigation import SECTIONS
from comptoir.core.models import Role
from comptoir.core.permissions import ROLE_CAPABILITIES
from tests.factories import make_agent

pytestmark = pytest.mark.django_db


def _existing_pages():
    pages = []
    for section in SECTIONS:
        for page in section.pages:
            try:
                pages.append(pytest.param(page, reverse(page.url_name), id=page.key))
            except NoReverseMatch:
                continue
    return pages


PAGES = _existing_pages()


def test_the_map_lists_pages_that_exist():
    assert len(PAGES) >= 5


@pytest.mark.parametrize(("page", "url"), PAGES)
@pytest.mark.parametrize("role", [Role.AGENT, Role.SUPERVISOR, Role.LIGHT_AGENT])
def test_an_agent_without_the_capability_gets_403(client, role, page, url):
    assert page.capability not in ROLE_CAPABILITIES[role]
    client.force_login(make_agent(role=role))
    assert client.get(url).status_code == 403
    assert client.post(url, {}).status_code in (403, 405)


@pytest.mark.parametrize(("page", "url"), PAGES)
def test_an_admin_opens_every_page(client, page, url):
    client.force_login(make_agent(role=Role.OWNER))
    response = client.get(url)
    assert response.status_code == 200, url
    assert b'class="sidebar admin-nav"' in response.content


@pytest.mark.parametrize(("page", "url"), PAGES)
def test_a_deactivated_admin_is_refused(client, settings, page, url):
    """Even with a backend that keeps inactive users signed in, the gate itself refuses them."""
    settings.AUTHENTICATION_BACKENDS = ["django.contrib.auth.backends.AllowAllUsersModelBackend"]
    admin = make_agent(role=Role.ADMIN)
    make_agent(role=Role.OWNER)
    admin.is_active = False
    admin.save(update_fields=["is_active"])
    client.force_login(admin, backend="django.contrib.auth.backends.AllowAllUsersModelBackend")
    assert client.get(url).status_code == 403
