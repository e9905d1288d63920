"""/api/v1/agents: the support staff. Only admins add, change or deactivate agents."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router
from ninja import Status as Reply
from pydantic import Field

from comptoir.api.access import VIA, agent_of
from comptoir.api.pagination import SortKey, keyset_page, next_url
from comptoir.api.schemas.common import ERRORS, SearchPageQuery, page_of
from comptoir.api.schemas.team import AgentCreateIn, AgentOut, AgentPatchIn, agent_out
from comptoir.core import actions
from comptoir.core.errors import NotFound
from comptoir.core.models import Agent

router = Router()
# Checked here too (the actions check again) so a caller without the right gets 403 before any lookup.
ADMIN = "admin.agents"


class AgentQuery(SearchPageQuery):
    active: bool | None = Field(None, description="Only active (true) or deactivated (false) agents.")


def _agents() -> Any:
    return Agent.objects.prefetch_related("support_groups", "departments")


def _agent(agent_id: int) -> Agent:
    agent = _agents().filter(pk=agent_id).first()
    if agent is None:
        raise NotFound(_("Agent not found."))
    return agent


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
    """The agent sets a password through the sign-in page's reset; none is sent here. Only an owner adds an owner."""
    actor = agent_of(request, ADMIN)
    agent = actions.create_agent(**data.dict(), actor=actor, via=VIA)
    return Reply(201, agent_out(_agent(agent.pk)))


@router.patch("/{int:agent_id}", response={200: AgentOut, **ERRORS}, url_name="update_agent", summary="Update an agent")
def update_agent(request: HttpRequest, agent_id: int, data: AgentPatchIn) -> Any:
    """Only an owner changes an owner; nobody changes their own role or deactivates themselves;
    the last active owner stays an active owner."""
    actor = agent_of(request, ADMIN)
    given = data.model_fields_set
    changes = {field: getattr(data, field) for field in given if field not in ("group_ids", "department_ids")}
    changes.update({field: getattr(data, field) for field in ("group_ids", "department_ids") if getattr(data, field) is not None})
    actions.update_agent(_agent(agent_id), changes, actor=actor, via=VIA)
    return agent_out(_agent(agent_id))


@router.delete("/{int:agent_id}", response={204: None, **ERRORS}, url_name="deactivate_agent", summary="Deactivate an agent")
def deactivate_agent(request: HttpRequest, agent_id: int) -> Any:
    """Agents are deactivated, never deleted: their history and replies keep their name."""
    actor = agent_of(request, ADMIN)
    actions.deactivate_agent(_agent(agent_id), actor=actor, via=VIA)
    return Reply(204, None)
