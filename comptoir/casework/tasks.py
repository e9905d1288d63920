"""Background jobs: casework emails after commit, and the reminder sweep every minute."""

from __future__ import annotations

from huey import crontab

from comptoir.casework import emails
from comptoir.casework.models import ApprovalRequest, ApprovalState, Resolution, TimeEntry
from comptoir.casework.reminders import fire_due_reminders
from comptoir.huey import huey


@huey.task()
def send_approval_request_emails(request_id: int) -> None:
    """One email per approver still pending (idempotent enough: only pending steps)."""
    approval = ApprovalRequest.objects.select_related("ticket").filter(pk=request_id).first()
    if approval is None or approval.state != ApprovalState.PENDING:
        return
    for step in approval.steps.filter(decision=ApprovalState.PENDING).select_related("approver", "request__ticket"):
        emails.send_approval_request(step)


@huey.task()
def send_approval_decision_notice(request_id: int) -> None:
    approval = ApprovalRequest.objects.select_related("ticket", "requested_by").filter(pk=request_id).first()
    if approval is not None:
        emails.send_approval_decision(approval)


@huey.task()
def send_resolution_email(resolution_id: int) -> None:
    resolution = Resolution.objects.select_related("ticket__contact").filter(pk=resolution_id).first()
    if resolution is not None:
        emails.send_resolution(resolution)


@huey.task()
def send_time_entry_email(entry_id: int) -> None:
    entry = TimeEntry.objects.select_related("ticket__contact").filter(pk=entry_id).first()
    if entry is not None:
        emails.send_time_entry(entry)


@huey.periodic_task(crontab(minute="*"))
def fire_reminders() -> int:
    """Every minute: send the reminders that are due."""
    return fire_due_reminders()
