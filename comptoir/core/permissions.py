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

# Beyond ticket work:
#   ticket.view_all     sees every ticket, whatever the agent's ticket scope (tickets/queries.py)
#   ticket.view_groups  sees at least their groups' tickets, even when scoped to "assigned to me"
#   time.export         exports everyone's time entries for billing (casework)
#   admin.owners        grants, changes or removes the owner role (core/actions.py)
ROLE_CAPABILITIES: dict[str, frozenset[str]] = {
    Role.OWNER: frozenset(ALL_TICKET_WORK | {"admin.settings", "admin.agents", "admin.billing", "view.shared", "ticket.delete", "approval.decide", "report.view",
                                             "ticket.view_all", "time.export", "admin.owners"}),
    Role.ADMIN: frozenset(ALL_TICKET_WORK | {"admin.settings", "admin.agents", "view.shared", "ticket.delete", "approval.decide", "report.view",
                                             "ticket.view_all", "time.export"}),
    Role.SUPERVISOR: frozenset(ALL_TICKET_WORK | {"approval.decide", "report.view", "ticket.view_groups", "time.export"}),
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


def roles_with(capability: str) -> tuple[str, ...]:
    """The roles holding `capability`, for querysets that pick agents by what they may do.

    `can()` answers for one agent in memory; a query over many agents (who may
    approve, who sees a ticket) filters on `role__in=roles_with(...)` instead, so
    that no role name is written outside this module.
    """
    return tuple(role for role, capabilities in ROLE_CAPABILITIES.items() if capability in capabilities)


def is_owner_role(role: str | None) -> bool:
    """True for the role whose holders manage owners: granting or removing it is guarded."""
    return role is not None and role in roles_with("admin.owners")


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
