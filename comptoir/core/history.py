"""The audit log's only writer: every configuration change, as who, how, what, before → after.

Ticket history has `tickets/history.py`; this is its twin for everything else
an admin changes (departments, agents, statuses, fields, settings, rules...).
Actions call `record_change` inside their transaction, so a change and its
audit entry commit or roll back together, and no screen or API path can skip it.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.db.models import Model

from comptoir.core.actors import actor_kind, actor_label
from comptoir.core.models import Agent, AuditEntry

_SECRET_FIELDS = frozenset({"password", "secret", "token", "token_hash", "key_hash", "imap_password", "smtp_password"})


def _plain(value: Any) -> Any:
    """A JSON-safe form of a field value: ids for rows, ISO text for dates, lists for sets."""
    if isinstance(value, Model):
        return {"id": value.pk, "name": str(value)}
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, set | frozenset | tuple):
        return sorted((_plain(v) for v in value), key=str)
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)


def snapshot(obj: Model, fields: Iterable[str]) -> dict[str, Any]:
    """The current values of `fields` on `obj`, taken before a change to compare after it."""
    values: dict[str, Any] = {}
    for field in fields:
        if field in _SECRET_FIELDS:
            continue
        values[field] = _plain(getattr(obj, field, None))
    return values


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    """`{field: [before, after]}` for the fields whose value changed; secrets appear as changed, never shown."""
    changed: dict[str, list[Any]] = {}
    for field in sorted(set(before) | set(after)):
        old, new = _plain(before.get(field)), _plain(after.get(field))
        if old != new:
            changed[field] = ["•••", "•••"] if field in _SECRET_FIELDS else [old, new]
    return changed


def record_change(
    kind: str,
    obj: Model | None,
    *,
    actor: Any,
    via: str = "",
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    object_type: str = "",
    object_repr: str = "",
) -> AuditEntry | None:
    """Write one audit entry for a configuration change; returns None when nothing changed.

    `kind` is "<thing>.<verb>" (`department.updated`); creations pass only
    `after`, deletions only `before`. Call it inside the action's transaction.
    """
    changes = diff(before or {}, after or {})
    if before is not None and after is not None and not changes:
        return None
    return AuditEntry.objects.create(
        actor_agent=actor if isinstance(actor, Agent) else None,
        actor_kind=actor_kind(actor),
        actor_label=actor_label(actor)[:200],
        via=(via or "")[:20],
        kind=kind[:60],
        object_type=(object_type or ((obj._meta.model_name or "") if obj is not None else ""))[:60],
        object_id=str(obj.pk) if obj is not None and obj.pk is not None else "",
        object_repr=(object_repr or (str(obj) if obj is not None else ""))[:200],
        changes=changes,
    )
