"""Custom roles: roles the helpdesk builds from the capability list, and giving one to an agent.

`core.permissions.can` answers from an agent's custom role when they hold one;
these actions keep such roles well-formed (known capabilities only, never the
owner's) and record every change in the audit log. Needs "admin.agents".
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from comptoir.core.actions import conflict_on_duplicate
from comptoir.core.errors import Conflict, ValidationFailed
from comptoir.core.history import record_change, snapshot
from comptoir.core.models import Agent, CustomRole, TicketScope
from comptoir.core.permissions import CUSTOM_ROLE_CAPABILITIES, is_owner_role, require

AGENTS = "admin.agents"
ROLE_FIELDS = ("name", "description", "capabilities", "ticket_scope")


def _clean(role: CustomRole, changes: dict[str, Any]) -> None:
    unknown = sorted(set(changes) - set(ROLE_FIELDS))
    if unknown:
        raise ValidationFailed(_("These fields cannot be changed."), dict.fromkeys(unknown, "unknown"))
    if "name" in changes:
        name = changes["name"].strip() if isinstance(changes["name"], str) else ""
        if not name:
            raise ValidationFailed(_("This field cannot be empty."), {"name": "required"})
        if len(name) > 80:
            raise ValidationFailed(_("This value is too long."), {"name": "too_long"})
        role.name = name
    if "description" in changes:
        if not isinstance(changes["description"], str):
            raise ValidationFailed(_("This field must be text."), {"description": "invalid"})
        role.description = changes["description"].strip()[:2000]
    if "capabilities" in changes:
        role.capabilities = _capabilities(changes["capabilities"])
    if "ticket_scope" in changes:
        if changes["ticket_scope"] not in TicketScope.values:
            raise ValidationFailed(_("This value is not one of the choices."), {"ticket_scope": "invalid"})
        role.ticket_scope = changes["ticket_scope"]


def _capabilities(value: Any) -> list[str]:
    """Known capabilities, in the list's order; managing owners and billing stay with the owner role."""
    if isinstance(value, str) or not isinstance(value, Iterable):
        raise ValidationFailed(_("Capabilities must be a list."), {"capabilities": "invalid"})
    wanted = set(value)
    unknown = wanted - set(CUSTOM_ROLE_CAPABILITIES)
    if unknown:
        raise ValidationFailed(_("A custom role cannot hold: %(names)s.") % {"names": ", ".join(sorted(map(str, unknown)))},
                               {"capabilities": "invalid"})
    if not wanted:
        raise ValidationFailed(_("Choose at least one capability."), {"capabilities": "required"})
    return [c for c in CUSTOM_ROLE_CAPABILITIES if c in wanted]


def _state(role: CustomRole) -> dict[str, Any]:
    return snapshot(role, ROLE_FIELDS)


@transaction.atomic
def create_custom_role(*, name: str, capabilities: Iterable[str], description: str = "",
                       ticket_scope: str = TicketScope.GROUPS, actor: Any, via: str = "") -> CustomRole:
    """Add a role such as "Brand manager" or "Moderator" from the capability list."""
    require(actor, AGENTS)
    role = CustomRole()
    _clean(role, {"name": name, "description": description, "capabilities": capabilities, "ticket_scope": ticket_scope})
    with conflict_on_duplicate(_("A role with this name already exists.")):
        role.save()
    record_change("role.created", role, actor=actor, via=via, after=_state(role))
    return role


@transaction.atomic
def update_custom_role(role: CustomRole, changes: dict[str, Any], *, actor: Any, via: str = "") -> CustomRole:
    """Change a custom role; its agents gain or lose the capabilities at their next request."""
    require(actor, AGENTS)
    before = _state(role)
    _clean(role, dict(changes))
    with conflict_on_duplicate(_("A role with this name already exists.")):
        role.save()
    record_change("role.updated", role, actor=actor, via=via, before=before, after=_state(role))
    return role


@transaction.atomic
def delete_custom_role(role: CustomRole, *, actor: Any, via: str = "") -> None:
    """Delete a role nobody holds (agents must be moved to another role first: nobody silently loses access)."""
    require(actor, AGENTS)
    if Agent.objects.filter(custom_role=role).exists():
        raise Conflict(_("Agents still hold this role; give them another role first."))
    record_change("role.deleted", role, actor=actor, via=via, before=_state(role))
    role.delete()


@transaction.atomic
def set_agent_custom_role(agent: Agent, role: CustomRole | None, *, actor: Any, via: str = "") -> Agent:
    """Give `agent` a custom role (their ticket access becomes the role's default), or None for their built-in role.

    Owners keep the owner role: the last-owner guard counts owners by role, so an
    owner is moved to another built-in role first. Nobody changes their own role.
    """
    require(actor, AGENTS, agent)
    if agent.custom_role_id == (role.pk if role else None):
        return agent
    if agent.pk == getattr(actor, "pk", None):
        raise ValidationFailed(_("You cannot deactivate yourself or change your own role."), {"custom_role": "self"})
    if role is not None and is_owner_role(agent.role):
        raise ValidationFailed(_("Owners keep the owner role; change their role first."), {"custom_role": "owner"})
    before = snapshot(agent, ["custom_role", "ticket_scope"])
    agent.custom_role = role
    fields = ["custom_role"]
    if role is not None:
        agent.ticket_scope = role.ticket_scope
        fields.append("ticket_scope")
    agent.save(update_fields=fields)
    record_change("agent.updated", agent, actor=actor, via=via, before=before, after=snapshot(agent, ["custom_role", "ticket_scope"]))
    return agent
