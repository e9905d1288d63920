"""Casework shapes: approvals, resolution, activities, time entries and totals. Agents only."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from ninja import Schema
from pydantic import BaseModel, Field

from comptoir.api.schemas.common import Ref, ref
from comptoir.casework.models import (
    Activity,
    ApprovalPolicy,
    ApprovalRequest,
    ApprovalStep,
    Resolution,
    TimeEntry,
)

ApprovalStateName = Literal["pending", "approved", "rejected"]
ActivityKindName = Literal["task", "call", "event"]
CallDirectionName = Literal["in", "out"]
ReminderChannelName = Literal["email", "popup", "sms"]


# --- approvals ---------------------------------------------------------------

class ApprovalStepOut(BaseModel):
    id: int
    approver: Ref
    decision: ApprovalStateName
    comment: str
    decided_at: dt.datetime | None


class ApprovalOut(BaseModel):
    id: int
    ticket_id: int
    state: ApprovalStateName
    reason: str
    requested_by: Ref | None
    status_on_approve: Ref | None
    status_on_reject: Ref | None
    created_at: dt.datetime
    decided_at: dt.datetime | None
    steps: list[ApprovalStepOut]


class WaitingApprovalOut(BaseModel):
    """One step waiting for the caller: decide it with POST .../approvals/{approval_id}/decision."""

    step_id: int
    approval: ApprovalOut


class ApprovalIn(Schema):
    approver_ids: list[int] = Field(..., min_length=1, max_length=50, description="Agents allowed to decide approvals.")
    reason: str = Field(..., min_length=1, max_length=5000)
    status_on_approve_id: int | None = Field(None, description="Status to set when approved (needs the right to update the ticket).")
    status_on_reject_id: int | None = Field(None, description="Status to set when rejected.")


class DecisionIn(Schema):
    decision: Literal["approved", "rejected"]
    comment: str = Field("", max_length=5000)


class ApprovalPolicyOut(BaseModel):
    """The statuses a decision applies when its request names none (null: the status stays)."""

    status_on_approve: Ref | None
    status_on_reject: Ref | None
    updated_at: dt.datetime | None


class ApprovalPolicyIn(Schema):
    status_on_approve_id: int | None = Field(None, description="Status set on approval; null to leave the status alone.")
    status_on_reject_id: int | None = Field(None, description="Status set on rejection; null to leave the status alone.")


def approval_policy_out(policy: ApprovalPolicy | None) -> dict[str, Any]:
    """Expects both statuses loaded; no policy yet reads as "no status change"."""
    if policy is None:
        return {"status_on_approve": None, "status_on_reject": None, "updated_at": None}
    return {"status_on_approve": ref(policy.status_on_approve), "status_on_reject": ref(policy.status_on_reject),
            "updated_at": policy.updated_at}


def step_out(step: ApprovalStep) -> dict[str, Any]:
    return {"id": step.pk, "approver": ref(step.approver), "decision": step.decision, "comment": step.comment,
            "decided_at": step.decided_at}


def approval_out(a: ApprovalRequest) -> dict[str, Any]:
    """Expects requested_by, both statuses and steps__approver loaded (casework.queries.ticket_approvals)."""
    return {
        "id": a.pk, "ticket_id": a.ticket_id, "state": a.state, "reason": a.reason,
        "requested_by": ref(a.requested_by), "status_on_approve": ref(a.status_on_approve),
        "status_on_reject": ref(a.status_on_reject), "created_at": a.created_at, "decided_at": a.decided_at,
        "steps": [step_out(s) for s in a.steps.all()],
    }


# --- resolution --------------------------------------------------------------

class ResolutionOut(BaseModel):
    ticket_id: int
    text: str
    updated_by: Ref | None
    updated_at: dt.datetime
    article_id: int | None = Field(None, description="The draft help-center article made from it, if published.")


class ResolutionIn(Schema):
    text: str = Field(..., min_length=1, max_length=50000)
    email_contact: bool = Field(False, description="Also email the resolution to the ticket's contact.")
    publish: bool = Field(False, description="Also create a draft knowledge-base article from it.")


def resolution_out(r: Resolution) -> dict[str, Any]:
    return {"ticket_id": r.ticket_id, "text": r.text, "updated_by": ref(r.updated_by), "updated_at": r.updated_at,
            "article_id": r.article_id}


# --- activities --------------------------------------------------------------

class ReminderOut(BaseModel):
    id: int
    channel: ReminderChannelName
    remind_at: dt.datetime
    sms_to: str
    sent_at: dt.datetime | None


class ActivityOut(BaseModel):
    id: int
    ticket_id: int
    kind: ActivityKindName
    subject: str
    owner: Ref
    due_at: dt.datetime | None
    ends_at: dt.datetime | None
    direction: CallDirectionName | Literal[""]
    duration_minutes: int | None
    outcome: str
    completed_at: dt.datetime | None
    created_at: dt.datetime
    reminders: list[ReminderOut]


class ReminderIn(Schema):
    channel: ReminderChannelName
    remind_at: dt.datetime = Field(..., description="Must lie in the future.")
    sms_to: str = Field("", max_length=40, description="The phone number, for SMS reminders.")


class ActivityIn(Schema):
    kind: ActivityKindName
    subject: str = Field(..., min_length=1, max_length=250)
    owner_id: int | None = Field(None, description="Defaults to the caller.")
    due_at: dt.datetime | None = Field(None, description="Due time of a task or call, start of an event.")
    ends_at: dt.datetime | None = Field(None, description="End of an event.")
    direction: CallDirectionName | None = Field(None, description="Calls: in or out.")
    duration_minutes: int | None = Field(None, ge=0, le=100000)
    outcome: str = Field("", max_length=250)
    reminders: list[ReminderIn] = Field(default_factory=list, max_length=10)


class ActivityPatchIn(Schema):
    subject: str | None = Field(None, min_length=1, max_length=250)
    owner_id: int | None = None
    due_at: dt.datetime | None = None
    ends_at: dt.datetime | None = None
    direction: CallDirectionName | None = None
    duration_minutes: int | None = Field(None, ge=0, le=100000)
    outcome: str | None = Field(None, max_length=250)


def activity_out(a: Activity) -> dict[str, Any]:
    """Expects owner and reminders loaded (casework.queries.ticket_activities)."""
    return {
        "id": a.pk, "ticket_id": a.ticket_id, "kind": a.kind, "subject": a.subject, "owner": ref(a.owner),
        "due_at": a.due_at, "ends_at": a.ends_at, "direction": a.direction, "duration_minutes": a.duration_minutes,
        "outcome": a.outcome, "completed_at": a.completed_at, "created_at": a.created_at,
        "reminders": [{"id": r.pk, "channel": r.channel, "remind_at": r.remind_at, "sms_to": r.sms_to, "sent_at": r.sent_at}
                      for r in a.reminders.all()],
    }


# --- time --------------------------------------------------------------------

class TimeEntryOut(BaseModel):
    id: int
    ticket_id: int
    agent: Ref
    date: dt.date
    minutes: int
    billable: bool
    note: str
    created_at: dt.datetime


class TimeEntryIn(Schema):
    minutes: int = Field(..., ge=1, le=1440)
    date: dt.date | None = Field(None, description="Defaults to today.")
    billable: bool = True
    note: str = Field("", max_length=500)
    agent_id: int | None = Field(None, description="Log for another agent (needs the right to update the ticket).")
    email_contact: bool = Field(False, description="Email the entry to the ticket's contact.")


class TimeTotal(BaseModel):
    minutes: int
    billable_minutes: int


class TimeGroupOut(BaseModel):
    id: int | None = Field(None, description="The ticket, agent or account id; null groups entries on tickets without an account.")
    name: str
    minutes: int
    billable_minutes: int


class TimeTotalsOut(BaseModel):
    by: Literal["ticket", "agent", "account"]
    results: list[TimeGroupOut]
    total: TimeTotal


def time_entry_out(e: TimeEntry) -> dict[str, Any]:
    return {"id": e.pk, "ticket_id": e.ticket_id, "agent": ref(e.agent), "date": e.date, "minutes": e.minutes,
            "billable": e.billable, "note": e.note, "created_at": e.created_at}
