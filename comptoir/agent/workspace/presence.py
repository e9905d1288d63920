"""Who else is on a ticket: viewing or typing, kept in the cache with a short TTL.

The ticket page polls /presence/ every 5 s; each poll refreshes the caller's own
entry (state "typing" while the composer has text) and answers with the others.
Nothing is written to the database: presence is advisory and expires by itself.
"""

from __future__ import annotations

import time
from typing import Any

from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from comptoir.agent.workspace.access import agent_required
from comptoir.agent.workspace.loading import visible_ticket_or_404

VIEWING = "viewing"
TYPING = "typing"
TTL_SECONDS = 15


def _key(ticket_id: int | str) -> str:
    return f"comptoir:presence:{ticket_id}"


def ticket_identity(ticket: Any) -> str:
    """What presence is keyed on: the id plus the creation instant, because SQLite may give a
    deleted ticket's id to the next one, which must not inherit its viewers."""
    return f"{ticket.pk}.{ticket.created_at.timestamp():.6f}"


def mark(ticket_id: int | str, agent: Any, state: str, *, now: float | None = None) -> None:
    """Record that `agent` is viewing (or typing on) the ticket for the next TTL seconds."""
    now = time.time() if now is None else now
    entries = {k: v for k, v in (cache.get(_key(ticket_id)) or {}).items() if v["until"] > now}
    entries[agent.pk] = {"name": agent.name or agent.email, "state": state, "until": now + TTL_SECONDS}
    cache.set(_key(ticket_id), entries, TTL_SECONDS * 2)


def others(ticket_id: int | str, agent: Any, *, now: float | None = None) -> list[dict[str, Any]]:
    """The other agents currently on the ticket, typing ones first."""
    now = time.time() if now is None else now
    entries = cache.get(_key(ticket_id)) or {}
    people = [v for k, v in entries.items() if k != agent.pk and v["until"] > now]
    return sorted(people, key=lambda v: (v["state"] != TYPING, v["name"]))


@agent_required
def presence_view(request: HttpRequest, number: int) -> HttpResponse:
    """Refresh the caller's presence and render the collision notice for the others."""
    ticket = visible_ticket_or_404(request, number)
    state = TYPING if request.GET.get("state") == TYPING or request.POST.get("state") == TYPING else VIEWING
    mark(ticket_identity(ticket), request.user, state)
    return render(request, "agent/ticket/presence.html", {"others": others(ticket_identity(ticket), request.user)})
