"""A group-scoped agent's list is read branch by branch (their groups, their assignments):
paging must give exactly the visible tickets, in order, each once."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from comptoir.agent.lists import listing
from comptoir.agent.lists.columns import order_by
from comptoir.core.models import Role, TicketScope
from comptoir.tickets.models import Ticket
from comptoir.tickets.queries import visible_tickets
from tests.factories import make_agent, make_group, make_ticket

pytestmark = pytest.mark.django_db


def test_paging_a_group_agents_view_gives_every_visible_ticket_once_in_order():
    mine, other = make_group("Mobile"), make_group("Finance")
    agent = make_agent(Role.AGENT, TicketScope.GROUPS, groups=[mine])
    colleague = make_agent(Role.ADMIN)
    start = timezone.now() - dt.timedelta(days=1)
    for i in range(23):
        # Interleave: in my group, assigned to me in another group, and out of sight.
        kind = i % 3
        ticket = make_ticket(group=mine if kind == 0 else other, actor=colleague,
                             assignee=agent if kind == 1 else colleague if kind == 2 else None)
        # Same time for pairs, so the id tie-break is exercised too.
        Ticket.objects.filter(pk=ticket.pk).update(updated_at=start + dt.timedelta(minutes=i // 2))
    spec = listing.get_view(agent, "all-open")
    expected = list(visible_tickets(agent).filter(status_category__in=["new", "open"])
                    .order_by(*order_by("-updated_at")).values_list("pk", flat=True))
    assert len(expected) == 16

    seen, page = [], 1
    while True:
        rows, has_next = listing.list_page(agent, spec, sort="-updated_at", page=page, per_page=5)
        seen += [t.pk for t in rows]
        if not has_next:
            break
        page += 1
    assert seen == expected
    assert page == 4
