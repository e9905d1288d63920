"""Console commands: `comptoir createadmin` and `comptoir token create`, used as an operator would."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from comptoir.api.models import ApiToken
from comptoir.api.tokens import digest_token
from comptoir.core.models import Agent, Role
from tests.factories import make_agent, make_contact, make_ticket

pytestmark = pytest.mark.django_db


def _run(*args):
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


# --- createadmin ----------------------------------------------------------------------------


def test_createadmin_creates_an_owner_who_can_log_in(client):
    output = _run("createadmin", "--email", "Boss@Example.test", "--password", "s3cret-pass")

    assert "boss@example.test" in output
    owner = Agent.objects.get(email="boss@example.test")
    assert owner.role == Role.OWNER and owner.is_admin and owner.is_active
    assert client.login(email="boss@example.test", password="s3cret-pass")
    response = client.get("/agent/")
    assert response.status_code == 200


def test_createadmin_again_resets_the_password_and_restores_the_owner(client):
    _run("createadmin", "--email", "boss@example.test", "--password", "first-password")
    owner = Agent.objects.get(email="boss@example.test")
    owner.role, owner.is_active = Role.AGENT, False
    owner.save()

    _run("createadmin", "--email", "boss@example.test", "--password", "second-password")

    assert Agent.objects.filter(email="boss@example.test").count() == 1
    owner.refresh_from_db()
    assert (owner.role, owner.is_active) == (Role.OWNER, True)
    assert not client.login(email="boss@example.test", password="first-password")
    assert client.login(email="boss@example.test", password="second-password")


@pytest.mark.parametrize(("email", "password"), [("not-an-email", "long-enough"), ("a@example.test", "short")])
def test_createadmin_refuses_bad_input(email, password):
    with pytest.raises(CommandError):
        _run("createadmin", "--email", email, "--password", password)
    assert not Agent.objects.exists()


# --- token create ---------------------------------------------------------------------------


def test_token_create_prints_a_token_that_authenticates_on_the_api(client):
    agent = make_agent(role=Role.ADMIN, email="api@example.test")
    ticket = make_ticket(subject="Visible through the API")

    raw = _run("token", "create", "--email", "API@example.test", "--name", "zapier").strip()

    assert raw.startswith("cpt_") and len(raw) > 30
    response = client.get("/api/v1/tickets", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.status_code == 200
    assert ticket.number in [row["number"] for row in response.json()["results"]]
    stored = ApiToken.objects.get(agent=agent)
    assert stored.name == "zapier"
    assert stored.digest == digest_token(raw)


def test_token_is_stored_hashed_never_in_clear():
    make_agent(email="api@example.test")
    raw = _run("token", "create", "--email", "api@example.test").strip()
    stored = ApiToken.objects.get()
    assert stored.digest != raw
    assert raw not in (stored.digest, stored.prefix, stored.name)
    assert stored.prefix == raw[:12]
    assert not ApiToken.objects.filter(digest=raw).exists()


def test_a_wrong_or_revoked_token_is_refused(client):
    make_agent(email="api@example.test")
    raw = _run("token", "create", "--email", "api@example.test").strip()
    assert client.get("/api/v1/tickets", HTTP_AUTHORIZATION=f"Bearer {raw}x").status_code == 401
    _run("token", "revoke", "--prefix", raw[:12])
    assert client.get("/api/v1/tickets", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 401


def test_token_for_a_contact_shows_only_their_tickets(client):
    customer = make_contact("lena@example.test")
    own = make_ticket(contact=customer)
    other = make_ticket()
    raw = _run("token", "create", "--email", "lena@example.test").strip()
    response = client.get("/api/v1/tickets", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.status_code == 200
    numbers = {row["number"] for row in response.json()["results"]}
    assert own.number in numbers and other.number not in numbers


def test_token_create_for_an_unknown_email_fails():
    with pytest.raises(CommandError):
        _run("token", "create", "--email", "nobody@example.test")
    assert not ApiToken.objects.exists()


def test_createadmin_keep_existing_leaves_a_changed_password_alone(client):
    """`make run` calls it at every start: the password an admin chose since must survive."""
    _run("createadmin", "--email", "boss@example.test", "--password", "generated-first")
    owner = Agent.objects.get(email="boss@example.test")
    owner.set_password("chosen-by-the-admin")
    owner.save()

    output = _run("createadmin", "--email", "boss@example.test", "--password", "generated-first", "--keep-existing")

    assert "unchanged" in output
    assert client.login(email="boss@example.test", password="chosen-by-the-admin")
    assert not client.login(email="boss@example.test", password="generated-first")


def test_createadmin_keep_existing_still_creates_a_missing_owner(client):
    _run("createadmin", "--email", "boss@example.test", "--password", "generated-first", "--keep-existing")

    assert Agent.objects.get(email="boss@example.test").role == Role.OWNER
    assert client.login(email="boss@example.test", password="generated-first")
