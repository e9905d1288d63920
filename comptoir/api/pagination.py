"""Cursor (keyset) pagination: stable under inserts, constant cost per page whatever the depth.

A cursor is the sort values of the last row returned plus its id, encoded as
URL-safe base64 JSON; the next page starts strictly after it.
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _

from comptoir.core.errors import ValidationFailed

DEFAULT_LIMIT = 25
MAX_LIMIT = 100


@dataclass(frozen=True)
class SortKey:
    field: str
    descending: bool = False


def _pack(value: Any) -> list[Any]:
    if isinstance(value, datetime):
        return ["d", value.isoformat()]
    if isinstance(value, int):
        return ["i", value]
    return ["s", str(value)]


def _unpack(item: Any) -> Any:
    kind, value = item
    if kind == "d":
        return datetime.fromisoformat(value)
    if kind == "i":
        return int(value)
    if kind == "s":
        return str(value)
    raise ValueError(kind)


def encode_cursor(values: list[Any]) -> str:
    raw = json.dumps([_pack(v) for v in values], separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str, size: int) -> list[Any]:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        values = [_unpack(item) for item in json.loads(base64.urlsafe_b64decode(padded.encode()))]
    except (ValueError, TypeError, KeyError, json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise ValidationFailed(_("This cursor is not valid."), {"cursor": "invalid"}) from exc
    if len(values) != size:
        raise ValidationFailed(_("This cursor is not valid."), {"cursor": "invalid"})
    return values


def after(keys: list[SortKey], values: list[Any]) -> Q:
    """Rows strictly after `values` in the order given by `keys` (the last key must be unique)."""
    condition = Q(pk__in=[])
    for i, key in enumerate(keys):
        step = Q(**{f"{key.field}__{'lt' if key.descending else 'gt'}": values[i]})
        for j in range(i):
            step &= Q(**{keys[j].field: values[j]})
        condition |= step
    return condition


def keyset_page(
    qs: QuerySet[Any], keys: list[SortKey], cursor: str | None, limit: int, tag: str = ""
) -> tuple[list[Any], str | None]:
    """One page of `qs` ordered by `keys`, and the cursor of the next page (None at the end).

    `tag` names the ordering inside the cursor, so a cursor made for one sort
    is refused (422) rather than misread under another.
    """
    limit = max(1, min(int(limit or DEFAULT_LIMIT), MAX_LIMIT))
    qs = qs.order_by(*[f"{'-' if k.descending else ''}{k.field}" for k in keys])
    if cursor:
        values = decode_cursor(cursor, len(keys) + 1)
        if values[0] != tag:
            raise ValidationFailed(_("This cursor belongs to another sort order."), {"cursor": "invalid"})
        try:
            qs = qs.filter(after(keys, values[1:]))
        except (TypeError, ValueError) as exc:
            raise ValidationFailed(_("This cursor is not valid."), {"cursor": "invalid"}) from exc
    rows = list(qs[: limit + 1])
    if len(rows) <= limit:
        return rows, None
    rows = rows[:limit]
    last = rows[-1]
    return rows, encode_cursor([tag, *[getattr(last, k.field) for k in keys]])


def next_url(request: HttpRequest, cursor: str | None, param: str = "cursor") -> str | None:
    """The URL of the next page: this request's URL with the cursor replaced."""
    if cursor is None:
        return None
    query = request.GET.copy()
    query[param] = cursor
    return request.build_absolute_uri(f"{request.path}?{query.urlencode()}")
