"""Core write and read paths: create_ticket throughput, the open-tickets list per scope, auto-close."""

from __future__ import annotations

import time
from typing import Any

from bench.measure import latency_rows, row, time_calls

SUITE = "core"
CREATES = 1000
LIST_REPEAT = 100


def run(ctx: Any) -> list[dict[str, Any]]:
    rows = []
    rows += create_throughput(ctx, send_confirmation=True)
    rows += create_throughput(ctx, send_confirmation=False)
    for key, label in [("admin", "admin, all tickets"), ("group_agent", "group-scoped agent"),
                       ("assigned_agent", "assigned-only agent")]:
        rows += open_list_latency(ctx, key, label)
    rows += auto_close_latency()
    return rows


def create_throughput(ctx: Any, *, send_confirmation: bool) -> list[dict[str, Any]]:
    """Tickets per second through create_ticket, half from known contacts, half from new ones.

    Each call is its own transaction (autocommit), as an email intake or API
    request would run it. With send_confirmation the "ticket.created" hook
    queues the confirmation mail on Huey (not sent here: no worker runs).
    """
    from comptoir.contacts.models import ContactIdentity, IdentityKind
    from comptoir.core.actors import SYSTEM
    from comptoir.tickets.actions import create_ticket

    known = list(ContactIdentity.objects.filter(kind=IdentityKind.EMAIL).order_by("-pk").values_list("value", flat=True)[:CREATES])
    departments = ctx.departments
    stamp = time.time_ns()
    start = time.perf_counter()
    for i in range(CREATES):
        email = known[i % len(known)] if i % 2 == 0 and known else f"new{stamp}-{i}@fresh.bench.test"
        create_ticket(
            actor=SYSTEM, via="email", channel="email", subject=f"Bench ticket {i}",
            description="Hello, my app crashes when I open the settings page. Can you help?",
            contact_email=email, contact_name="Bench Customer", department=departments[i % len(departments)],
            send_confirmation=send_confirmation,
        )
    elapsed = time.perf_counter() - start
    label = "confirmation queued on Huey" if send_confirmation else "confirmation off"
    return [row(SUITE, f"create_ticket throughput ({label})", CREATES / elapsed, "/s", ">= 1500 /s")]


def open_list_latency(ctx: Any, key: str, label: str) -> list[dict[str, Any]]:
    """First page (25 rows) of open tickets by recent activity, as a list view loads it.

    Each sample loads the agent row afresh (so the group-id lookup a request
    pays is included), then materialises the page with its related rows and tags.
    """
    from comptoir.core.models import Agent
    from comptoir.tickets.queries import ticket_list

    agent_pk = ctx.agents[key].pk

    def first_page() -> list[Any]:
        agent = Agent.objects.get(pk=agent_pk)
        return list(ticket_list(agent, status_category="open").order_by("-updated_at")[:25])

    samples = time_calls(first_page, repeat=LIST_REPEAT)
    return latency_rows(SUITE, f"open list first page ({label})", samples, target_p95="<= 20 ms at 1M")


def auto_close_latency() -> list[dict[str, Any]]:
    """close_solved_tickets when nothing is due: it should cost one indexed probe."""
    from comptoir.tickets.actions import close_solved_tickets

    close_solved_tickets()  # drains anything due first
    samples = time_calls(close_solved_tickets, repeat=50)
    return latency_rows(SUITE, "close_solved_tickets, nothing due", samples, target_p95="<= 5 ms")
