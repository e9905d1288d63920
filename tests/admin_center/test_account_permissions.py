"""Every Integrations and Account page and button refuses agents without its capability (403), light agents included."""

from __future__ import annotations

import pytest
from django.urls import reverse

from comptoir.api.models import ApiToken
from comptoir.core.models import AuditEntry, HelpdeskSettings, Role
from comptoir.core.permissions import ROLE_CAPABILITIES
from tests.factories import make_agent, make_token

pytestmark = pytest.mark.django_db

ROLES = [Role.AGENT, Role.SUPERVISOR, Role.LIGHT_AGENT]


@pytest.fixture
def token():
    make_token(make_agent(name="Paul Durand"))
    return ApiToken.objects.get()


def _urls(token):
    return {
        "admin.settings": [reverse("admin_center:branding"), reverse("admin_center:audit"), reverse("admin_center:export")],
        "admin.agents": [reverse("admin_center:api-tokens"), reverse("admin_center:api-tokens-revoke", args=[token.pk])],
    }


@pytest.mark.parametrize("role", ROLES)
def test_every_page_refuses_a_get_without_the_capability(client, token, role):
    client.force_login(make_agent(role=role))
    for capability, urls in _urls(token).items():
        assert capability not in ROLE_CAPABILITIES[role]
        for url in urls:
            assert client.get(url).status_code == 403, url


@pytest.mark.parametrize("role", ROLES)
def test_every_page_refuses_a_post_without_the_capability(client, token, role):
    client.force_login(make_agent(role=role))
    for urls in _urls(token).values():
        for url in urls:
            assert client.post(url, {"name": "Hacked", "primary_color": "#000000", "accent_color": "#000000",
                                     "default_locale": "en", "time_zone": "UTC"}).status_code == 403, url
    assert not HelpdeskSettings.objects.exists()
    token.refresh_from_db()
    assert token.revoked_at is None
    assert not AuditEntry.objects.exists()


def test_an_anonymous_visitor_is_sent_to_sign_in(client, token):
    for urls in _urls(token).values():
        for url in urls:
            assert client.get(url).status_code == 302


def test_the_logo_is_public_but_holds_nothing_else(client):
    """The one ungated address: it serves the logo file only (404 until there is one)."""
    assert client.get(reverse("admin_center:branding-logo")).status_code == 404
