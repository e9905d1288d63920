"""The one condition language over ticket fields (DESIGN.md rule 2).

Saved views, triggers, time-based automations, SLA targeting and assignment
rules all describe "which tickets" with the same JSON::

    {"all": [cond, ...], "any": [cond, ...]}

where a ``cond`` is ``{"field": ..., "operator": ..., "value": ...}`` or itself
a nested group ``{"all": [...]}`` / ``{"any": [...]}``. ``all`` means every
condition holds, ``any`` at least one; an absent or empty list adds no
constraint, and when both are given both must hold.

Two compilations of one parsed tree:

* :func:`to_q` gives a Django ``Q`` over ``Ticket`` (views, automations, SLA scans);
* :func:`matches` evaluates one loaded ticket in memory (triggers on events).

What is guaranteed:

* For the same conditions, ``user`` and ``now``, ``matches(c, t)`` is true
  exactly when ``t`` is in ``Ticket.objects.filter(to_q(c))`` — on SQLite and
  PostgreSQL (checked by a property-based test). Known limits: ``contains``
  on text is case-insensitive for ASCII letters only (SQLite's LIKE), and
  custom-field values compare as the database's JSON does (keep them strings).
* A missing value (NULL) never satisfies a comparison (``lt``, ``before``,
  ``contains`` ...); it does satisfy the negative operators (``is_not``,
  ``not_in``, ``not_contains``, ``includes_none``).
* Bad input never compiles: unknown fields, operators the field does not
  support and values of the wrong shape raise ``ValidationFailed`` whose
  ``fields`` map the condition's path (``"all.0.value"``) to a code.
* The language only filters; it grants nothing. Callers start from
  ``queries.visible_tickets(user)`` and narrow it with ``to_q``.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from comptoir.core.errors import ValidationFailed
from comptoir.tickets.actions.fields import normalize_tag
from comptoir.tickets.models import Channel, Priority, StatusCategory, Ticket, TicketType

Conditions = dict[str, Any]

# --- fields -------------------------------------------------------------------

ID = "id"            # a foreign key compared by id (assignee also takes "me" and null)
CHOICE = "choice"    # a fixed set of strings
PRIORITY = "priority"
NUMBER = "number"
TEXT = "text"
DATETIME = "datetime"
TAGS = "tags"
CUSTOM = "custom"
HOURS = "hours"      # hours_since_<timestamp>

OPERATORS_BY_KIND: dict[str, tuple[str, ...]] = {
    ID: ("is", "is_not", "in", "not_in", "is_set", "is_not_set"),
    CHOICE: ("is", "is_not", "in", "not_in"),
    PRIORITY: ("is", "is_not", "in", "not_in", "lt", "lte", "gt", "gte"),
    NUMBER: ("is", "is_not", "in", "not_in", "lt", "lte", "gt", "gte"),
    TEXT: ("is", "is_not", "contains", "not_contains"),
    DATETIME: ("before", "after", "lt", "lte", "gt", "gte", "is_set", "is_not_set"),
    TAGS: ("includes_any", "includes_all", "includes_none", "is_set", "is_not_set"),
    CUSTOM: ("is", "is_not", "in", "not_in", "contains", "not_contains", "is_set", "is_not_set"),
    HOURS: ("lt", "lte", "gt", "gte"),
}

OPERATOR_LABELS: dict[str, Any] = {
    "is": _("is"),
    "is_not": _("is not"),
    "in": _("is one of"),
    "not_in": _("is none of"),
    "contains": _("contains"),
    "not_contains": _("does not contain"),
    "lt": _("less than"),
    "lte": _("at most"),
    "gt": _("greater than"),
    "gte": _("at least"),
    "is_set": _("is set"),
    "is_not_set": _("is not set"),
    "before": _("before"),
    "after": _("after"),
    "includes_any": _("includes any of"),
    "includes_all": _("includes all of"),
    "includes_none": _("includes none of"),
}
NO_VALUE = {"is_set", "is_not_set"}
LIST_OPERATORS = {"in", "not_in", "includes_any", "includes_all", "includes_none"}


@dataclass(frozen=True)
class Field:
    name: str
    kind: str
    label: Any
    column: str  # the model attribute (for ids: the *_id attribute)
    choices: tuple[str, ...] = ()
    # For custom fields: the JSON column holding the key, as a lookup path from Ticket.
    json: str = "custom_fields"


TIMESTAMPS = (
    "created_at",
    "updated_at",
    "due_at",
    "first_agent_reply_at",
    "last_customer_message_at",
    "last_agent_message_at",
    "status_changed_at",
    "solved_at",
    "closed_at",
)

_TIMESTAMP_LABELS = {
    "created_at": _("created"),
    "updated_at": _("updated"),
    "due_at": _("due date"),
    "first_agent_reply_at": _("first agent reply"),
    "last_customer_message_at": _("last customer message"),
    "last_agent_message_at": _("last agent message"),
    "status_changed_at": _("status changed"),
    "solved_at": _("solved"),
    "closed_at": _("closed"),
}

FIELDS: dict[str, Field] = {
    f.name: f
    for f in [
        Field("number", NUMBER, _("number"), "number"),
        Field("subject", TEXT, _("subject"), "subject"),
        Field("status", ID, _("status"), "status_id"),
        Field("status_category", CHOICE, _("status category"), "status_category", tuple(StatusCategory.values)),
        Field("priority", PRIORITY, _("priority"), "priority"),
        Field("type", CHOICE, _("type"), "type", tuple(TicketType.values)),
        Field("channel", CHOICE, _("channel"), "channel", tuple(Channel.values)),
        Field("department", ID, _("department"), "department_id"),
        Field("group", ID, _("group"), "group_id"),
        Field("assignee", ID, _("assignee"), "assignee_id"),
        Field("contact", ID, _("contact"), "contact_id"),
        Field("account", ID, _("account"), "account_id"),
        Field("product", ID, _("product"), "product_id"),
        Field("category", ID, _("category"), "category_id"),
        Field("subcategory", ID, _("subcategory"), "subcategory_id"),
        Field("tags", TAGS, _("tags"), "tags"),
        *[Field(name, DATETIME, _TIMESTAMP_LABELS[name], name) for name in TIMESTAMPS],
        *[Field(f"hours_since_{name}", HOURS, _TIMESTAMP_LABELS[name], name) for name in TIMESTAMPS],
    ]
}
CUSTOM_PREFIX = "custom_fields."
# Custom fields of the ticket's contact and account (contacts.ContactFieldDefinition): prefix -> lookup path.
RELATED_CUSTOM_PREFIXES = {"contact.custom.": "contact__custom_fields", "account.custom.": "account__custom_fields"}
_CUSTOM_KEY = re.compile(r"^[-a-zA-Z0-9_]{1,60}$")


def field_for(name: Any) -> Field | None:
    """The field named `name` (``custom_fields.<key>``, ``contact.custom.<key>``, ``account.custom.<key>``
    included), or None if unknown."""
    if not isinstance(name, str):
        return None
    if name.startswith(CUSTOM_PREFIX):
        key = name[len(CUSTOM_PREFIX):]
        if not _CUSTOM_KEY.match(key):
            return None
        return Field(name, CUSTOM, key, key)
    for prefix, json_path in RELATED_CUSTOM_PREFIXES.items():
        if name.startswith(prefix):
            key = name[len(prefix):]
            return Field(name, CUSTOM, key, key, json=json_path) if _CUSTOM_KEY.match(key) else None
    return FIELDS.get(name)


# --- values ---------------------------------------------------------------------

_RELATIVE = re.compile(r"^([+-])\s*(\d+(?:\.\d+)?)\s*([mhdw])$")
_UNITS = {"m": "minutes", "h": "hours", "d": "days", "w": "weeks"}


class _Bad(Exception):
    """A value of the wrong shape; turned into ValidationFailed with its path."""


def _date_value(value: Any) -> Callable[[dt.datetime], dt.datetime]:
    """A function of `now` giving the moment `value` names ("now", "-48h", "+2d", ISO)."""
    if isinstance(value, dt.datetime):
        moment = value if timezone.is_aware(value) else timezone.make_aware(value)
        return lambda now: moment
    if not isinstance(value, str):
        raise _Bad
    text = value.strip().lower()
    if text == "now":
        return lambda now: now
    match = _RELATIVE.match(text)
    if match:
        sign, amount, unit = match.groups()
        delta = dt.timedelta(**{_UNITS[unit]: float(amount)})
        return (lambda now: now - delta) if sign == "-" else (lambda now: now + delta)
    try:
        parsed = dt.datetime.fromisoformat(value.strip())
    except ValueError as exc:
        raise _Bad from exc
    if timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed, dt.UTC)
    return lambda now: parsed


# "me" is the agent asking; "mine" their groups.
_SPECIAL_IDS = {"assignee": "me", "group": "mine"}


def _id_value(value: Any, *, special: str | None) -> Any:
    if value is None:
        return None
    if special is not None and value == special:
        return value
    if isinstance(value, bool):
        raise _Bad
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value)
    raise _Bad


def _priority_value(value: Any) -> int:
    if isinstance(value, bool):
        raise _Bad
    if isinstance(value, str) and not value.strip().isdigit():
        try:
            return int(Priority.from_name(value.strip()))
        except KeyError as exc:
            raise _Bad from exc
    try:
        number = int(value)
    except (TypeError, ValueError) as exc:
        raise _Bad from exc
    if number not in Priority.values:
        raise _Bad
    return number


def _number_value(value: Any) -> int | float:
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise _Bad
    try:
        return float(value) if isinstance(value, str) and "." in value else (value if not isinstance(value, str) else int(value))
    except ValueError as exc:
        raise _Bad from exc


def _scalar(field: Field, value: Any) -> Any:
    """One value for `field`, normalised (priority names to numbers, tags normalised)."""
    kind = field.kind
    if kind == ID:
        return _id_value(value, special=_SPECIAL_IDS.get(field.name))
    if kind == CHOICE:
        if value not in field.choices:
            raise _Bad
        return value
    if kind == PRIORITY:
        return _priority_value(value)
    if kind == NUMBER:
        return _number_value(value)
    if kind == TEXT:
        if not isinstance(value, str) or value == "":
            raise _Bad
        return value
    if kind == TAGS:
        if not isinstance(value, str) or not normalize_tag(value):
            raise _Bad
        return normalize_tag(value)
    if kind == CUSTOM:
        if value is None or isinstance(value, (dict, list)):
            raise _Bad
        return value
    raise _Bad


# --- the parsed tree --------------------------------------------------------------


@dataclass(frozen=True)
class Context:
    """What a condition may refer to besides the ticket: who asks ("me") and when ("now")."""

    user: Any
    now: dt.datetime

    @property
    def me(self) -> int:
        # Without a user "me" is nobody: an id no agent has.
        return getattr(self.user, "pk", None) or -1

    @property
    def my_groups(self) -> list[int]:
        from comptoir.core.models import Agent
        from comptoir.tickets.queries import agent_group_ids

        return sorted(agent_group_ids(self.user)) if isinstance(self.user, Agent) else []


class Node:
    def q(self, ctx: Context) -> Q:
        raise NotImplementedError

    def test(self, ticket: Ticket, ctx: Context) -> bool:
        raise NotImplementedError


@dataclass(frozen=True)
class Group(Node):
    all: tuple[Node, ...]
    any: tuple[Node, ...]

    def q(self, ctx: Context) -> Q:
        result = Q()
        for node in self.all:
            result &= node.q(ctx)
        if self.any:
            alternatives = [node.q(ctx) for node in self.any]
            # An empty Q matches everything, but `Q(...) | Q()` drops it: handle it here.
            if all(alternatives):
                either = Q(pk__in=[])
                for alternative in alternatives:
                    either |= alternative
                result &= either
        return result

    def test(self, ticket: Ticket, ctx: Context) -> bool:
        if not all(node.test(ticket, ctx) for node in self.all):
            return False
        return not self.any or any(node.test(ticket, ctx) for node in self.any)


@dataclass(frozen=True)
class Condition(Node):
    field: Field
    operator: str
    value: Any

    # Each operator is a positive test and, for is_not/not_in/..., its negation.
    _NEGATIONS = {"is_not": "is", "not_in": "in", "not_contains": "contains", "includes_none": "includes_any", "is_not_set": "is_set"}

    def q(self, ctx: Context) -> Q:
        positive = self._NEGATIONS.get(self.operator)
        if positive is None:
            return self._positive_q(self.operator, ctx)
        q = ~self._positive_q(positive, ctx)
        if self.field.kind == CUSTOM:
            # A missing key (or JSON null) is SQL NULL: NOT(NULL) would drop it.
            lookup = self._lookup()
            q |= Q(**{f"{lookup}__isnull": True}) | Q(**{lookup: None})
            if self.field.json == "account__custom_fields":
                # A ticket without an account has no account value at all: the negation holds.
                q |= Q(account__isnull=True)
        return q

    def test(self, ticket: Ticket, ctx: Context) -> bool:
        positive = self._NEGATIONS.get(self.operator)
        if positive is None:
            return self._positive_test(self.operator, ticket, ctx)
        return not self._positive_test(positive, ticket, ctx)

    # -- helpers
    def _values(self, ctx: Context) -> list[Any]:
        raw = self.value if self.operator in LIST_OPERATORS else [self.value]
        values: list[Any] = []
        for v in raw:
            if v == "me":
                values.append(ctx.me)
            elif v == "mine":
                values.extend(ctx.my_groups or [-1])
            else:
                values.append(v)
        return values

    def _lookup(self) -> str:
        if self.field.kind == CUSTOM:
            return f"{self.field.json}__{self.field.column}"
        return self.field.column

    def _current(self, ticket: Ticket) -> Any:
        if self.field.kind == CUSTOM:
            holder: Any = ticket
            *relations, column = self.field.json.split("__")
            for relation in relations:
                holder = getattr(holder, relation)
                if holder is None:
                    return None
            value = (getattr(holder, column) or {}).get(self.field.column)
            return value
        return getattr(ticket, self.field.column)

    def _positive_q(self, op: str, ctx: Context) -> Q:
        field, lookup = self.field, self._lookup()
        if field.kind == TAGS:
            through = Ticket.tags.through
            if op == "is_set":
                return Q(Exists(through.objects.filter(ticket_id=OuterRef("pk"))))
            if op == "includes_any":
                return Q(Exists(through.objects.filter(ticket_id=OuterRef("pk"), tag__name__in=self.value)))
            result = Q()
            for name in self.value:  # includes_all
                result &= Q(Exists(through.objects.filter(ticket_id=OuterRef("pk"), tag__name=name)))
            return result
        if field.kind == HOURS:
            threshold = ctx.now - dt.timedelta(hours=self.value)
            # hours since ts > h  <=>  ts < now - h
            flipped = {"gt": "lt", "gte": "lte", "lt": "gt", "lte": "gte"}[op]
            return Q(**{f"{lookup}__{flipped}": threshold})
        if op == "is_set":
            if field.kind == CUSTOM:
                return Q(**{f"{lookup}__isnull": False}) & ~Q(**{lookup: None}) & ~Q(**{lookup: ""})
            return Q(**{f"{lookup}__isnull": False})
        if op in ("is", "in"):
            values = self._values(ctx)
            present = [v for v in values if v is not None]
            result = Q(pk__in=[])
            if len(present) == 1:
                result = Q(**{lookup: present[0]})
            elif present:
                if field.kind == CUSTOM:
                    for v in present:
                        result |= Q(**{lookup: v})
                else:
                    result = Q(**{f"{lookup}__in": present})
            if len(present) != len(values):
                result |= Q(**{f"{lookup}__isnull": True})
            return result
        if op == "contains":
            return Q(**{f"{lookup}__icontains": self.value})
        if field.kind == DATETIME:
            moment = self.value(ctx.now)
            django_op = {"before": "lt", "after": "gt"}.get(op, op)
            return Q(**{f"{lookup}__{django_op}": moment})
        return Q(**{f"{lookup}__{op}": self.value})

    def _positive_test(self, op: str, ticket: Ticket, ctx: Context) -> bool:
        field = self.field
        if field.kind == TAGS:
            names = {t.name for t in ticket.tags.all()}
            if op == "is_set":
                return bool(names)
            if op == "includes_any":
                return bool(names & set(self.value))
            return set(self.value) <= names
        current = self._current(ticket)
        if field.kind == CUSTOM and current == "" and op == "is_set":
            return False
        if op == "is_set":
            return current is not None
        if field.kind == HOURS:
            if current is None:
                return False
            threshold = ctx.now - dt.timedelta(hours=self.value)
            return {"gt": current < threshold, "gte": current <= threshold,
                    "lt": current > threshold, "lte": current >= threshold}[op]
        if op in ("is", "in"):
            values = self._values(ctx)
            if field.kind == CUSTOM:
                return current is not None and any(_json_equal(current, v) for v in values)
            return current in values
        if current is None:
            return False
        if op == "contains":
            return isinstance(current, str) and self.value.lower() in current.lower()
        if field.kind == DATETIME:
            moment = self.value(ctx.now)
            op = {"before": "lt", "after": "gt"}.get(op, op)
        else:
            moment = self.value
        return {"lt": current < moment, "lte": current <= moment, "gt": current > moment, "gte": current >= moment}[op]


def _json_equal(a: Any, b: Any) -> bool:
    """Equality as a JSON document sees it: true is not 1, "1" is not 1."""
    if isinstance(a, bool) or isinstance(b, bool):
        return isinstance(a, bool) and isinstance(b, bool) and a == b
    return a == b


# --- parsing and validation ---------------------------------------------------------

MAX_DEPTH = 5


def parse(conditions: Any) -> Group:
    """Validate `conditions` and return the tree both compilations use.

    Raises ValidationFailed listing every problem by path (``all.1.operator``).
    """
    errors: dict[str, str] = {}
    tree = _parse_group(conditions, "", errors, 0)
    if errors:
        raise ValidationFailed(gettext("These conditions are not valid."), errors)
    return tree


def validate(conditions: Any) -> Conditions:
    """Check `conditions` and return them unchanged (for storing); raises ValidationFailed."""
    parse(conditions)
    return conditions


def _parse_group(data: Any, path: str, errors: dict[str, str], depth: int) -> Group:
    if not isinstance(data, dict) or not set(data) <= {"all", "any"}:
        errors[path or "conditions"] = "invalid_group"
        return Group((), ())
    if depth > MAX_DEPTH:
        errors[path or "conditions"] = "too_deep"
        return Group((), ())
    parts: dict[str, list[Node]] = {"all": [], "any": []}
    for key in ("all", "any"):
        items = data.get(key) or []
        if not isinstance(items, list):
            errors[f"{path}{key}"] = "not_a_list"
            continue
        for index, item in enumerate(items):
            item_path = f"{path}{key}.{index}"
            if isinstance(item, dict) and set(item) <= {"all", "any"}:
                parts[key].append(_parse_group(item, item_path + ".", errors, depth + 1))
            else:
                node = _parse_condition(item, item_path, errors)
                if node is not None:
                    parts[key].append(node)
    return Group(tuple(parts["all"]), tuple(parts["any"]))


def _parse_condition(item: Any, path: str, errors: dict[str, str]) -> Condition | None:
    if not isinstance(item, dict) or "field" not in item or "operator" not in item:
        errors[path] = "invalid_condition"
        return None
    field = field_for(item["field"])
    if field is None:
        errors[f"{path}.field"] = "unknown"
        return None
    operator = item["operator"]
    if operator not in OPERATORS_BY_KIND[field.kind]:
        errors[f"{path}.operator"] = "unknown" if operator not in OPERATOR_LABELS else "not_for_field"
        return None
    raw = item.get("value")
    try:
        value = _parse_value(field, operator, raw)
    except _Bad:
        errors[f"{path}.value"] = "invalid"
        return None
    return Condition(field, operator, value)


def _parse_value(field: Field, operator: str, raw: Any) -> Any:
    if operator in NO_VALUE:
        return None
    if field.kind == HOURS:
        number = _number_value(raw)
        if number < 0:
            raise _Bad
        return number
    if field.kind == DATETIME:
        return _date_value(raw)
    if operator in LIST_OPERATORS:
        if not isinstance(raw, list) or not raw:
            raise _Bad
        return tuple(_scalar(field, v) if not (v is None and field.kind == ID) else None for v in raw)
    if raw is None and field.kind == ID and operator in ("is", "is_not"):
        return None
    return _scalar(field, raw)


# --- the two compilations ------------------------------------------------------------


def to_q(conditions: Conditions, *, user: Any = None, now: dt.datetime | None = None) -> Q:
    """A Q over Ticket selecting the tickets `conditions` describe.

    `user` resolves "me"; `now` anchors relative dates (defaults to timezone.now()).
    Combine it with queries.visible_tickets(user): this adds no visibility rule.
    """
    return parse(conditions).q(Context(user, now or timezone.now()))


def matches(conditions: Conditions, ticket: Ticket, *, user: Any = None, now: dt.datetime | None = None) -> bool:
    """True when `ticket` satisfies `conditions` — the same answer to_q gives, without a query

    (except one for the tags when they are not prefetched).
    """
    return parse(conditions).test(ticket, Context(user, now or timezone.now()))


# --- helpers for forms: text to typed values ------------------------------------------


def value_from_text(field_name: str, operator: str, text: str) -> Any:
    """Turn what an agent typed in a condition row into a JSON value for this field/operator.

    Lists are comma-separated; "me", "mine" and "none" mean the current agent, their
    groups and no value.
    The result still goes through parse() for validation.
    """
    field = field_for(field_name)
    if field is None or operator in NO_VALUE:
        return None
    text = (text or "").strip()

    def one(part: str) -> Any:
        part = part.strip()
        if field.kind == ID and part.lower() in ("none", "null", ""):
            return None
        if field.kind in (ID, NUMBER, HOURS) and re.fullmatch(r"-?\d+", part):
            return int(part)
        if field.kind == HOURS and re.fullmatch(r"\d+\.\d+", part):
            return float(part)
        return part

    if operator in LIST_OPERATORS:
        return [one(p) for p in text.split(",") if p.strip() or field.kind == ID]
    return one(text)


def describe_fields() -> list[tuple[str, Any]]:
    """(name, label) of every built-in field, for pickers."""
    return [(f.name, f.label) for f in FIELDS.values() if f.kind != HOURS] + [
        (f.name, _("hours since %(what)s") % {"what": f.label}) for f in FIELDS.values() if f.kind == HOURS
    ]


def operators_for(field_name: str) -> Iterable[tuple[str, Any]]:
    field = field_for(field_name)
    if field is None:
        return []
    return [(op, OPERATOR_LABELS[op]) for op in OPERATORS_BY_KIND[field.kind]]
