"""/api/v1/tickets/{id}/activities and /api/v1/activities/{id}: tasks, calls and events on a ticket."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router
from ninja import Status as Reply

from comptoir.api.access import VIA, agent_of
from comptoir.api.pagination import SortKey, keyset_page, next_url
from comptoir.api.routers.casework import agent_and_ticket
from comptoir.api.schemas.casework import ActivityIn, ActivityOut, ActivityPatchIn, activity_out
from comptoir.api.schemas.common import ERRORS, PageQuery, page_of
from comptoir.casework import actions
from comptoir.casework.models import Activity
from comptoir.core.errors import NotFound, ValidationFailed
from comptoir.core.models import Agent
from comptoir.tickets.queries import visible_tickets

router = Router()


def _rows() -> QuerySet[Activity]:
    return Activity.objects.select_related("owner").prefetch_related("reminders")


def _activity(agent: Agent, activity_id: int) -> Activity:
    """The activity if its ticket is visible to the agent; 404 otherwise."""
    activity = Activity.objects.select_related("ticket").filter(pk=activity_id, ticket__in=visible_tickets(agent)).first()
    if activity is None:
        raise NotFound(_("Activity not found."))
    return activity


def _owner(owner_id: int | None) -> Agent | None:
    if owner_id is None:
        return None
    owner = Agent.objects.filter(pk=owner_id, is_active=True).first()
    if owner is None:
        raise ValidationFailed(_("Unknown owner."), {"owner_id": "not_found"})
    return owner


@router.get("/tickets/{int:ticket_id}/activities", response={200: page_of(ActivityOut), **ERRORS},
            url_name="list_activities", summary="List a ticket's activities")
def list_activities(request: HttpRequest, ticket_id: int, page: Query[PageQuery]) -> Any:
    """In the order they were created, done or not."""
    _agent, ticket = agent_and_ticket(request, ticket_id)
    keys = [SortKey("created_at"), SortKey("id")]
    rows, cursor = keyset_page(_rows().filter(ticket=ticket), keys, page.cursor, page.limit, tag="activities")
    return {"results": [activity_out(a) for a in rows], "next": next_url(request, cursor)}


@router.post("/tickets/{int:ticket_id}/activities", response={201: ActivityOut, **ERRORS},
             url_name="create_activity", summary="Plan a task, log a call or schedule an event")
def create_activity(request: HttpRequest, ticket_id: int, data: ActivityIn) -> Any:
    """The caller owns it unless `owner_id` says otherwise. Reminders must lie in the future (422)."""
    agent, ticket = agent_and_ticket(request, ticket_id)
    activity = actions.create_activity(
        ticket, data.kind, data.subject, actor=agent, via=VIA, owner=_owner(data.owner_id),
        due_at=data.due_at, ends_at=data.ends_at, direction=data.direction or "",
        duration_minutes=data.duration_minutes, outcome=data.outcome,
        reminders=[r.model_dump() for r in data.reminders],
    )
    return Reply(201, activity_out(_rows().get(pk=activity.pk)))


@router.patch("/activities/{int:activity_id}", response={200: ActivityOut, **ERRORS},
              url_name="update_activity", summary="Change an activity")
def update_activity(request: HttpRequest, activity_id: int, data: ActivityPatchIn) -> Any:
    """Only the fields sent are changed; reassigning (`owner_id`) needs the right to update the ticket."""
    agent = agent_of(request)
    activity = _activity(agent, activity_id)
    changes: dict[str, Any] = {name: getattr(data, name) for name in data.model_fields_set if name != "owner_id"}
    if "owner_id" in data.model_fields_set:
        changes["owner"] = _owner(data.owner_id)
        if changes["owner"] is None:
            raise ValidationFailed(_("An activity always has an owner."), {"owner_id": "required"})
    if "subject" in changes and changes["subject"] is None:
        raise ValidationFailed(_("Give the activity a subject."), {"subject": "required"})
    actions.update_activity(activity, changes, actor=agent, via=VIA)
    return activity_out(_rows().get(pk=activity.pk))


@router.post("/activities/{int:activity_id}/complete", response={200: ActivityOut, **ERRORS},
             url_name="complete_activity", summary="Mark an activity done")
def complete_activity(request: HttpRequest, activity_id: int) -> Any:
    """Idempotent: completing a done activity keeps its first completion time."""
    agent = agent_of(request)
    activity = _activity(agent, activity_id)
    actions.complete_activity(activity, actor=agent, via=VIA)
    return activity_out(_rows().get(pk=activity.pk))
