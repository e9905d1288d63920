"""Roles to capabilities, as data, and the one `can()` every action asks.

Ticket *visibility* is tickets/queries.py; this module answers "may this actor
do this kind of thing", plus the role rules about assigning.
"""

from __future__ import annotations

from typing import Any

from comptoir.core.actors import RuleActor, SystemActor
from comptoir.core.models import Agent, Role

ALL_TICKET_WORK = {
    "ticket.view",
    "ticket.create",
    "ticket.reply",
    "ticket.note",
    "ticket.update",
    "ticket.assign",
    "ticket.take",
    "ticket.tag",
    "ticket.merge",
    "ticket.split",
    "ticket.archive",
    "contact.view",
    "contact.edit",
    "contact.merge",
    "account.edit",
    "product.edit",
    "view.personal",
}

ROLE_CAPABILITIES: dict[str, frozenset[str]] = {
    Role.OWNER: frozenset(ALL_TICKET_WORK | {"admin.settings", "admin.agents", "admin.billing", "view.shared", "ticket.delete", "approval.decide", "report.view"}),
    Role.ADMIN: frozenset(ALL_TICKET_WORK | {"admin.settings", "admin.agents", "view.shared", "ticket.delete", "approval.decide", "report.view"}),
    Role.SUPERVISOR: frozenset(ALL_TICKET_WORK | {"approval.decide", "report.view"}),
    Role.AGENT: frozenset(ALL_TICKET_WORK - {"contact.merge"}),
    Role.LIGHT_AGENT: frozenset({"ticket.view", "ticket.note", "ticket.take", "contact.view", "view.personal"}),
}

# What a customer may do, on tickets that tickets/queries.py shows them.
CONTACT_CAPABILITIES = frozenset({"ticket.view", "ticket.create", "ticket.reply"})


def can(actor: Any, capability: str, obj: Any = None) -> bool:
    """True when `actor` holds `capability`. Rules and the system may do anything."""
    if isinstance(actor, (SystemActor, RuleActor)):
        return True
    if isinstance(actor, Agent):
        if not actor.is_active:
            return False
        return capability in ROLE_CAPABILITIES.get(actor.role, frozenset())
    if getattr(actor, "_meta", None) is not None and actor._meta.label == "contacts.Contact":
        return capability in CONTACT_CAPABILITIES
    return False


def assignable_agent_ids(actor: Any, group_id: int | None = None) -> set[int] | None:
    """The agents `actor` may assign tickets to; None means anyone.

    Owners, admins, rules and the system assign to anyone; supervisors and
    agents to members of their groups (and themselves); light agents only to
    themselves.
    """
    if isinstance(actor, (SystemActor, RuleActor)):
        return None
    if not isinstance(actor, Agent):
        return set()
    if actor.role in (Role.OWNER, Role.ADMIN):
        return None
    if actor.role == Role.LIGHT_AGENT:
        return {actor.pk}
    member_ids = set(
        Agent.objects.filter(support_groups__members=actor, is_active=True).values_list("pk", flat=True)
    )
    member_ids.add(actor.pk)
    return member_ids


class PermissionDenied(Exception):
    """An actor tried something its role or scope does not allow."""

    def __init__(self, message: str = "Permission denied.") -> None:
        super().__init__(message)
        self.message = message


def require(actor: Any, capability: str, obj: Any = None) -> None:
    if not can(actor, capability, obj):
        raise PermissionDenied(f"Not allowed: {capability}.")
