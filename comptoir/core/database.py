"""Per-statement control over PostgreSQL's prepared statements (docs/decisions/0004).

Connections prepare repeated statements, and after five runs PostgreSQL may
keep a generic plan that ignores the parameters' values. For statements whose
best plan depends on those values (time windows such as "no action for 48
hours", where a generic plan scanned a million rows: 30 ms became 750 ms),
run them inside unprepared().
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection


@contextmanager
def unprepared() -> Iterator[None]:
    """Statements run in this block are planned with their actual parameters every time."""
    if connection.vendor != "postgresql":
        yield
        return
    connection.ensure_connection()
    raw = connection.connection
    saved = getattr(raw, "prepare_threshold", None)
    raw.prepare_threshold = None
    try:
        yield
    finally:
        raw.prepare_threshold = saved
