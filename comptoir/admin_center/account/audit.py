"""The audit log as people read it: each entry a sentence in the reader's language.

`AuditEntry.changes` holds `{field: [before, after]}` with field names and raw
values; this module turns an entry into "Sophie Martin changed Department
«Billing»: sender name “A” → “B”", with the object's kind and each field named
by the model's own (translated) verbose_name and choice labels. It reads only
the entry and the model registry: rendering a page costs no query per row.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import cache
from typing import Any

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db.models import Model, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from comptoir.core.models import AuditEntry

PAGE_SIZE = 50

# Fields the actions record that are not model fields (sets of related rows, flags of state).
_EXTRA_LABELS = {
    "addresses": gettext_lazy("support addresses"),
    "members": gettext_lazy("members"),
    "support_groups": gettext_lazy("groups"),
    "departments": gettext_lazy("departments"),
    "shared": gettext_lazy("shared with every agent"),
    "revoked": gettext_lazy("revoked"),
    "password": gettext_lazy("password"),
    "channels": gettext_lazy("channels"),
}


@cache
def model_for(object_type: str) -> type[Model] | None:
    """The model whose `model_name` is `object_type` (what `record_change` stores), if any."""
    for model in apps.get_models():
        if model._meta.model_name == object_type:
            return model
    return None


def type_label(object_type: str) -> str:
    """"Department", "Mailbox"...: the model's verbose_name in the reader's language, capitalised."""
    model = model_for(object_type)
    label = str(model._meta.verbose_name) if model is not None else object_type.replace("_", " ")
    return label[:1].upper() + label[1:]


def field_label(object_type: str, field: str) -> str:
    model = model_for(object_type)
    if model is not None:
        try:
            return str(model._meta.get_field(field).verbose_name)  # type: ignore[union-attr]
        except (FieldDoesNotExist, AttributeError):
            pass
    if field in _EXTRA_LABELS:
        return str(_EXTRA_LABELS[field])
    return field.replace("_", " ")


def _choice_label(object_type: str, field: str, value: Any) -> str | None:
    model = model_for(object_type)
    if model is None:
        return None
    try:
        choices = getattr(model._meta.get_field(field), "flatchoices", None)
    except FieldDoesNotExist:
        return None
    for key, label in choices or ():
        if key == value:
            return str(label)
    return None


def value_text(object_type: str, field: str, value: Any) -> str:
    """A recorded value as a reader sees it: choice labels, yes/no, names of rows, lists joined."""
    if value is None or value == "" or value == [] or value == {}:
        return _("(empty)")
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, dict) and "name" in value:
        return str(value["name"])
    if isinstance(value, list):
        return ", ".join(value_text(object_type, field, v) for v in value)
    if isinstance(value, dict):
        return ", ".join(f"{k}: {value_text(object_type, field, v)}" for k, v in value.items())
    label = _choice_label(object_type, field, value)
    return label if label is not None else str(value)


def _summary(entry: AuditEntry) -> str:
    verb = entry.kind.rsplit(".", 1)[-1]
    names = {"actor": entry.actor_label or _("Someone"), "type": type_label(entry.object_type), "object": entry.object_repr}
    if verb == "created":
        return _("%(actor)s created %(type)s «%(object)s»") % names
    if verb == "deleted":
        return _("%(actor)s deleted %(type)s «%(object)s»") % names
    if verb == "added":
        return _("%(actor)s added %(type)s «%(object)s»") % names
    if verb == "removed":
        return _("%(actor)s removed %(type)s «%(object)s»") % names
    if verb == "deactivated":
        return _("%(actor)s deactivated %(type)s «%(object)s»") % names
    if verb == "reactivated":
        return _("%(actor)s reactivated %(type)s «%(object)s»") % names
    if verb == "invited":
        return _("%(actor)s invited %(type)s «%(object)s»") % names
    if verb == "password_set":
        return _("%(actor)s set a new password for %(type)s «%(object)s»") % names
    if verb == "revoked":
        return _("%(actor)s revoked %(type)s «%(object)s»") % names
    return _("%(actor)s changed %(type)s «%(object)s»") % names


def change_texts(entry: AuditEntry) -> list[str]:
    """One phrase per changed field: "sender name “A” → “B”"; a creation lists the values set."""
    verb = entry.kind.rsplit(".", 1)[-1]
    phrases = []
    for field, pair in sorted((entry.changes or {}).items(), key=lambda item: field_label(entry.object_type, item[0])):
        before, after = [*pair, None, None][:2] if isinstance(pair, list) else (None, pair)
        label = field_label(entry.object_type, field)
        if verb in ("created", "added", "invited"):
            if after in (None, "", [], {}, False):
                continue
            phrases.append(_("%(field)s “%(value)s”") % {"field": label, "value": value_text(entry.object_type, field, after)})
        elif verb in ("deleted", "removed"):
            continue
        else:
            phrases.append(_("%(field)s “%(before)s” → “%(after)s”") % {
                "field": label,
                "before": value_text(entry.object_type, field, before),
                "after": value_text(entry.object_type, field, after),
            })
    return phrases


# How a change was made (the actions' `via`), as the reader names it.
_VIA_LABELS = {
    "admin": gettext_lazy("admin center"),
    "web": gettext_lazy("agent workspace"),
    "api": gettext_lazy("API"),
    "command": gettext_lazy("command line"),
    "system": gettext_lazy("system"),
    "rule": gettext_lazy("rule"),
}


def via_label(via: str) -> str:
    return str(_VIA_LABELS[via]) if via in _VIA_LABELS else via


@dataclass
class AuditLine:
    entry: AuditEntry
    sentence: str
    changes: list[str]
    via: str


def audit_line(entry: AuditEntry) -> AuditLine:
    """The entry as a sentence ("… changed Department «Billing»: sender name “A” → “B”")."""
    summary = _summary(entry)
    changes = change_texts(entry)
    sentence = _("%(summary)s: %(changes)s") % {"summary": summary, "changes": "; ".join(changes)} if changes else summary
    return AuditLine(entry, sentence, changes, via_label(entry.via))


@dataclass(frozen=True)
class AuditFilter:
    object_type: str = ""
    actor_id: int | None = None
    date_from: date | None = None
    date_to: date | None = None


def filtered_entries(criteria: AuditFilter) -> QuerySet[AuditEntry]:
    """Entries matching the filter, newest first (the `audit_newest`/`audit_by_*` index order).

    Dates are whole days in the reader's time zone, both ends included.
    """
    qs = AuditEntry.objects.order_by("-created_at", "-id")
    if criteria.object_type:
        qs = qs.filter(object_type=criteria.object_type)
    if criteria.actor_id is not None:
        qs = qs.filter(actor_agent_id=criteria.actor_id)
    zone = timezone.get_current_timezone()
    if criteria.date_from is not None:
        qs = qs.filter(created_at__gte=datetime.combine(criteria.date_from, time.min, tzinfo=zone))
    if criteria.date_to is not None:
        qs = qs.filter(created_at__lt=datetime.combine(criteria.date_to + timedelta(days=1), time.min, tzinfo=zone))
    return qs


_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.get_fixed_timezone(0))


def encode_position(entry: AuditEntry) -> str:
    """"<microseconds since 1970>.<id>" of an entry: exact integers, so no entry is skipped or repeated."""
    return f"{(entry.created_at - _EPOCH) // timedelta(microseconds=1)}.{entry.pk}"


def page_of(qs: QuerySet[AuditEntry], before: str) -> tuple[list[AuditEntry], str]:
    """One page (keyset: strictly older than `before`), and the position of the next page ("" at the end).

    Constant cost at any depth, unlike OFFSET, and one query whatever the page size.
    """
    if before:
        try:
            micros, pk = (int(part) for part in before.split(".", 1))
        except ValueError:
            micros, pk = 0, 0
        if micros or pk:
            moment = _EPOCH + timedelta(microseconds=micros)
            qs = qs.filter(Q(created_at__lt=moment) | Q(created_at=moment, id__lt=pk))
    rows = list(qs[: PAGE_SIZE + 1])
    following = encode_position(rows[PAGE_SIZE - 1]) if len(rows) > PAGE_SIZE else ""
    return rows[:PAGE_SIZE], following
