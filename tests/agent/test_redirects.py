"""Workspace forms that send the agent back to `next` never send them off the site.

The notifications dropdown ("mark all read") and the bulk actions bar post the
page they sit on as `next`. A crafted form could set it to another site or to a
`javascript:` URL; the agent must then land on the workspace page instead.
"""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from comptoir.core.models import Notification, Role
from comptoir.tickets.models import Ticket
from tests.factories import make_agent, make_ticket

pytestmark = pytest.mark.django_db

OFF_SITE = ["//evil.example", "https://evil.example", "javascript:alert(document.cookie)"]


def _an_agent_with_a_notification(client):
    agent = make_agent()
    Notification.objects.create(agent=agent, kind="assigned", text="Ticket #1001 is yours", created_at=timezone.now())
    client.force_login(agent)
    return agent


@pytest.mark.parametrize("target", OFF_SITE)
def test_marking_notifications_read_with_an_off_site_next_lands_on_the_dashboard(client, target):
    agent = _an_agent_with_a_notification(client)
    response = client.post(reverse("agent:notifications-read"), {"next": target})
    assert response.status_code == 302
    assert response["Location"] == reverse("agent:home")
    assert not Notification.objects.filter(agent=agent, read_at__isnull=True).exists()


def test_marking_notifications_read_returns_to_the_page_the_agent_was_on(client):
    _an_agent_with_a_notification(client)
    page = reverse("agent:tickets") + "?page=2"
    response = client.post(reverse("agent:notifications-read"), {"next": page})
    assert response["Location"] == page


@pytest.mark.parametrize("target", OFF_SITE)
def test_a_bulk_action_with_an_off_site_next_lands_on_the_ticket_list(client, target):
    admin = make_agent(role=Role.ADMIN)
    ticket = make_ticket()
    client.force_login(admin)
    response = client.post(reverse("agent:tickets-bulk"),
                           {"ticket": [ticket.pk], "action": "priority", "priority": 4, "next": target})
    assert response.status_code == 302
    assert response["Location"] == reverse("agent:tickets")
    assert Ticket.objects.get(pk=ticket.pk).priority == 4


def test_a_bulk_action_returns_to_the_view_it_was_run_from(client):
    admin = make_agent(role=Role.ADMIN)
    ticket = make_ticket()
    client.force_login(admin)
    view = reverse("agent:view", args=["my-open"]) + "?sort=-updated"
    response = client.post(reverse("agent:tickets-bulk"),
                           {"ticket": [ticket.pk], "action": "priority", "priority": 4, "next": view})
    assert response["Location"] == view
