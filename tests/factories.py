"""Small factories that arrange data through the real actions, so tests use production paths."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from comptoir.contacts.actions import find_or_create_contact
from comptoir.contacts.models import Contact
from comptoir.core import hooks
from comptoir.core.actors import SYSTEM
from comptoir.core.models import Agent, Department, Group, Role, TicketScope
from comptoir.tickets import actions
from comptoir.tickets.models import Ticket

_seq = itertools.count(1)


def make_agent(role: str = Role.AGENT, scope: str = TicketScope.ALL, groups: list[Group] = (), **extra: Any) -> Agent:  # type: ignore[assignment]
    n = next(_seq)
    agent = Agent.objects.create_user(
        extra.pop("email", f"agent{n}@example.test"), extra.pop("password", "correct-horse-1"),
        name=extra.pop("name", f"Agent {n}"), role=role, ticket_scope=scope, **extra,
    )
    for group in groups:
        group.members.add(agent)
    return agent


def make_group(name: str | None = None, members: list[Agent] = ()) -> Group:  # type: ignore[assignment]
    group = Group.objects.create(name=name or f"Group {next(_seq)}")
    if members:
        group.members.add(*members)
    return group


def make_department(name: str | None = None, address: str | None = None) -> Department:
    n = next(_seq)
    dept = Department.objects.create(name=name or f"Department {n}", slug=f"dept-{n}")
    if address:
        dept.addresses.create(email=address, is_primary=True)
    return dept


def make_contact(email: str | None = None, name: str | None = None, **extra: Any) -> Contact:
    """A contact found or created by email. Without a name given, one in three has none:
    email senders often give none, and lists must show them without a query per row."""
    n = next(_seq)
    if name is None:
        name = "" if n % 3 == 0 else "Casey Customer"
    contact, _created = find_or_create_contact(email=email or f"customer{n}@example.test", name=name, **extra)
    return contact


def make_ticket(status: str | None = None, actor: Any = None, via: str = "web", **fields: Any) -> Ticket:
    """A ticket created through create_ticket, then moved to `status` (a category) if given."""
    fields.setdefault("subject", f"Help needed {next(_seq)}")
    fields.setdefault("description", "My app crashes when I open it.")
    if "contact" not in fields and "contact_email" not in fields and "contact_phone" not in fields:
        fields["contact"] = make_contact()
    ticket = actions.create_ticket(actor=actor or SYSTEM, via=via, **fields)
    if status and status != ticket.status_category:
        ticket = actions.update_ticket(ticket, {"status": status}, actor=SYSTEM, via="system")
    return ticket


def make_thread(ticket: Ticket, length: int = 30, agent: Agent | None = None) -> Ticket:
    """Grow `ticket`'s conversation by `length` messages through the real actions.

    The customer and an agent take turns, with an internal note every fifth
    message: the long threads real tickets have, so message lists are tested
    on more than one page of them.
    """
    agent = agent or make_agent()
    for i in range(length):
        if i % 5 == 4:
            actions.add_internal_note(ticket, actor=agent, via="web", body_text=f"Note {i}: checked the logs.")
        elif i % 2:
            actions.add_reply(ticket, actor=agent, via="web", body_text=f"Reply {i}: could you try again?")
        else:
            actions.receive_customer_message(ticket, contact=ticket.contact, via="email", body_text=f"Message {i}: still broken.")
    return ticket


@contextmanager
def capture_events(kind: str) -> Iterator[list[hooks.Event]]:
    """Subscribe to `kind` on core.hooks for the block; yields the list the events land in."""
    seen: list[hooks.Event] = []

    def collect(event: hooks.Event) -> None:
        seen.append(event)

    hooks.subscribe(kind, collect)
    try:
        yield seen
    finally:
        hooks.unsubscribe(kind, collect)


def make_token(person: Any, name: str = "tests") -> str:
    """A live API token (the raw secret) for an agent or a contact."""
    from comptoir.api.tokens import issue_token

    return issue_token(person, name)[1]
