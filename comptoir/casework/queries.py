"""Read side of casework: every list starts from the actor's visible tickets."""

from __future__ import annotations

import csv
import io
from datetime import date
from typing import Any

from django.db.models import Case, IntegerField, QuerySet, Sum, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _

from comptoir.casework.models import (
    Activity,
    ApprovalRequest,
    ApprovalState,
    ApprovalStep,
    TimeEntry,
)
from comptoir.core.errors import PermissionDenied
from comptoir.core.models import Agent, Role
from comptoir.tickets.models import Ticket
from comptoir.tickets.queries import visible_tickets

EXPORT_ROLES = (Role.OWNER, Role.ADMIN, Role.SUPERVISOR)


def waiting_for_my_approval(agent: Agent) -> QuerySet[ApprovalStep]:
    """The agent's undecided steps on pending requests, on tickets they can see; oldest first."""
    return (
        ApprovalStep.objects.filter(approver=agent, decision=ApprovalState.PENDING,
                                    request__state=ApprovalState.PENDING,
                                    request__ticket__in=visible_tickets(agent))
        .select_related("request__ticket", "request__requested_by")
        .order_by("request__created_at", "pk")
    )


def approval_state(ticket: Ticket) -> ApprovalRequest | None:
    """The ticket's latest approval request (its state is the ticket's approval state), or None."""
    return ApprovalRequest.objects.filter(ticket=ticket).prefetch_related("steps__approver").first()


def my_activities(agent: Agent, *, include_done: bool = False) -> QuerySet[Activity]:
    """The agent's activities: overdue first, then by due date (undated last)."""
    now = timezone.now()
    qs = Activity.objects.filter(owner=agent, ticket__in=visible_tickets(agent)).select_related("ticket")
    if not include_done:
        qs = qs.filter(completed_at__isnull=True)
    return qs.annotate(
        overdue=Case(When(due_at__lt=now, completed_at__isnull=True, then=Value(0)), default=Value(1), output_field=IntegerField()),
        undated=Case(When(due_at__isnull=True, then=Value(1)), default=Value(0), output_field=IntegerField()),
    ).order_by("overdue", "undated", "due_at", "pk")


def ticket_activities(ticket: Ticket) -> QuerySet[Activity]:
    return Activity.objects.filter(ticket=ticket).select_related("owner").prefetch_related("reminders").order_by("completed_at", "due_at", "pk")


def ticket_time_total(ticket: Ticket) -> dict[str, int]:
    """{"minutes": all, "billable_minutes": billable} for one ticket."""
    return _totals(TimeEntry.objects.filter(ticket=ticket))


def agent_time_total(agent: Agent, start: date | None = None, end: date | None = None) -> dict[str, int]:
    return _totals(_in_period(TimeEntry.objects.filter(agent=agent), start, end))


def account_time_total(account_id: int, start: date | None = None, end: date | None = None) -> dict[str, int]:
    return _totals(_in_period(TimeEntry.objects.filter(ticket__account_id=account_id), start, end))


def _in_period(qs: QuerySet[TimeEntry], start: date | None, end: date | None) -> QuerySet[TimeEntry]:
    if start:
        qs = qs.filter(date__gte=start)
    if end:
        qs = qs.filter(date__lte=end)
    return qs


def _totals(qs: QuerySet[TimeEntry]) -> dict[str, int]:
    from django.db.models import Q

    agg = qs.aggregate(total=Sum("minutes"), billable=Sum("minutes", filter=Q(billable=True)))
    return {"minutes": agg["total"] or 0, "billable_minutes": agg["billable"] or 0}


def time_entries_for_export(actor: Any, start: date, end: date, account_id: int | None = None) -> QuerySet[TimeEntry]:
    """Entries dated start..end (inclusive), optionally for one account; admins/supervisors only."""
    if not isinstance(actor, Agent) or not actor.is_active or actor.role not in EXPORT_ROLES:
        raise PermissionDenied(_("Only administrators and supervisors can export time."))
    qs = _in_period(TimeEntry.objects.all(), start, end).select_related("ticket__account", "agent").order_by("date", "pk")
    if account_id:
        qs = qs.filter(ticket__account_id=account_id)
    return qs


def time_export_csv(actor: Any, start: date, end: date, account_id: int | None = None) -> str:
    """The billing CSV for a period: one row per entry; same permission as time_entries_for_export."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([_("Date"), _("Ticket"), _("Subject"), _("Account"), _("Agent"), _("Minutes"), _("Billable"), _("Note")])
    for e in time_entries_for_export(actor, start, end, account_id).iterator():
        writer.writerow([e.date.isoformat(), e.ticket.number, _cell(e.ticket.subject),
                         _cell(e.ticket.account.name if e.ticket.account else ""), e.agent.email, e.minutes,
                         "yes" if e.billable else "no", _cell(e.note)])
    return out.getvalue()


def _cell(text: str) -> str:
    """Neutralise spreadsheet formulas in free text (CSV injection)."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text
