"""/api/v1/tickets/{id}/time-entries and /api/v1/time-entries: time spent, totals and the billing CSV.

Also the caller's start/stop timer: /api/v1/tickets/{id}/timer and /api/v1/timer.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from ninja import Status as Reply
from pydantic import BaseModel, Field

from comptoir.api.access import VIA, agent_of
from comptoir.api.pagination import SortKey, keyset_page, next_url
from comptoir.api.routers.casework import agent_and_ticket
from comptoir.api.schemas.casework import TimeEntryIn, TimeEntryOut, TimeTotalsOut, time_entry_out
from comptoir.api.schemas.common import ERRORS, PageQuery, page_of
from comptoir.casework import actions, queries
from comptoir.casework.models import RunningTimer, TimeEntry
from comptoir.core.errors import NotFound, ValidationFailed
from comptoir.core.models import Agent

router = Router()


class Period(Schema):
    start: dt.date | None = Field(None, alias="from", description="First day included (YYYY-MM-DD).")
    end: dt.date | None = Field(None, alias="to", description="Last day included (YYYY-MM-DD).")

    def checked(self) -> tuple[dt.date | None, dt.date | None]:
        if self.start and self.end and self.end < self.start:
            raise ValidationFailed(_("The period ends before it starts."), {"to": "before_from"})
        return self.start, self.end


class TotalsQuery(Period):
    by: Literal["ticket", "agent", "account"] = Field("ticket", description="What to add up per.")
    ticket: int | None = Field(None, description="Only this ticket's entries.")
    agent: int | None = Field(None, description="Only this agent's entries.")
    account: int | None = Field(None, description="Only entries on this account's tickets.")


class ExportQuery(Period):
    start: dt.date = Field(..., alias="from", description="First day included (YYYY-MM-DD).")  # type: ignore[assignment]
    end: dt.date = Field(..., alias="to", description="Last day included (YYYY-MM-DD).")  # type: ignore[assignment]
    account: int | None = Field(None, description="Only entries on this account's tickets.")


class TimerOut(BaseModel):
    ticket_id: int
    started_at: dt.datetime


class TimerStopIn(Schema):
    billable: bool = True
    note: str = Field("", max_length=500)


def _entry(agent: Agent, entry_id: int) -> TimeEntry:
    entry = queries.visible_time_entries(agent).select_related("ticket", "agent").filter(pk=entry_id).first()
    if entry is None:
        raise NotFound(_("Time entry not found."))
    return entry


@router.get("/tickets/{int:ticket_id}/time-entries", response={200: page_of(TimeEntryOut), **ERRORS},
            url_name="list_time_entries", summary="List a ticket's time entries")
def list_time_entries(request: HttpRequest, ticket_id: int, page: Query[PageQuery]) -> Any:
    """Oldest first; the ticket's totals are at /time-entries/totals?ticket={id}."""
    _agent, ticket = agent_and_ticket(request, ticket_id)
    qs = TimeEntry.objects.filter(ticket=ticket).select_related("agent")
    rows, cursor = keyset_page(qs, [SortKey("id")], page.cursor, page.limit, tag="time")
    return {"results": [time_entry_out(e) for e in rows], "next": next_url(request, cursor)}


@router.post("/tickets/{int:ticket_id}/time-entries", response={201: TimeEntryOut, **ERRORS},
             url_name="log_time", summary="Log time spent on a ticket")
def log_time(request: HttpRequest, ticket_id: int, data: TimeEntryIn) -> Any:
    """1 to 1440 minutes, for the caller unless `agent_id` names a colleague."""
    agent, ticket = agent_and_ticket(request, ticket_id)
    for_agent = None
    if data.agent_id is not None:
        for_agent = Agent.objects.filter(pk=data.agent_id, is_active=True).first()
        if for_agent is None:
            raise ValidationFailed(_("Unknown agent."), {"agent_id": "not_found"})
    entry = actions.log_time(ticket, data.minutes, actor=agent, via=VIA, on=data.date, billable=data.billable,
                             note=data.note, agent=for_agent, email_contact=data.email_contact)
    return Reply(201, time_entry_out(TimeEntry.objects.select_related("agent").get(pk=entry.pk)))


@router.delete("/time-entries/{int:entry_id}", response={204: None, **ERRORS},
               url_name="delete_time_entry", summary="Delete a time entry")
def delete_time_entry(request: HttpRequest, entry_id: int) -> Any:
    """Your own entries; anyone's with the right to update the ticket. The history keeps what it said."""
    agent = agent_of(request)
    actions.delete_time_entry(_entry(agent, entry_id), actor=agent, via=VIA)
    return Reply(204, None)


@router.get("/time-entries/totals", response={200: TimeTotalsOut, **ERRORS},
            url_name="time_totals", summary="Time totals per ticket, agent or account")
def time_totals(request: HttpRequest, params: Query[TotalsQuery]) -> Any:
    """Minutes and billable minutes per group, largest first, over the tickets the caller can see."""
    agent = agent_of(request)
    start, end = params.checked()
    groups, total = queries.time_totals(agent, params.by, start=start, end=end, ticket_id=params.ticket,
                                        agent_id=params.agent, account_id=params.account)
    return {"by": params.by, "results": groups, "total": total}


@router.get(
    "/time-entries/export",
    response={200: None, **ERRORS},
    url_name="export_time",
    summary="Time entries of a period as CSV, for billing",
    openapi_extra={"responses": {200: {"description": "One row per entry", "content": {"text/csv": {"schema": {"type": "string"}}}}}},
)
def export_time(request: HttpRequest, params: Query[ExportQuery]) -> Any:
    """Owners, admins and supervisors. Columns: date, ticket, subject, account, agent, minutes, billable, note."""
    agent = agent_of(request)
    start, end = params.checked()
    body = queries.time_export_csv(agent, start, end, params.account)  # type: ignore[arg-type]
    response = HttpResponse(body, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="time-{start:%Y%m%d}-{end:%Y%m%d}.csv"'
    return response


@router.get("/timer", response={200: TimerOut, **ERRORS}, url_name="get_timer", summary="My running timer")
def get_timer(request: HttpRequest) -> Any:
    """404 when no timer is running."""
    timer = RunningTimer.objects.filter(agent=agent_of(request)).first()
    if timer is None:
        raise NotFound(_("No timer is running."))
    return {"ticket_id": timer.ticket_id, "started_at": timer.started_at}


@router.post("/tickets/{int:ticket_id}/timer", response={201: TimerOut, **ERRORS},
             url_name="start_timer", summary="Start my timer on a ticket")
def start_timer(request: HttpRequest, ticket_id: int) -> Any:
    """One timer per agent: 409 while another one runs."""
    agent, ticket = agent_and_ticket(request, ticket_id)
    timer = actions.start_timer(ticket, actor=agent, via=VIA)
    return Reply(201, {"ticket_id": timer.ticket_id, "started_at": timer.started_at})


@router.post("/timer/stop", response={201: TimeEntryOut, **ERRORS}, url_name="stop_timer",
             summary="Stop my timer and log its time")
def stop_timer(request: HttpRequest, data: TimerStopIn) -> Any:
    """Logs the elapsed minutes, rounded up; 409 when no timer runs."""
    agent = agent_of(request)
    entry = actions.stop_timer(actor=agent, via=VIA, billable=data.billable, note=data.note)
    return Reply(201, time_entry_out(TimeEntry.objects.select_related("agent").get(pk=entry.pk)))
