"""The agents page: the list, inviting, editing role and custom role, deactivating with a handover, reactivating."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse

from comptoir.core.actions import roles
from comptoir.core.actors import SYSTEM
from comptoir.core.errors import ValidationFailed
from comptoir.core.models import Agent, AuditEntry, Role, TicketScope
from comptoir.tickets.actions import transfer
from comptoir.tickets.models import StatusCategory
from tests.factories import make_agent, make_group, make_ticket

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(client):
    agent = make_agent(role=Role.ADMIN, name="Alex Admin")
    client.force_login(agent)
    return agent


def edit_data(agent, **data):
    base = {"name": agent.name, "role": agent.role, "custom_role": "", "ticket_scope": agent.ticket_scope}
    return {**base, **data}


def test_the_list_shows_an_invited_agent_as_invited(client, admin, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("admin_center:agent-invite"), {
            "email": "marie@example.test", "name": "Marie Martin", "locale": "en", "role": Role.LIGHT_AGENT,
            "ticket_scope": TicketScope.GROUPS,
        })

    page = client.get(reverse("admin_center:agents")).content.decode()
    marie = Agent.objects.get(email="marie@example.test")
    assert marie.role == Role.LIGHT_AGENT
    assert mail.outbox[0].to == ["marie@example.test"]
    assert "Invited" in page and "Light agent" in page
    assert reverse("admin_center:agent-resend-invitation", args=[marie.pk]) in page


def test_inviting_an_address_already_taken_shows_the_message_next_to_the_form(client, admin):
    make_agent(email="marie@example.test")

    response = client.post(reverse("admin_center:agent-invite"), {
        "email": "marie@example.test", "name": "Marie", "locale": "en", "role": Role.AGENT, "ticket_scope": TicketScope.ALL,
    })

    assert response.status_code == 422
    assert "An agent with this email already exists." in response.content.decode()
    assert mail.outbox == []


def test_an_admin_gives_an_agent_a_custom_role_and_their_groups(client, admin):
    agent = make_agent(name="Sam")
    billing = make_group("Billing")
    moderators = roles.create_custom_role(name="Moderators", capabilities=["ticket.view", "ticket.note"], actor=admin)

    response = client.post(reverse("admin_center:agent-edit", args=[agent.pk]),
                           edit_data(agent, custom_role=moderators.pk, groups=[billing.pk]))

    assert response.status_code == 302
    agent.refresh_from_db()
    assert agent.custom_role == moderators
    assert list(agent.support_groups.all()) == [billing]


def test_the_only_owner_cannot_deactivate_themselves_and_the_message_shows_next_to_the_choice(client):
    owner = make_agent(role=Role.OWNER, name="Olivia Owner")
    client.force_login(owner)

    response = client.post(reverse("admin_center:agent-deactivate", args=[owner.pk]), {"transfer_to": ""})

    page = response.content.decode()
    assert response.status_code == 422
    assert 'id="id_transfer_to_error"' in page and "You cannot deactivate yourself." in page
    owner.refresh_from_db()
    assert owner.is_active


def test_an_admin_cannot_deactivate_an_owner(client, admin):
    owner = make_agent(role=Role.OWNER)
    ticket = make_ticket(assignee=owner, actor=owner)

    response = client.post(reverse("admin_center:agent-deactivate", args=[owner.pk]), {"transfer_to": ""})

    assert response.status_code == 422
    assert "Only an owner can grant or change the owner role." in response.content.decode()
    owner.refresh_from_db()
    ticket.refresh_from_db()
    assert owner.is_active and ticket.assignee == owner


def test_the_last_active_owner_keeps_access_and_their_tickets_even_for_the_system():
    owner = make_agent(role=Role.OWNER)
    ticket = make_ticket(assignee=owner, actor=owner)

    with pytest.raises(ValidationFailed) as refusal:
        transfer.deactivate_agent_with_handover(owner, actor=SYSTEM, via="system")

    assert refusal.value.fields == {"agent": "last_owner"}
    ticket.refresh_from_db()
    assert ticket.assignee == owner


def test_deactivating_moves_open_tickets_to_the_chosen_colleague_and_leaves_solved_ones(client, admin):
    leaving, taking_over = make_agent(name="Leaving"), make_agent(name="Taking Over")
    open_one = make_ticket(assignee=leaving, actor=admin)
    pending = make_ticket(assignee=leaving, actor=admin, status=StatusCategory.PENDING)
    solved = make_ticket(assignee=leaving, actor=admin, status=StatusCategory.SOLVED)

    response = client.post(reverse("admin_center:agent-deactivate", args=[leaving.pk]), {"transfer_to": f"agent:{taking_over.pk}"})

    assert response.status_code == 302
    for ticket in (open_one, pending, solved):
        ticket.refresh_from_db()
    assert (open_one.assignee, pending.assignee, solved.assignee) == (taking_over, taking_over, leaving)
    leaving.refresh_from_db()
    assert not leaving.is_active
    assert AuditEntry.objects.filter(kind="agent.tickets_transferred", object_id=str(leaving.pk)).get().changes == {
        "tickets": [None, 2], "to": [None, "Taking Over"],
    }


def test_deactivating_into_a_group_leaves_the_tickets_unassigned_in_that_group(client, admin):
    leaving = make_agent(name="Leaving")
    returns = make_group("Returns")
    ticket = make_ticket(assignee=leaving, actor=admin)

    client.post(reverse("admin_center:agent-deactivate", args=[leaving.pk]), {"transfer_to": f"group:{returns.pk}"})

    ticket.refresh_from_db()
    assert (ticket.assignee, ticket.group) == (None, returns)


def test_a_deactivated_agent_is_reactivated(client, admin):
    agent = make_agent(is_active=False)

    client.post(reverse("admin_center:agent-reactivate", args=[agent.pk]))

    agent.refresh_from_db()
    assert agent.is_active


def test_the_empty_invite_form_renders_with_labels(client, admin):
    page = client.get(reverse("admin_center:agent-invite")).content.decode()

    assert 'for="id_email"' in page and 'for="id_role"' in page
