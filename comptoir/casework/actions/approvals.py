"""Requesting and deciding approvals on a ticket."""

from __future__ import annotations

import secrets
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from comptoir.casework.models import ApprovalPolicy, ApprovalRequest, ApprovalState, ApprovalStep
from comptoir.casework.signing import InvalidLink, read_token
from comptoir.core.errors import Conflict, NotFound, ValidationFailed
from comptoir.core.history import record_change, snapshot
from comptoir.core.hooks import Event, emit
from comptoir.core.models import Agent, Notification
from comptoir.core.permissions import can, require
from comptoir.tickets import history
from comptoir.tickets.actions.guards import ensure_allowed
from comptoir.tickets.models import Status, Ticket
from comptoir.tickets.queries import is_visible


def request_approval(
    ticket: Ticket, approvers: list[Agent], reason: str, *, actor: Any, via: str,
    status_on_approve: Status | None = None, status_on_reject: Status | None = None,
) -> ApprovalRequest:
    """Ask `approvers` to approve; each gets an email with single-use signed links (after commit).

    Refuses an empty reason, no approvers, or approvers whose role cannot decide.
    Only one pending request per ticket at a time. A status the request does not
    name comes from the desk's ApprovalPolicy, which admins set.
    """
    ensure_allowed(actor, "ticket.note", ticket)
    if status_on_approve is not None or status_on_reject is not None:
        # Changing the status later is a ticket update: only who may update may configure it.
        ensure_allowed(actor, "ticket.update", ticket)
    reason = (reason or "").strip()
    errors: dict[str, str] = {}
    if not reason:
        errors["reason"] = _("Say why approval is needed.")
    approvers = list({a.pk: a for a in approvers}.values())
    if not approvers:
        errors["approvers"] = _("Choose at least one approver.")
    elif any(not can(a, "approval.decide") for a in approvers):
        errors["approvers"] = _("Some of these agents cannot decide approvals.")
    elif any(not is_visible(a, ticket) for a in approvers):
        errors["approvers"] = _("Some of these agents cannot see this ticket.")
    if errors:
        raise ValidationFailed(_("The approval request is incomplete."), errors)
    with transaction.atomic():
        Ticket.objects.select_for_update().filter(pk=ticket.pk).first()
        if ApprovalRequest.objects.filter(ticket=ticket, state=ApprovalState.PENDING).exists():
            raise Conflict(_("An approval is already pending on this ticket."))
        policy = ApprovalPolicy.objects.filter(pk=1).first()
        approval = ApprovalRequest.objects.create(
            ticket=ticket, requested_by=actor if isinstance(actor, Agent) else None, reason=reason,
            status_on_approve=status_on_approve or (policy.status_on_approve if policy else None),
            status_on_reject=status_on_reject or (policy.status_on_reject if policy else None),
        )
        ApprovalStep.objects.bulk_create(
            [ApprovalStep(request=approval, approver=a, nonce=secrets.token_urlsafe(24)) for a in approvers]
        )
        history.record(ticket, "approval_requested", actor=actor, via=via, field="approval", new=ApprovalState.PENDING,
                       data={"request_id": approval.pk, "reason": reason, "approver_ids": [a.pk for a in approvers]})
        emit(Event("approval.requested", ticket_id=ticket.pk, data={"request_id": approval.pk}))
        transaction.on_commit(lambda: _enqueue_request_emails(approval.pk))
    return approval


def configure_approval_policy(
    status_on_approve: Status | None, status_on_reject: Status | None, *, actor: Any, via: str,
) -> ApprovalPolicy:
    """Set the statuses a decision applies by default (None: leave the status alone); admins only.

    Only requests made afterwards take the new policy: a pending request keeps
    what it was asked with, so an approver decides on known terms.
    """
    require(actor, "admin.settings")
    errors: dict[str, str] = {}
    for field, status in (("status_on_approve", status_on_approve), ("status_on_reject", status_on_reject)):
        if status is not None and not status.active:
            errors[field] = _("Choose an active status.")
    if errors:
        raise ValidationFailed(_("The approval policy could not be saved."), errors)
    with transaction.atomic():
        policy, _created = ApprovalPolicy.objects.select_for_update().get_or_create(pk=1)
        before = snapshot(policy, ("status_on_approve", "status_on_reject"))
        policy.status_on_approve, policy.status_on_reject = status_on_approve, status_on_reject
        policy.updated_by = actor if isinstance(actor, Agent) else None
        policy.updated_at = timezone.now()
        policy.save()
        record_change("approval_policy.updated", policy, actor=actor, via=via, before=before,
                      after=snapshot(policy, ("status_on_approve", "status_on_reject")))
    return policy


