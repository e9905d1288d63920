"""Sign-in, password reset, profile and notifications of the agent."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from comptoir.core.models import Notification
from tests.factories import make_agent

pytestmark = pytest.mark.django_db


def test_agent_signs_in_with_email_and_password(client):
    make_agent(email="marie@example.test", password="correct-horse-1")
    response = client.post(reverse("agent:login"), {"username": "marie@example.test", "password": "correct-horse-1"})
    assert response.status_code == 302 and response.url == "/agent/"


def test_wrong_password_shows_an_error(client):
    make_agent(email="marie@example.test")
    response = client.post(reverse("agent:login"), {"username": "marie@example.test", "password": "nope"})
    assert response.status_code == 200 and b'role="alert"' in response.content


def test_password_reset_sends_a_link(client):
    make_agent(email="marie@example.test")
    client.post(reverse("agent:password-reset"), {"email": "marie@example.test"})
    assert len(mail.outbox) == 1
    assert "/agent/password-reset/" in mail.outbox[0].body


def test_profile_saves_language_and_time_zone(client):
    agent = make_agent()
    client.force_login(agent)
    client.post(reverse("agent:profile"), {"name": "Marie", "locale": "fr", "time_zone": "Europe/Brussels", "signature": "Marie",
                                           "notify_assigned": "on"})
    agent.refresh_from_db()
    assert (agent.locale, agent.time_zone) == ("fr", "Europe/Brussels")
    assert agent.wants_notification("assigned") and not agent.wants_notification("mentioned")


def test_notifications_are_listed_and_marked_read(client):
    agent = make_agent()
    Notification.objects.create(agent=agent, kind="assigned", text="Ticket #1001 is yours", created_at=timezone.now())
    client.force_login(agent)
    assert b"Ticket #1001 is yours" in client.get(reverse("agent:notifications")).content
    client.post(reverse("agent:notifications-read"))
    assert not Notification.objects.filter(agent=agent, read_at__isnull=True).exists()


def test_sign_out_requires_post_and_ends_the_session(client):
    client.force_login(make_agent())
    client.post(reverse("agent:logout"))
    assert client.get(reverse("agent:contacts")).status_code == 302
