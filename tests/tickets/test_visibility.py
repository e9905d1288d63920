"""Who sees which ticket: visible_tickets() and is_visible() for every role, scope and for contacts.

One small helpdesk, a table of viewers and the tickets each must see; every
ticket not in a viewer's row must be out of their sight.
"""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from comptoir.contacts.actions import find_or_create_account, update_contact
from comptoir.core.actors import SYSTEM
from comptoir.core.models import Role, TicketScope
from comptoir.tickets import actions
from comptoir.tickets.queries import is_visible, visible_tickets
from tests.factories import make_agent, make_contact, make_group, make_ticket

pytestmark = pytest.mark.django_db


@pytest.fixture
def desk():
    mobile, finance = make_group("Mobile"), make_group("Finance")
    acme, globex = find_or_create_account("Acme", actor=SYSTEM), find_or_create_account("Globex", actor=SYSTEM)
    people = {
        # Owners and admins see everything whatever their scope says.
        "owner": make_agent(Role.OWNER, TicketScope.ASSIGNED),
        "admin": make_agent(Role.ADMIN, TicketScope.GROUPS),
        # A supervisor sees at least their groups' tickets, even with "assigned to me".
        "supervisor": make_agent(Role.SUPERVISOR, TicketScope.ASSIGNED, groups=[mobile]),
        "agent_all": make_agent(Role.AGENT, TicketScope.ALL, groups=[mobile]),
        "agent_groups": make_agent(Role.AGENT, TicketScope.GROUPS, groups=[mobile]),
        "agent_mine": make_agent(Role.AGENT, TicketScope.ASSIGNED, groups=[mobile]),
        "light_groups": make_agent(Role.LIGHT_AGENT, TicketScope.GROUPS, groups=[mobile]),
        "light_mine": make_agent(Role.LIGHT_AGENT, TicketScope.ASSIGNED, groups=[mobile]),
        "deactivated": make_agent(Role.ADMIN, TicketScope.ALL, is_active=False),
        "alice": make_contact("alice@acme.test", name="Alice", account=acme),
        "bob": make_contact("bob@acme.test", name="Bob", account=acme),
        "carol": make_contact("carol@example.test", name="Carol"),
        "dave": make_contact("dave@globex.test", name="Dave", account=globex),
    }
    admin = people["admin"]
    # Bob may see his company's tickets; Carol may too, but has no company.
    update_contact(people["bob"], {"can_view_account_tickets": True}, actor=admin)
    update_contact(people["carol"], {"can_view_account_tickets": True}, actor=admin)
    p = SimpleNamespace(**people)
    tickets = {
        "mobile_queue": make_ticket(group=mobile, contact=p.alice),
        "finance_queue": make_ticket(group=finance, contact=p.bob),
        "no_group": make_ticket(contact=p.carol),
        "finance_for_agent_mine": make_ticket(group=finance, assignee=p.agent_mine, contact=p.dave),
        "finance_for_agent_groups": make_ticket(group=finance, assignee=p.agent_groups, contact=p.dave),
        "for_light_mine": make_ticket(assignee=p.light_mine, contact=p.carol),
    }
    archived = make_ticket(group=mobile, contact=p.alice, status="solved")
    actions.archive_ticket(archived, actor=SYSTEM, via="system")
    tickets["archived"] = archived
    return SimpleNamespace(people=people, tickets=tickets)


EVERY_LIVE_TICKET = {"mobile_queue", "finance_queue", "no_group", "finance_for_agent_mine",
                     "finance_for_agent_groups", "for_light_mine"}

MATRIX = {
    "owner": EVERY_LIVE_TICKET,
    "admin": EVERY_LIVE_TICKET,
    "agent_all": EVERY_LIVE_TICKET,
    "supervisor": {"mobile_queue"},
    "agent_groups": {"mobile_queue", "finance_for_agent_groups"},
    "agent_mine": {"finance_for_agent_mine"},
    "light_groups": {"mobile_queue"},
    "light_mine": {"for_light_mine"},
    "deactivated": set(),
    "alice": {"mobile_queue"},  # her own only: she may not see Acme's
    "bob": {"finance_queue", "mobile_queue"},  # his own and Acme's
    "carol": {"no_group", "for_light_mine"},  # allowed, but no account: her own
    "dave": {"finance_for_agent_mine", "finance_for_agent_groups"},
}


@pytest.mark.parametrize("viewer", list(MATRIX))
def test_visible_tickets_matrix(desk, viewer):
    user = desk.people[viewer]
    names = {t.pk: name for name, t in desk.tickets.items()}
    seen = {names[pk] for pk in visible_tickets(user).values_list("pk", flat=True)}
    assert seen == MATRIX[viewer]


@pytest.mark.parametrize("viewer", list(MATRIX))
def test_is_visible_agrees_with_visible_tickets(desk, viewer):
    user = desk.people[viewer]
    for name, ticket in desk.tickets.items():
        if name == "archived":
            continue
        assert is_visible(user, ticket) is (name in MATRIX[viewer]), name


def test_archived_tickets_appear_only_when_asked_for_and_only_within_scope(desk):
    archived = desk.tickets["archived"]
    for viewer in ("owner", "supervisor", "alice", "bob"):
        user = desk.people[viewer]
        assert not visible_tickets(user).filter(pk=archived.pk).exists()
        assert visible_tickets(user, include_archived=True).filter(pk=archived.pk).exists()
    for viewer in ("agent_mine", "light_mine", "carol", "dave", "deactivated"):
        assert not visible_tickets(desk.people[viewer], include_archived=True).filter(pk=archived.pk).exists()


def test_anything_else_sees_nothing(desk):
    assert not visible_tickets(None).exists()
    assert not visible_tickets(SYSTEM).exists()


def test_joining_a_group_widens_a_group_scoped_agents_view(desk):
    finance_ticket = desk.tickets["finance_queue"]
    agent = make_agent(Role.AGENT, TicketScope.GROUPS)
    assert not visible_tickets(agent).filter(pk=finance_ticket.pk).exists()
    finance_ticket.group.members.add(agent)
    fresh = type(agent).objects.get(pk=agent.pk)  # group ids are cached per loaded agent
    assert visible_tickets(fresh).filter(pk=finance_ticket.pk).exists()


def test_assigning_a_ticket_brings_it_into_an_assigned_only_agents_view(desk):
    agent = desk.people["agent_mine"]
    ticket = desk.tickets["no_group"]
    assert not visible_tickets(agent).filter(pk=ticket.pk).exists()
    actions.assign_ticket(ticket, assignee=agent, actor=desk.people["admin"], via="web")
    assert visible_tickets(agent).filter(pk=ticket.pk).exists()


def test_contact_loses_account_tickets_when_the_permission_is_removed(desk):
    bob = desk.people["bob"]
    update_contact(bob, {"can_view_account_tickets": False}, actor=desk.people["admin"])
    seen = set(visible_tickets(bob).values_list("pk", flat=True))
    assert seen == {desk.tickets["finance_queue"].pk}


def test_agents_who_see_a_ticket_are_exactly_those_is_visible_accepts(desk):
    from comptoir.core.models import Agent
    from comptoir.tickets.queries import agents_who_see

    agents = [a for a in desk.people.values() if isinstance(a, Agent)]
    for name, ticket in desk.tickets.items():
        expected = {a.pk for a in agents if is_visible(a, ticket)}
        assert set(agents_who_see(ticket).values_list("pk", flat=True)) == expected, name
