"""Roles to capabilities, as data, and the one `can()` every action asks.

Ticket *visibility* is tickets/queries.py; this module answers "may this actor
do this kind of thing", plus the role rules about assigning.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.utils.translation import gettext_lazy

from comptoir.core.actors import RuleActor, SystemActor
from comptoir.core.models import Agent, CustomRole, Department, Role

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

# Every capability with the label the roles pages show (admin center "Roles").
CAPABILITY_LABELS: dict[str, Any] = {
    "ticket.view": gettext_lazy("See tickets"),
    "ticket.create": gettext_lazy("Create tickets"),
    "ticket.reply": gettext_lazy("Reply to customers"),
    "ticket.note": gettext_lazy("Add internal notes"),
    "ticket.update": gettext_lazy("Change ticket properties"),
    "ticket.assign": gettext_lazy("Assign tickets to others"),
    "ticket.take": gettext_lazy("Take tickets for themselves"),
    "ticket.tag": gettext_lazy("Tag tickets"),
    "ticket.merge": gettext_lazy("Merge tickets"),
    "ticket.split": gettext_lazy("Split tickets"),
    "ticket.archive": gettext_lazy("Archive tickets"),
    "ticket.delete": gettext_lazy("Delete tickets"),
    "ticket.view_all": gettext_lazy("See every ticket, whatever their ticket access"),
    "ticket.view_groups": gettext_lazy("See their groups' tickets"),
    "contact.view": gettext_lazy("See customers"),
    "contact.edit": gettext_lazy("Edit customers"),
    "contact.merge": gettext_lazy("Merge customers"),
    "account.edit": gettext_lazy("Edit accounts"),
    "product.edit": gettext_lazy("Edit products"),
    "view.personal": gettext_lazy("Keep personal views"),
    "view.shared": gettext_lazy("Manage shared views"),
    "approval.decide": gettext_lazy("Decide approvals"),
    "report.view": gettext_lazy("See reports"),
    "time.export": gettext_lazy("Export time entries"),
    "admin.settings": gettext_lazy("Manage helpdesk settings"),
    "admin.agents": gettext_lazy("Manage agents and roles"),
    "admin.billing": gettext_lazy("Manage billing"),
    "admin.owners": gettext_lazy("Manage owners"),
}

# What a custom role may be built from: everything but managing owners and billing,
# which stay with the built-in owner role (the last-owner guard counts owners by role).
CUSTOM_ROLE_CAPABILITIES: tuple[str, ...] = tuple(c for c in CAPABILITY_LABELS if c not in {"admin.owners", "admin.billing"})

# Capabilities whose object is tied to a department: a custom-role agent with
# departments reaches only those departments' objects (a "brand manager of X").
_DEPARTMENT_BOUND = frozenset({"admin.settings", "admin.agents"})

# What a customer may do, on tickets that tickets/queries.py shows them.
CONTACT_CAPABILITIES = frozenset({"ticket.view", "ticket.create", "ticket.reply"})


def can(actor: Any, capability: str, obj: Any = None) -> bool:
    """True when `actor` holds `capability`. Rules and the system may do anything."""
    if isinstance(actor, (SystemActor, RuleActor)):
        return True
    if isinstance(actor, Agent):
        if not actor.is_active:
            return False
        if actor.custom_role_id is not None:
            return _custom_role_can(actor, capability, obj)
        return capability in ROLE_CAPABILITIES.get(actor.role, frozenset())
    if getattr(actor, "_meta", None) is not None and actor._meta.label == "contacts.Contact":
        return capability in CONTACT_CAPABILITIES
    return False


def _object_department_ids(obj: Any) -> set[int] | None:
    """The departments `obj` belongs to (a department, a group, an agent...); None when it has none to check."""
    if isinstance(obj, Department):
        return {obj.pk}
    if isinstance(obj, Agent):
        return set(obj.departments.values_list("pk", flat=True)) if obj.pk else None
    department_id = getattr(obj, "department_id", None)
    return {department_id} if isinstance(department_id, int) else None


def _custom_role_can(agent: Agent, capability: str, obj: Any) -> bool:
    """A custom role grants its capabilities; department-bound ones reach only the agent's departments.

    An agent with no department is not narrowed; an object outside all
    departments (a group without one) is refused to a narrowed agent.
    """
    role = agent.custom_role
    if role is None or capability not in set(role.capabilities or ()) or capability not in CUSTOM_ROLE_CAPABILITIES:
        return False
    if obj is None or capability not in _DEPARTMENT_BOUND:
        return True
    own = set(agent.departments.values_list("pk", flat=True))
    if not own:
        return True
    targets = _object_department_ids(obj)
    return bool(targets) and targets is not None and targets <= own


def agents_with(capability: str) -> Q:
    """A filter on Agent: those holding `capability`, through a built-in role or a custom one.

    The queryset twin of `can()` (without the department narrowing, which needs an object).
    """
    custom_ids = [role.pk for role in CustomRole.objects.only("pk", "capabilities")
                  if capability in set(role.capabilities or ()) and capability in CUSTOM_ROLE_CAPABILITIES]
    return Q(custom_role__isnull=True, role__in=roles_with(capability)) | Q(custom_role__in=custom_ids)


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
    if actor.custom_role_id is not None:
        if not can(actor, "ticket.assign"):
            return {actor.pk}
    elif actor.role in (Role.OWNER, Role.ADMIN):
        return None
    elif actor.role == Role.LIGHT_AGENT:
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
