"""/api/v1/agents: the support staff. Only admins add, change or deactivate agents."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router
from ninja import Status as Reply
from pydantic import Field

from comptoir.api.access import agent_of
from comptoir.api.errors import conflict_on_duplicate
from comptoir.api.pagination import SortKey, keyset_page, next_url
from comptoir.api.schemas.common import ERRORS, SearchPageQuery, page_of
from comptoir.api.schemas.team import AgentCreateIn, AgentOut, AgentPatchIn, agent_out
from comptoir.core.errors import NotFound, ValidationFailed
from comptoir.core.models import Agent, Department, Group, Role
from comptoir.core.permissions import PermissionDenied

router = Router()


class AgentQuery(SearchPageQuery):
    active: bool | None = Field(None, description="Only active (true) or deactivated (false) agents.")


def _agents() -> Any:
    return Agent.objects.prefetch_related("support_groups", "departments")


def _agent(agent_id: int) -> Agent:
    agent = _agents().filter(pk=agent_id).first()
    if agent is None:
        raise NotFound(_("Agent not found."))
    return agent


def _check_ids(model: Any, ids: list[int], field: str) -> list[int]:
    found = set(model.objects.filter(pk__in=ids).values_list("pk", flat=True))
    if found != set(ids):
        raise ValidationFailed(_("Unknown ids."), {field: "not_found"})
    return ids


def _guard_owner(actor: Agent, target_role: str | None, current_role: str | None = None) -> None:
    """Only owners make or unmake owners."""
    if Role.OWNER in (target_role, current_role) and actor.role != Role.OWNER:
        raise PermissionDenied(_("Only an owner can grant or change the owner role."))


@router.get("", response={200: page_of(AgentOut), **ERRORS}, url_name="list_agents", summary="List agents")
def list_agents(request: HttpRequest, page: Query[AgentQuery]) -> Any:
    agent_of(request)
    qs = _agents()
    if page.q:
        qs = qs.filter(name__icontains=page.q) | qs.filter(email__icontains=page.q)
    if page.active is not None:
        qs = qs.filter(is_active=page.active)
    rows, cursor = keyset_page(qs, [SortKey("id")], page.cursor, page.limit, tag="agents")
    return {"results": [agent_out(a) for a in rows], "next": next_url(request, cursor)}


@router.get("/me", response={200: AgentOut, **ERRORS}, url_name="get_me", summary="The calling agent")
def get_me(request: HttpRequest) -> Any:
    return agent_out(_agent(agent_of(request).pk))


@router.get("/{int:agent_id}", response={200: AgentOut, **ERRORS}, url_name="get_agent", summary="Get an agent")
def get_agent(request: HttpRequest, agent_id: int) -> Any:
    agent_of(request)
    return agent_out(_agent(agent_id))


@router.post("", response={201: AgentOut, **ERRORS}, url_name="create_agent", summary="Add an agent")
def create_agent(request: HttpRequest, data: AgentCreateIn) -> Any:
    """The agent sets a password through the sign-in page's reset; none is sent here."""
    actor = agent_of(request, "admin.agents")
    _guard_owner(actor, data.role)
    with conflict_on_duplicate(_("An agent with this email already exists.")), transaction.atomic():
        agent = Agent.objects.create_user(
            data.email, None, name=data.name.strip(), role=data.role, ticket_scope=data.ticket_scope,
            locale=data.locale, time_zone=data.time_zone,
        )
        agent.support_groups.set(_check_ids(Group, data.group_ids, "group_ids"))
        agent.departments.set(_check_ids(Department, data.department_ids, "department_ids"))
    return Reply(201, agent_out(_agent(agent.pk)))


@router.patch("/{int:agent_id}", response={200: AgentOut, **ERRORS}, url_name="update_agent", summary="Update an agent")
def update_agent(request: HttpRequest, agent_id: int, data: AgentPatchIn) -> Any:
    actor = agent_of(request, "admin.agents")
    agent = _agent(agent_id)
    given = data.model_fields_set
    _guard_owner(actor, data.role if "role" in given else None, agent.role)
    if agent.pk == actor.pk and (data.is_active is False or ("role" in given and data.role != agent.role)):
        raise ValidationFailed(_("You cannot deactivate yourself or change your own role."), {"agent": "self"})
    with transaction.atomic():
        for field in ("name", "role", "ticket_scope", "locale", "time_zone", "is_active"):
            if field in given:
                value = getattr(data, field)
                if value is None:
                    raise ValidationFailed(_("This field cannot be empty."), {field: "required"})
                setattr(agent, field, value.strip() if isinstance(value, str) else value)
        agent.save()
        if data.group_ids is not None:
            agent.support_groups.set(_check_ids(Group, data.group_ids, "group_ids"))
        if data.department_ids is not None:
            agent.departments.set(_check_ids(Department, data.department_ids, "department_ids"))
    return agent_out(_agent(agent_id))


@router.delete("/{int:agent_id}", response={204: None, **ERRORS}, url_name="deactivate_agent", summary="Deactivate an agent")
def deactivate_agent(request: HttpRequest, agent_id: int) -> Any:
    """Agents are deactivated, never deleted: their history and replies keep their name."""
    actor = agent_of(request, "admin.agents")
    agent = _agent(agent_id)
    _guard_owner(actor, None, agent.role)
    if agent.pk == actor.pk:
        raise ValidationFailed(_("You cannot deactivate yourself."), {"agent": "self"})
    Agent.objects.filter(pk=agent.pk).update(is_active=False)
    return Reply(204, None)