def _enqueue_request_emails(request_id: int) -> None:
    from comptoir.casework.tasks import send_approval_request_emails

    send_approval_request_emails(request_id)


def _enqueue_decision_notice(request_id: int) -> None:
    from comptoir.casework.tasks import send_approval_decision_notice

    send_approval_decision_notice(request_id)


def decide_approval(step: ApprovalStep, decision: str, comment: str = "", *, actor: Any, via: str) -> ApprovalRequest:
    """Record `actor`'s decision on their step; the first decision settles the request.

    Only the step's approver, holding `approval.decide` and seeing the ticket, may
    decide. A step or request already decided is a Conflict (links are single use).
    On approval/rejection the configured status is applied through update_ticket.
    """
    from comptoir.tickets.actions import update_ticket

    if decision not in (ApprovalState.APPROVED, ApprovalState.REJECTED):
        raise ValidationFailed(_("Choose approve or reject."), {"decision": "invalid"})
    if not isinstance(actor, Agent) or actor.pk != step.approver_id:
        raise NotFound(_("Approval not found."))
    ticket = step.request.ticket
    ensure_allowed(actor, "approval.decide", ticket)
    with transaction.atomic():
        step = ApprovalStep.objects.select_for_update().select_related("request").get(pk=step.pk)
        approval = ApprovalRequest.objects.select_for_update().get(pk=step.request_id)
        if step.decision != ApprovalState.PENDING or approval.state != ApprovalState.PENDING:
            raise Conflict(_("This approval has already been decided."))
        now = timezone.now()
        step.decision, step.comment, step.decided_at = decision, (comment or "").strip(), now
        step.nonce = secrets.token_urlsafe(24)  # any emailed link for this step stops working
        step.save(update_fields=["decision", "comment", "decided_at", "nonce"])
        approval.state, approval.decided_at = decision, now
        approval.save(update_fields=["state", "decided_at"])
        history.record(ticket, "approval_decided", actor=actor, via=via, field="approval",
                       old=ApprovalState.PENDING, new=decision,
                       data={"request_id": approval.pk, "comment": step.comment})
        new_status = approval.status_on_approve_id if decision == ApprovalState.APPROVED else approval.status_on_reject_id
        if new_status:
            update_ticket(ticket, {"status": Status.objects.get(pk=new_status)}, actor=actor, via=via)
        emit(Event("approval.decided", ticket_id=ticket.pk, actor_kind="agent", actor_id=actor.pk,
                   data={"request_id": approval.pk, "decision": decision}))
        if approval.requested_by_id:
            Notification.objects.create(
                agent_id=approval.requested_by_id, kind="approval_decided", ticket_id=ticket.pk,
                text=(_("Approval granted on ticket #%(number)s") if decision == ApprovalState.APPROVED
                      else _("Approval refused on ticket #%(number)s")) % {"number": ticket.number},
            )
        transaction.on_commit(lambda: _enqueue_decision_notice(approval.pk))
    return approval


def step_for_link(token: str) -> tuple[ApprovalStep, str]:
    """The step and decision an emailed link stands for; InvalidLink when forged, expired or used."""
    claim = read_token(token)
    step = ApprovalStep.objects.select_related("request__ticket", "approver").filter(pk=claim.step_id).first()
    if step is None or not secrets.compare_digest(step.nonce, claim.nonce):
        raise InvalidLink("unknown or used link")
    if claim.decision not in (ApprovalState.APPROVED, ApprovalState.REJECTED):
        raise InvalidLink("bad decision")
    return step, claim.decision


def decide_approval_by_link(token: str, comment: str = "", *, via: str = "email") -> ApprovalRequest:
    """Decide through an emailed link: the signed token stands for the approver."""
    step, decision = step_for_link(token)
    if step.decision != ApprovalState.PENDING or step.request.state != ApprovalState.PENDING:
        raise Conflict(_("This approval has already been decided."))
    return decide_approval(step, decision, comment, actor=step.approver, via=via)
