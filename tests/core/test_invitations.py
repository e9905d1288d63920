"""Inviting a colleague: the mail, the link that sets a password and signs in, and links that no longer work."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.contrib.auth.tokens import default_token_generator
from django.core import mail
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from comptoir.core.actions import invitations
from comptoir.core.errors import ValidationFailed
from comptoir.core.models import Agent, AuditEntry, Role
from comptoir.core.permissions import PermissionDenied
from tests.factories import make_agent

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def admin():
    return make_agent(Role.ADMIN, name="Alex Admin")


@pytest.fixture
def invite(admin, django_capture_on_commit_callbacks):
    """Invite Marie and return the path of the link in her mail."""
    def _invite(**extra):
        with django_capture_on_commit_callbacks(execute=True):
            invitations.invite_agent(email="marie@example.test", name="Marie Martin", actor=admin, via="admin", **extra)
        return link_in(mail.outbox[-1].body)
    return _invite


def link_in(body: str) -> str:
    match = re.search(r"https?://[^/\s]+(/agent/admin/invitation/[^\s]+/)", body)
    assert match, body
    return match.group(1)


def test_an_invitation_mails_a_link_to_the_new_agent_who_has_no_password_yet(invite):
    path = invite()

    marie = Agent.objects.get(email="marie@example.test")
    assert mail.outbox[0].to == ["marie@example.test"]
    assert "Alex Admin" in mail.outbox[0].body
    assert path.startswith("/agent/admin/invitation/")
    assert not marie.has_usable_password()
    assert invitations.is_pending(marie)


def test_following_the_link_sets_the_password_and_signs_the_agent_in(client, invite):
    path = invite()

    assert client.get(path).status_code == 200
    response = client.post(path, {"password": "a-long-secret", "password_again": "a-long-secret"})

    marie = Agent.objects.get(email="marie@example.test")
    assert response.status_code == 302
    assert marie.check_password("a-long-secret")
    assert client.session["_auth_user_id"] == str(marie.pk)
    assert AuditEntry.objects.filter(kind="agent.password_set", object_id=str(marie.pk), actor_agent=marie).exists()


def test_a_too_short_password_is_refused_with_the_actions_message(client, invite):
    path = invite()

    response = client.post(path, {"password": "short", "password_again": "short"})

    assert response.status_code == 422
    assert "at least 8 characters" in response.content.decode()
    assert not Agent.objects.get(email="marie@example.test").has_usable_password()


def test_a_used_link_no_longer_works(client, invite):
    path = invite()
    client.post(path, {"password": "a-long-secret", "password_again": "a-long-secret"})
    client.logout()

    response = client.post(path, {"password": "another-secret", "password_again": "another-secret"})

    assert response.status_code == 410
    assert Agent.objects.get(email="marie@example.test").check_password("a-long-secret")


def test_an_expired_link_is_refused_with_a_clear_page(client, invite, settings):
    settings.PASSWORD_RESET_TIMEOUT = 3 * 86400
    with time_machine.travel(NOW, tick=False):
        path = invite()
    with time_machine.travel(NOW + dt.timedelta(days=3, hours=1), tick=False):
        response = client.post(path, {"password": "a-long-secret", "password_again": "a-long-secret"})

    assert response.status_code == 410
    assert "no longer works" in response.content.decode()
    assert not Agent.objects.get(email="marie@example.test").has_usable_password()


def test_a_link_still_works_on_its_last_day(client, invite, settings):
    settings.PASSWORD_RESET_TIMEOUT = 3 * 86400
    with time_machine.travel(NOW, tick=False):
        path = invite()
    with time_machine.travel(NOW + dt.timedelta(days=2, hours=23), tick=False):
        response = client.post(path, {"password": "a-long-secret", "password_again": "a-long-secret"})

    assert response.status_code == 302


def test_a_password_reset_link_is_not_an_invitation(client, invite):
    invite()
    marie = Agent.objects.get(email="marie@example.test")
    uid = urlsafe_base64_encode(force_bytes(marie.pk))
    reset_token = default_token_generator.make_token(marie)

    response = client.get(reverse("admin_center:invitation-accept", args=[uid, reset_token]))

    assert response.status_code == 410


def test_the_admin_on_an_expired_link_can_resend_a_fresh_one(client, admin, invite, settings, django_capture_on_commit_callbacks):
    settings.PASSWORD_RESET_TIMEOUT = 86400
    with time_machine.travel(NOW, tick=False):
        old = invite()
    with time_machine.travel(NOW + dt.timedelta(days=2), tick=False):
        client.force_login(admin)
        page = client.get(old).content.decode()
        marie = Agent.objects.get(email="marie@example.test")
        resend_url = reverse("admin_center:agent-resend-invitation", args=[marie.pk])
        assert resend_url in page
        with django_capture_on_commit_callbacks(execute=True):
            client.post(resend_url)
        new = link_in(mail.outbox[-1].body)
        client.logout()
        response = client.post(new, {"password": "a-long-secret", "password_again": "a-long-secret"})

    assert len(mail.outbox) == 2
    assert response.status_code == 302


def test_an_accepted_invitation_cannot_be_resent(admin, invite, client):
    path = invite()
    client.post(path, {"password": "a-long-secret", "password_again": "a-long-secret"})

    with pytest.raises(ValidationFailed) as refusal:
        invitations.resend_invitation(Agent.objects.get(email="marie@example.test"), actor=admin)

    assert refusal.value.fields == {"agent": "accepted"}


def test_an_agent_without_admin_agents_cannot_invite():
    with pytest.raises(PermissionDenied):
        invitations.invite_agent(email="x@example.test", name="X", actor=make_agent(Role.SUPERVISOR))

    assert not Agent.objects.filter(email="x@example.test").exists()
