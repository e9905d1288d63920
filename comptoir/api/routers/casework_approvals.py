"""/api/v1/tickets/{id}/approvals: request an approval, list them, decide as an approver.

Also /api/v1/approvals/waiting: the caller's "Waiting for my approval" list, and
/api/v1/approvals/policy: the statuses a decision applies by default (admins set it).
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router
from ninja import Status as Reply

from comptoir.api.access import VIA, agent_of
from comptoir.api.pagination import SortKey, keyset_page, next_url
from comptoir.api.routers.casework import agent_and_ticket
from comptoir.api.schemas.casework import (
    ApprovalIn,
    ApprovalOut,
    ApprovalPolicyIn,
    ApprovalPolicyOut,
    DecisionIn,
    WaitingApprovalOut,
    approval_out,
    approval_policy_out,
)
from comptoir.api.schemas.common import ERRORS, PageQuery, page_of
from comptoir.casework import actions, queries
from comptoir.casework.models import ApprovalPolicy, ApprovalStep
from comptoir.core.errors import NotFound, ValidationFailed
from comptoir.core.models import Agent
from comptoir.tickets.models import Status

router = Router()


def _status(pk: int | None, field: str) -> Status | None:
    if pk is None:
        return None
    status = Status.objects.filter(pk=pk, active=True).first()
    if status is None:
        raise ValidationFailed(_("Unknown status."), {field: "not_found"})
    return status


@router.get("/tickets/{int:ticket_id}/approvals", response={200: page_of(ApprovalOut), **ERRORS},
            url_name="list_approvals", summary="List a ticket's approval requests")
def list_approvals(request: HttpRequest, ticket_id: int, page: Query[PageQuery]) -> Any:
    """Newest first; the first one's `state` is the ticket's approval state."""
    _agent, ticket = agent_and_ticket(request, ticket_id)
    keys = [SortKey("created_at", descending=True), SortKey("id", descending=True)]
    rows, cursor = keyset_page(queries.ticket_approvals(ticket), keys, page.cursor, page.limit, tag="approvals")
    return {"results": [approval_out(a) for a in rows], "next": next_url(request, cursor)}


@router.post("/tickets/{int:ticket_id}/approvals", response={201: ApprovalOut, **ERRORS},
             url_name="request_approval", summary="Request approval")
def request_approval(request: HttpRequest, ticket_id: int, data: ApprovalIn) -> Any:
    """Each approver is emailed single-use approve/reject links. One pending request per ticket (409)."""
    agent, ticket = agent_and_ticket(request, ticket_id)
    wanted = set(data.approver_ids)
    approvers = list(Agent.objects.filter(pk__in=wanted, is_active=True))
    if len(approvers) != len(wanted):
        raise ValidationFailed(_("Some of these approvers do not exist."), {"approver_ids": "not_found"})
    approval = actions.request_approval(
        ticket, approvers, data.reason, actor=agent, via=VIA,
        status_on_approve=_status(data.status_on_approve_id, "status_on_approve_id"),
        status_on_reject=_status(data.status_on_reject_id, "status_on_reject_id"),
    )
    return Reply(201, approval_out(queries.ticket_approvals(ticket).get(pk=approval.pk)))


@router.post("/tickets/{int:ticket_id}/approvals/{int:approval_id}/decision", response={200: ApprovalOut, **ERRORS},
             url_name="decide_approval", summary="Approve or reject, as one of the approvers")
def decide_approval(request: HttpRequest, ticket_id: int, approval_id: int, data: DecisionIn) -> Any:
    """The first decision settles the request; later ones get 409. Callers who are not approvers of it get 404."""
    agent, ticket = agent_and_ticket(request, ticket_id, "approval.decide")
    step = (ApprovalStep.objects.select_related("request__ticket")
            .filter(request_id=approval_id, request__ticket=ticket, approver=agent).first())
    if step is None:
        raise NotFound(_("Approval not found."))
    actions.decide_approval(step, data.decision, data.comment, actor=agent, via=VIA)
    return approval_out(queries.ticket_approvals(ticket).get(pk=approval_id))


@router.get("/approvals/waiting", response={200: page_of(WaitingApprovalOut), **ERRORS},
            url_name="waiting_approvals", summary="Approvals waiting for my decision")
def waiting_approvals(request: HttpRequest, page: Query[PageQuery]) -> Any:
    """Oldest request first, on tickets the caller can see."""
    agent = agent_of(request)
    steps = queries.waiting_for_my_approval(agent)
    keys = [SortKey("id")]
    rows, cursor = keyset_page(steps, keys, page.cursor, page.limit, tag="waiting")
    approvals = {a.pk: a for a in queries.approvals_with_steps([s.request_id for s in rows])}
    return {"results": [{"step_id": s.pk, "approval": approval_out(approvals[s.request_id])} for s in rows],
            "next": next_url(request, cursor)}


def _policy() -> ApprovalPolicy | None:
    return ApprovalPolicy.objects.select_related("status_on_approve", "status_on_reject").filter(pk=1).first()


@router.get("/approvals/policy", response={200: ApprovalPolicyOut, **ERRORS},
            url_name="get_approval_policy", summary="The statuses approval decisions apply by default")
def get_approval_policy(request: HttpRequest) -> Any:
    """Any agent may read it, to know what a decision will do to the ticket."""
    agent_of(request)
    return approval_policy_out(_policy())


@router.put("/approvals/policy", response={200: ApprovalPolicyOut, **ERRORS},
            url_name="set_approval_policy", summary="Set the statuses approval decisions apply by default")
def set_approval_policy(request: HttpRequest, data: ApprovalPolicyIn) -> Any:
    """Owners and admins. Applies to requests made afterwards; a request naming its own statuses keeps them."""
    agent = agent_of(request, "admin.settings")
    actions.configure_approval_policy(
        _status(data.status_on_approve_id, "status_on_approve_id"),
        _status(data.status_on_reject_id, "status_on_reject_id"), actor=agent, via=VIA,
    )
    return approval_policy_out(_policy())
