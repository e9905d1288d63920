"""Read side of casework: every list starts from the actor's visible tickets."""

from __future__ import annotations

import csv
import io
from datetime import date
from typing import Any

from django.db.models import Case, IntegerField, Prefetch, Q, QuerySet, Sum, Value, When
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
from comptoir.core.models import Agent
from comptoir.core.permissions import can
from comptoir.tickets.models import Ticket
from comptoir.tickets.queries import visible_tickets


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


def ticket_approvals(ticket: Ticket) -> QuerySet[ApprovalRequest]:
    """Every approval request of the ticket with its steps and approvers (two queries per page)."""
    return _with_steps(ApprovalRequest.objects.filter(ticket=ticket))


def approvals_with_steps(ids: list[int]) -> QuerySet[ApprovalRequest]:
    """These approval requests with their steps and approvers, for rendering a page of them."""
    return _with_steps(ApprovalRequest.objects.filter(pk__in=ids))


def _with_steps(qs: QuerySet[ApprovalRequest]) -> QuerySet[ApprovalRequest]:
    return qs.select_related("requested_by", "status_on_approve", "status_on_reject").prefetch_related(
        Prefetch("steps", queryset=ApprovalStep.objects.select_related("approver").order_by("pk")))


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
    agg = qs.aggregate(total=Sum("minutes"), billable=Sum("minutes", filter=Q(billable=True)))
    return {"minutes": agg["total"] or 0, "billable_minutes": agg["billable"] or 0}


# What time_totals can group by: the grouped column and the column naming each group.
TOTAL_GROUPS = {
    "ticket": ("ticket_id", "ticket__subject"),
    "agent": ("agent_id", "agent__name"),
    "account": ("ticket__account_id", "ticket__account__name"),
}


def visible_time_entries(actor: Any) -> QuerySet[TimeEntry]:
    """Time entries on the tickets `actor` may see: where every time list and total starts."""
    return TimeEntry.objects.filter(ticket__in=visible_tickets(actor))


def time_totals(
    actor: Any, by: str, *, start: date | None = None, end: date | None = None,
    ticket_id: int | None = None, agent_id: int | None = None, account_id: int | None = None,
) -> tuple[list[dict[str, Any]], dict[str, int]]:
    """Minutes (all and billable) per ticket, agent or account, over the actor's visible tickets.

    Returns the groups, largest first (entries on tickets without an account form
    a group whose id is None), and the grand total; two queries whatever the size.
    """
    key, label = TOTAL_GROUPS[by]
    qs = _in_period(visible_time_entries(actor), start, end)
    if ticket_id is not None:
        qs = qs.filter(ticket_id=ticket_id)
    if agent_id is not None:
        qs = qs.filter(agent_id=agent_id)
    if account_id is not None:
        qs = qs.filter(ticket__account_id=account_id)
    rows = (qs.order_by().values(key, label)
            .annotate(sum_all=Sum("minutes"), sum_billable=Sum("minutes", filter=Q(billable=True)))
            .order_by("-sum_all", key))
    groups = [{"id": r[key], "name": r[label] or "", "minutes": r["sum_all"] or 0,
               "billable_minutes": r["sum_billable"] or 0} for r in rows]
    return groups, _totals(qs)


def time_entries_for_export(actor: Any, start: date, end: date, account_id: int | None = None) -> QuerySet[TimeEntry]:
    """Entries dated start..end (inclusive), optionally for one account; `time.export` holders only.

    Like every list, the export starts from the tickets the actor may see: a
    supervisor restricted to some groups bills only the work on those groups' tickets.
    """
    if not isinstance(actor, Agent) or not can(actor, "time.export"):
        raise PermissionDenied(_("Only administrators and supervisors can export time."))
    qs = _in_period(visible_time_entries(actor), start, end).select_related("ticket__account", "agent").order_by("date", "pk")
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
