"""Putting demo history in the past: actions run now, their timestamps are then moved to story time.

The actions stamp what they write with the real time. Before each action the
loader calls `step(at)` with the moment the story says it happened; `rewrite()`
then moves every timestamp written since the first step to its story moment
(keeping the microseconds between writes, so order within a step is kept).
Explicitly past-dated values (create_ticket(created_at=...)) are older than
the first step and stay as they are. These bulk rewrites are demo-only.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from django.db import connection
from django.db.models import Model
from django.utils import timezone

from comptoir.tickets.models import (
    Attachment,
    EventKind,
    Message,
    StatusCategory,
    Ticket,
    TicketEvent,
)

TICKET_TIMES = ["created_at", "updated_at", "status_changed_at", "first_agent_reply_at", "last_customer_message_at",
                "last_agent_message_at", "solved_at", "closed_at"]


def _write(model: type[Model], columns: list[str], rows: list[tuple[Any, ...]]) -> None:
    """UPDATE rows (values..., pk) in one executemany; values are datetimes."""
    if not rows:
        return
    quote = connection.ops.quote_name
    sets = ", ".join(f"{quote(c)} = %s" for c in columns)
    sql = f"UPDATE {quote(model._meta.db_table)} SET {sets} WHERE id = %s"
    adapt = connection.ops.adapt_datetimefield_value
    with connection.cursor() as cursor:
        cursor.executemany(sql, [(*(adapt(v) for v in row[:-1]), row[-1]) for row in rows])


def _shift(since: datetime, to_story: Callable[[datetime | None], datetime | None]) -> None:
    for model in (Message, TicketEvent, Attachment):
        rows = model.objects.filter(created_at__gte=since).values_list("created_at", "pk")
        _write(model, ["created_at"], [(to_story(at), pk) for at, pk in rows])
    tickets = Ticket.objects.filter(updated_at__gte=since).values_list(*TICKET_TIMES, "pk")
    _write(Ticket, TICKET_TIMES, [(*(to_story(v) for v in row[:-1]), row[-1]) for row in tickets])


class DemoClock:
    def __init__(self) -> None:
        self.real: list[datetime] = []
        self.story: list[datetime] = []

    def step(self, at: datetime) -> None:
        """The next action happens at `at` in the story."""
        self.real.append(timezone.now())
        self.story.append(at)

    def to_story(self, value: datetime | None) -> datetime | None:
        if value is None or not self.real or value < self.real[0]:
            return value
        i = bisect_right(self.real, value) - 1
        return self.story[i] + (value - self.real[i])

    def rewrite(self) -> None:
        """Move everything written since the first step to story time, then start afresh."""
        if self.real:
            _shift(self.real[0], self.to_story)
        self.real.clear()
        self.story.clear()


def backdate_auto_close(since: datetime, delay: timedelta) -> int:
    """Tickets the auto-close job closed since `since` get closed `delay` after their solve, as if it ran then."""
    closed = {
        pk: solved + delay
        for pk, solved in Ticket.objects.filter(status_category=StatusCategory.CLOSED, closed_at__gte=since)
        .values_list("pk", "solved_at")
        if solved is not None  # the job stamps solved_at when it was missing; never None here
    }
    _write(Ticket, ["closed_at", "status_changed_at", "updated_at"], [(at, at, at, pk) for pk, at in closed.items()])
    events = TicketEvent.objects.filter(kind=EventKind.FIELD_CHANGED, created_at__gte=since, ticket_id__in=list(closed))
    _write(TicketEvent, ["created_at"], [(closed[ticket_id], pk) for ticket_id, pk in events.values_list("ticket_id", "pk")])
    return len(closed)
