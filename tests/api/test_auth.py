"""Authentication: Bearer tokens, Basic `email/token`, the agent session with CSRF, revocation."""

from __future__ import annotations

import base64

import pytest
from django.test import Client

from comptoir.api.models import ApiToken
from comptoir.api.tokens import revoke_token

pytestmark = pytest.mark.django_db


def _basic(user: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()


def test_no_credentials_is_a_401_in_the_error_shape(api, team):
    response = api.get("/tickets")
    assert response.status_code == 401
    assert response.json() == {"error": {"code": "unauthorized", "message": response.json()["error"]["message"]}}
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_a_wrong_token_is_a_401(api, team):
    assert api.get("/tickets", "cpt_not-a-real-token").status_code == 401


def test_a_revoked_token_stops_working(api, team):
    token = ApiToken.objects.get(agent=team.members["admin"])
    revoke_token(token, actor=team.members["admin"], via="api")
    assert api.get("/tickets", team.token("admin")).status_code == 401


def test_a_deactivated_agents_token_stops_working(api, team):
    agent = team.members["agent"]
    agent.is_active = False
    agent.save()
    assert api.get("/tickets", team.token("agent")).status_code == 401


def test_using_a_token_records_when_it_was_last_used(api, team):
    api.get("/tickets", team.token("admin"))
    assert ApiToken.objects.get(agent=team.members["admin"]).last_used_at is not None


def test_basic_auth_with_email_slash_token(client, team):
    admin = team.members["admin"]
    response = client.get("/api/v1/tickets", HTTP_AUTHORIZATION=_basic(f"{admin.email}/token", team.token("admin")))
    assert response.status_code == 200


def test_basic_auth_with_another_persons_email_is_refused(client, team):
    other = team.members["agent"]
    response = client.get("/api/v1/tickets", HTTP_AUTHORIZATION=_basic(f"{other.email}/token", team.token("admin")))
    assert response.status_code == 401


def test_basic_auth_for_a_contact_uses_their_email(client, team):
    response = client.get("/api/v1/tickets", HTTP_AUTHORIZATION=_basic("camille@example.test/token", team.token("contact")))
    assert response.status_code == 200


def test_basic_auth_with_a_password_is_not_accepted(client, team):
    admin = team.members["admin"]
    response = client.get("/api/v1/tickets", HTTP_AUTHORIZATION=_basic(admin.email, "correct-horse-1"))
    assert response.status_code == 401


def test_the_agent_ui_calls_the_api_with_its_session(team):
    browser = Client()
    browser.force_login(team.members["admin"])
    assert browser.get("/api/v1/tickets").status_code == 200


def test_a_session_post_without_csrf_token_is_refused(team):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(team.members["admin"])
    response = browser.post("/api/v1/tickets", data='{"subject": "x", "contact": {"email": "a@example.test"}}', content_type="application/json")
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "forbidden"


def test_a_session_post_with_the_csrf_token_works(team):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(team.members["admin"])
    browser.get("/api/v1/docs")  # sets the CSRF cookie
    token = browser.cookies["csrftoken"].value
    response = browser.post("/api/v1/tickets", data='{"subject": "x", "contact": {"email": "a@example.test"}}',
                            content_type="application/json", HTTP_X_CSRFTOKEN=token)
    assert response.status_code == 201


def test_an_agent_creates_lists_and_revokes_their_own_tokens(api, team):
    created = api.post("/tokens", team.token("agent"), json={"name": "zapier"})
    assert created.status_code == 201
    secret = created.json()["token"]
    assert api.get("/tickets", secret).status_code == 200
    listed = api.get("/tokens", team.token("agent")).json()["results"]
    assert {t["name"] for t in listed} == {"zapier", "tests"}
    assert all("token" not in t for t in listed)
    assert api.delete(f"/tokens/{created.json()['id']}", team.token("agent")).status_code == 204
    assert api.get("/tickets", secret).status_code == 401


def test_an_agent_cannot_revoke_someone_elses_token(api, team):
    other = ApiToken.objects.get(agent=team.members["supervisor"])
    assert api.delete(f"/tokens/{other.pk}", team.token("agent")).status_code == 404
    assert api.delete(f"/tokens/{other.pk}", team.token("admin")).status_code == 204


def test_the_token_command_creates_a_token_that_works(api, team):
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("token", "create", "--email", team.members["supervisor"].email, stdout=out)
    assert api.get("/tickets", out.getvalue().strip()).status_code == 200
