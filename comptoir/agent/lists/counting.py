"""Live counts for the views sidebar and the dashboard, kept fast on a million tickets.

Every count is a scalar subquery ``(SELECT COUNT(*) FROM (… LIMIT cap))`` and all of
them go to the database as one statement, so a page of counts costs one query and
each count stops reading after `cap` rows (shown as "1000+"). The sidebar also
caches its counts, and the dashboard its numbers, for 30 seconds per agent
(see docs/decisions/0001).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.cache import cache
from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import QuerySet

from comptoir.core.database import unprepared

COUNT_CAP = 1000
CACHE_SECONDS = 30


def capped_counts(querysets: dict[str, QuerySet[Any]], cap: int = COUNT_CAP) -> dict[str, int]:
    """Count each queryset up to `cap` rows, all in one query. Keys are kept."""
    parts: list[str] = []
    params: list[Any] = []
    keys: list[str] = []
    counts: dict[str, int] = {}
    for key, qs in querysets.items():
        try:
            sql, sql_params = qs.order_by().values("pk")[:cap].query.sql_with_params()
        except EmptyResultSet:
            counts[key] = 0
            continue
        parts.append(f"(SELECT COUNT(*) FROM ({sql}) AS capped_{len(keys)})")
        params.extend(sql_params)
        keys.append(key)
    if parts:
        # Planned with the real parameters each time: a generic plan cannot tell
        # that a time window matches few rows (see comptoir.core.database).
        with unprepared(), connection.cursor() as cursor:
            cursor.execute("SELECT " + ", ".join(parts), params)
            row = cursor.fetchone()
        counts.update({key: int(value) for key, value in zip(keys, row, strict=True)})
    return {key: counts[key] for key in querysets}


def cached_counts(cache_key: str, querysets: dict[str, QuerySet[Any]]) -> dict[str, int]:
    """capped_counts(), remembered for CACHE_SECONDS under `cache_key`."""
    counts = cached_value(f"counts:{cache_key}", lambda: capped_counts(querysets))
    return counts if set(counts) == set(querysets) else capped_counts(querysets)


def cached_value(cache_key: str, compute: Callable[[], Any]) -> Any:
    """compute(), remembered for CACHE_SECONDS. The key carries the database name, so
    test runs sharing one Redis never read each other's numbers."""
    key = f"comptoir:lists:{connection.settings_dict.get('NAME')}:{cache_key}"
    found = cache.get(key)
    if found is not None:
        return found
    value = compute()
    cache.set(key, value, CACHE_SECONDS)
    return value


def display_count(count: int, cap: int = COUNT_CAP) -> str:
    return f"{cap}+" if count >= cap else str(count)
