"""API tokens from the agent's profile: create (shown once), last use, revoke; only one's own."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from comptoir.api.models import ApiToken
from comptoir.api.tokens import issue_token
from comptoir.core.models import Role
from tests.factories import make_agent, make_contact

pytestmark = pytest.mark.django_db


def _secret_in(html: bytes) -> str:
    match = re.search(rb'id="new-token-secret"[^>]*value="([^"]+)"', html)
    assert match, "the new token's secret is not on the page"
    return match.group(1).decode()


def test_the_profile_links_to_the_tokens_page(client):
    client.force_login(make_agent())
    page = client.get(reverse("agent:profile"))
    assert reverse("tokens:list").encode() in page.content


def test_an_agent_creates_a_token_sees_it_once_and_it_works_on_the_api(client):
    agent = make_agent(Role.AGENT)
    client.force_login(agent)

    page = client.post(reverse("tokens:list"), {"name": "CRM sync"})

    assert page.status_code == 200
    assert page["Cache-Control"] == "no-store"
    secret = _secret_in(page.content)
    token = ApiToken.objects.get(agent=agent)
    assert token.name == "CRM sync" and secret.startswith(token.prefix)
    assert secret.encode() not in client.get(reverse("tokens:list")).content  # never shown again
    api = Client()
    me = api.get("/api/v1/agents/me", HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert me.status_code == 200 and me.json()["id"] == agent.pk


def test_last_use_is_shown_after_the_token_is_used(client):
    agent = make_agent()
    _token, secret = issue_token(agent, "Dashboard")
    client.force_login(agent)
    assert b"Never" in client.get(reverse("tokens:list")).content
    Client().get("/api/v1/agents/me", HTTP_AUTHORIZATION=f"Bearer {secret}")
    row = client.get(reverse("tokens:list")).content
    assert b"Never" not in row
    assert ApiToken.objects.get().last_used_at is not None


def test_a_name_is_required(client):
    client.force_login(make_agent())
    page = client.post(reverse("tokens:list"), {"name": ""})
    assert page.status_code == 422
    assert not ApiToken.objects.exists()


def test_an_agent_revokes_their_token_and_it_stops_working(client):
    agent = make_agent()
    token, secret = issue_token(agent, "Old script")
    client.force_login(agent)

    response = client.post(reverse("tokens:revoke", args=[token.pk]))

    assert response.status_code == 302 and response.url == reverse("tokens:list")
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert Client().get("/api/v1/agents/me", HTTP_AUTHORIZATION=f"Bearer {secret}").status_code == 401
    assert b"Revoked" in client.get(reverse("tokens:list")).content


def test_an_agent_sees_and_revokes_only_their_own_tokens(client):
    mine, _ = issue_token(make_agent(name="Me"), "mine")
    theirs, _ = issue_token(make_agent(name="Colleague"), "their secret script")
    customers, _ = issue_token(make_contact(), "portal")
    client.force_login(mine.agent)

    page = client.get(reverse("tokens:list")).content
    assert b"mine" in page and b"their secret script" not in page and b"portal" not in page
    for other in (theirs, customers):
        assert client.post(reverse("tokens:revoke", args=[other.pk])).status_code == 404
        other.refresh_from_db()
        assert other.revoked_at is None


def test_even_an_admin_revokes_only_their_own_tokens_here(client):
    theirs, _ = issue_token(make_agent(), "agent script")
    client.force_login(make_agent(Role.ADMIN))
    assert client.post(reverse("tokens:revoke", args=[theirs.pk])).status_code == 404


def test_revoking_needs_a_post(client):
    agent = make_agent()
    token, _ = issue_token(agent, "script")
    client.force_login(agent)
    assert client.get(reverse("tokens:revoke", args=[token.pk])).status_code == 405
    token.refresh_from_db()
    assert token.revoked_at is None


def test_sign_in_is_required(client):
    response = client.get(reverse("tokens:list"))
    assert response.status_code == 302 and reverse("agent:login") in response.url
    assert client.post(reverse("tokens:list"), {"name": "x"}).status_code == 302
    assert not ApiToken.objects.exists()


def test_forms_are_csrf_protected():
    agent = make_agent()
    token, _ = issue_token(agent, "script")
    client = Client(enforce_csrf_checks=True)
    client.force_login(agent)
    assert client.post(reverse("tokens:list"), {"name": "forged"}).status_code == 403
    assert client.post(reverse("tokens:revoke", args=[token.pk])).status_code == 403
    assert ApiToken.objects.count() == 1
    token.refresh_from_db()
    assert token.revoked_at is None
