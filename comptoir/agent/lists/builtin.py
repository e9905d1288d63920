"""The views every agent has, as data in the condition language (not hand-written queries)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext_lazy as _

UNSOLVED = ["new", "open", "pending", "on_hold"]
DEFAULT_COLUMNS = ["number", "subject", "contact", "status", "priority", "assignee", "updated_at"]


@dataclass(frozen=True)
class BuiltinView:
    key: str
    name: Any
    conditions: dict[str, Any]
    columns: list[str] = field(default_factory=lambda: list(DEFAULT_COLUMNS))
    sort: str = "-updated_at"
    group_by: str = ""


def _c(field_name: str, operator: str, value: Any = None) -> dict[str, Any]:
    return {"field": field_name, "operator": operator, "value": value}


BUILTIN_VIEWS: list[BuiltinView] = [
    BuiltinView("my-open", _("My open tickets"), {"all": [_c("assignee", "is", "me"), _c("status_category", "in", UNSOLVED)]}),
    BuiltinView(
        "unassigned", _("Unassigned in my groups"),
        {"all": [_c("assignee", "is", None), _c("group", "is", "mine"), _c("status_category", "in", UNSOLVED)]},
        sort="created_at",
    ),
    # "Open" as the list of work to do: new and open; pending and on hold have their own views.
    BuiltinView("all-open", _("All open"), {"all": [_c("status_category", "in", ["new", "open"])]}),
    BuiltinView("pending", _("Pending"), {"all": [_c("status_category", "is", "pending")]}),
    BuiltinView("on-hold", _("On hold"), {"all": [_c("status_category", "is", "on_hold")]}),
    BuiltinView(
        "overdue", _("Overdue"), {"all": [_c("due_at", "before", "now"), _c("status_category", "in", UNSOLVED)]},
        columns=["number", "subject", "contact", "status", "assignee", "due_at"], sort="due_at",
    ),
    BuiltinView(
        "no-action-48h", _("No action for 48 hours"),
        {"all": [_c("hours_since_updated_at", "gte", 48), _c("status_category", "in", ["new", "open"])]},
        sort="updated_at",
    ),
    BuiltinView(
        "recently-solved", _("Recently solved"),
        {"all": [_c("status_category", "in", ["solved", "closed"]), _c("solved_at", "after", "-7d")]},
        columns=["number", "subject", "contact", "assignee", "solved_at"], sort="-solved_at",
    ),
    BuiltinView(
        "customer-replied", _("Customer replied recently"),
        # updated_at is redundant (a customer message updates it) but lets the updated_at
        # index find these tickets instead of scanning every unsolved one.
        {"all": [_c("last_customer_message_at", "after", "-24h"), _c("updated_at", "after", "-24h"),
                 _c("status_category", "in", UNSOLVED)]},
        columns=["number", "subject", "contact", "status", "assignee", "last_customer_message_at"],
        sort="-last_customer_message_at",
    ),
]
BUILTIN_BY_KEY = {view.key: view for view in BUILTIN_VIEWS}
