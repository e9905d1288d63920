"""Permission edges of the workspace: scope, light agents, anonymous visitors, CSRF."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from comptoir.core.models import Role, TicketScope
from tests.factories import make_agent, make_group, make_ticket

pytestmark = pytest.mark.django_db


def test_group_scoped_agent_gets_404_outside_their_groups(client):
    billing, mobile = make_group("Billing"), make_group("Mobile")
    agent = make_agent(scope=TicketScope.GROUPS, groups=[mobile])
    ticket = make_ticket(group=billing)
    client.force_login(agent)
    assert client.get(reverse("agent:ticket", args=[ticket.number])).status_code == 404
    assert client.post(reverse("agent:ticket-properties", args=[ticket.number]), {"priority": "4"}).status_code == 404


def test_group_scoped_agent_cannot_download_files_of_hidden_tickets(client):
    admin = make_agent(role=Role.ADMIN)
    billing = make_group("Billing")
    agent = make_agent(scope=TicketScope.GROUPS, groups=[make_group("Mobile")])
    from comptoir.tickets import actions
    from comptoir.tickets.attachments import IncomingFile

    ticket = make_ticket(group=billing)
    actions.add_reply(ticket, actor=admin, via="web", body_text="See file", attachments=[IncomingFile("a.txt", b"secret", "text/plain")])
    client.force_login(agent)
    assert client.get(reverse("agent:attachment", args=[ticket.attachments.get().pk])).status_code == 404


def test_light_agent_is_offered_only_themselves_as_assignee(client):
    light = make_agent(role=Role.LIGHT_AGENT, name="Lee Light")
    make_agent(name="Olga Other")
    ticket = make_ticket()
    client.force_login(light)
    page = client.get(reverse("agent:ticket", args=[ticket.number])).content.decode()
    assignee_select = page.split('id="prop-assignee"', 1)[1].split("</select>", 1)[0]
    assert "Lee Light" in assignee_select
    assert "Olga Other" not in assignee_select


def test_light_agent_forged_assignment_to_another_agent_is_refused(client):
    light = make_agent(role=Role.LIGHT_AGENT)
    other = make_agent()
    ticket = make_ticket()
    client.force_login(light)
    response = client.post(reverse("agent:ticket-properties", args=[ticket.number]), {"assignee": str(other.pk)}, HTTP_HX_REQUEST="true")
    assert response.status_code == 422
    ticket.refresh_from_db()
    assert ticket.assignee_id is None


def test_light_agent_can_take_the_ticket(client):
    light = make_agent(role=Role.LIGHT_AGENT)
    ticket = make_ticket()
    client.force_login(light)
    client.post(reverse("agent:ticket-take", args=[ticket.number]))
    ticket.refresh_from_db()
    assert ticket.assignee_id == light.pk


def test_anonymous_visitor_is_sent_to_sign_in(client):
    ticket = make_ticket()
    response = client.get(reverse("agent:ticket", args=[ticket.number]))
    assert response.status_code == 302
    assert response.url.startswith(reverse("agent:login"))


def test_deactivated_agent_is_sent_to_sign_in(client):
    agent = make_agent()
    client.force_login(agent)
    agent.is_active = False
    agent.save()
    assert client.get(reverse("agent:contacts")).status_code == 302


def test_post_without_csrf_token_is_refused():
    agent = make_agent()
    ticket = make_ticket()
    client = Client(enforce_csrf_checks=True)
    client.force_login(agent)
    response = client.post(reverse("agent:ticket-compose", args=[ticket.number]), {"mode": "reply", "body": "Hello"})
    assert response.status_code == 403
    assert not ticket.messages.filter(body_text="Hello").exists()


def test_post_with_csrf_header_from_the_page_is_accepted():
    agent = make_agent()
    ticket = make_ticket()
    client = Client(enforce_csrf_checks=True)
    client.force_login(agent)
    client.get(reverse("agent:ticket", args=[ticket.number]))
    token = client.cookies["csrftoken"].value
    response = client.post(reverse("agent:ticket-properties", args=[ticket.number]), {"priority": "3"},
                           HTTP_X_CSRFTOKEN=token, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
