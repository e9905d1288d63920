"""/api/v1/export/tickets: an incremental stream of changed tickets, for mirrors and dashboards.

Tickets come ordered by (updated_at, id) and the cursor holds both, so a
client that keeps calling with the cursor it got sees every change exactly once
per change: a ticket changed after it was exported moves behind the cursor and
comes again. Rows younger than SETTLE are held back a moment, so a transaction
that stamped updated_at just before a slower one committed is not skipped.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router, Schema
from pydantic import Field

from comptoir.api.access import agent_of
from comptoir.api.pagination import SortKey, encode_cursor, keyset_page
from comptoir.api.routers.tickets import render_tickets, ticket_rows
from comptoir.api.schemas.common import ERRORS
from comptoir.api.schemas.integrations import ExportOut

router = Router()

SETTLE = timedelta(seconds=2)
START = datetime(1970, 1, 1).astimezone()
TAG = "export"


class ExportQuery(Schema):
    since_cursor: str | None = Field(None, description="The cursor of the previous page; leave out to start from the beginning.")
    limit: int = Field(100, ge=1, le=100)


@router.get("/tickets", response={200: ExportOut, **ERRORS}, url_name="export_tickets", summary="Tickets changed since a cursor")
def export_tickets(request: HttpRequest, params: Query[ExportQuery]) -> Any:
    """Call again with `cursor` as `since_cursor` until `end_of_stream`; later calls return new changes."""
    agent = agent_of(request, "report.view")
    qs = ticket_rows(agent, include_archived=True).filter(updated_at__lte=timezone.now() - SETTLE)
    keys = [SortKey("updated_at"), SortKey("id")]
    rows, _next = keyset_page(qs, keys, params.since_cursor, params.limit, tag=TAG)
    if rows:
        cursor = encode_cursor([TAG, rows[-1].updated_at, rows[-1].pk])
    else:
        cursor = params.since_cursor or encode_cursor([TAG, START, 0])
    return {"results": render_tickets(agent, rows), "cursor": cursor, "end_of_stream": len(rows) < params.limit}
