"""Forms of the lists module: a saved view (with its condition rows) and the bulk actions bar."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from comptoir.agent.lists.bulk import BULK_ACTIONS
from comptoir.agent.lists.columns import COLUMNS, GROUPINGS, sort_choices
from comptoir.core.errors import ValidationFailed
from comptoir.core.models import Agent
from comptoir.core.permissions import assignable_agent_ids, can
from comptoir.tickets import conditions
from comptoir.tickets.actions.fields import normalize_tag
from comptoir.tickets.models import Priority, Status


@dataclass
class ConditionRow:
    """One field/operator/value row of the view form, as typed."""

    field: str = "status_category"
    operator: str = "is"
    value: str = ""
    error: str = ""

    @property
    def operators(self) -> list[tuple[str, Any]]:
        return list(conditions.operators_for(self.field))

    @property
    def needs_value(self) -> bool:
        return self.operator not in conditions.NO_VALUE


def rows_from_post(data: Any) -> list[ConditionRow]:
    fields, ops, values = data.getlist("cond_field"), data.getlist("cond_operator"), data.getlist("cond_value")
    rows = []
    for i, field_name in enumerate(fields):
        if not field_name:
            continue
        rows.append(ConditionRow(field_name, ops[i] if i < len(ops) else "", values[i] if i < len(values) else ""))
    return rows


def _text(value: Any) -> str:
    if value is None:
        return "none"
    if isinstance(value, list):
        return ", ".join(_text(v) for v in value)
    return str(value)


def rows_from_conditions(data: dict[str, Any]) -> tuple[str, list[ConditionRow]]:
    """The rows of a stored view (the form edits one flat all/any list)."""
    match = "any" if data.get("any") and not data.get("all") else "all"
    rows = [ConditionRow(c["field"], c["operator"], "" if c["operator"] in conditions.NO_VALUE else _text(c.get("value")))
            for c in data.get(match, []) if "field" in c]
    return match, rows


def conditions_from_rows(match: str, rows: list[ConditionRow]) -> dict[str, Any]:
    """Build the JSON conditions; bad rows get their `error` set and ValidationFailed is raised."""
    built = [
        {"field": r.field, "operator": r.operator, "value": conditions.value_from_text(r.field, r.operator, r.value)}
        for r in rows
    ]
    result = {match: built}
    try:
        conditions.parse(result)
    except ValidationFailed as exc:
        for path in exc.fields:
            parts = path.split(".")
            if len(parts) >= 2 and parts[1].isdigit() and int(parts[1]) < len(rows):
                rows[int(parts[1])].error = str(ROW_ERRORS.get(parts[-1] if len(parts) > 2 else "row", ROW_ERRORS["row"]))
        raise
    return result


ROW_ERRORS = {
    "field": _("Unknown field."),
    "operator": _("This operator does not apply to this field."),
    "value": _("This value is not valid for this field."),
    "row": _("This condition is not complete."),
}


class SavedViewForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    match = forms.ChoiceField(label=_("Tickets must match"), choices=[("all", _("all conditions")), ("any", _("any condition"))])
    columns = forms.MultipleChoiceField(
        label=_("Columns"), choices=[(k, label) for k, (label, _f) in COLUMNS.items()], widget=forms.CheckboxSelectMultiple,
    )
    sort = forms.ChoiceField(label=_("Sort by"))
    group_by = forms.ChoiceField(label=_("Group by"), required=False)
    shared = forms.BooleanField(label=_("Shared with every agent"), required=False)

    def __init__(self, *args: Any, agent: Agent, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.agent = agent
        # self.fields is typed as plain Fields; these two are the ChoiceFields declared above.
        cast(forms.ChoiceField, self.fields["sort"]).choices = sort_choices()
        cast(forms.ChoiceField, self.fields["group_by"]).choices = [("", _("No grouping"))] + [(k, label) for k, (label, _f) in GROUPINGS.items()]
        if not can(agent, "view.shared"):
            del self.fields["shared"]

    def clean_shared(self) -> bool:
        return bool(self.cleaned_data.get("shared")) and can(self.agent, "view.shared")


class BulkForm(forms.Form):
    """The bulk actions bar: one action and the value it needs."""

    ticket = forms.TypedMultipleChoiceField(coerce=int, choices=[], required=True)
    action = forms.ChoiceField(choices=list(BULK_ACTIONS.items()))
    assignee = forms.ModelChoiceField(queryset=Agent.objects.none(), required=False, empty_label=_("Unassigned"))
    status = forms.ModelChoiceField(queryset=Status.objects.filter(active=True), required=False)
    priority = forms.TypedChoiceField(choices=Priority.choices, coerce=int, required=False)
    tags = forms.CharField(required=False, max_length=500)
    target = forms.IntegerField(required=False, min_value=1)

    def __init__(self, *args: Any, agent: Agent, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.agent = agent
        # Any active agent parses; whether this agent may assign to them is the action's call,
        # so a refusal is reported per ticket. The page only offers assignable agents.
        cast(forms.ModelChoiceField, self.fields["assignee"]).queryset = Agent.objects.filter(is_active=True)
        # Any integer id is accepted here; visibility is checked ticket by ticket.
        self.fields["ticket"].valid_value = lambda value: True  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data  # what Form.clean returns, typed as never None
        action = data.get("action")
        if action == "status" and not data.get("status"):
            self.add_error("status", _("Choose a status."))
        if action == "priority" and not data.get("priority"):
            self.add_error("priority", _("Choose a priority."))
        if action in ("add_tags", "remove_tags"):
            tags = [normalize_tag(t) for t in (data.get("tags") or "").split(",") if normalize_tag(t)]
            if not tags:
                self.add_error("tags", _("Type at least one tag."))
            data["tags"] = tags
        if action == "merge":
            from comptoir.tickets import queries

            number = data.get("target")
            target = queries.visible_tickets(self.agent).filter(number=number).first() if number else None
            if target is None:
                self.add_error("target", _("Type the number of a ticket you can see."))
            data["target"] = target
        return data

    def params(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {k: data.get(k) for k in ("assignee", "status", "priority", "tags", "target")}


def assignable_agents(agent: Agent) -> Any:
    allowed = assignable_agent_ids(agent)
    qs = Agent.objects.filter(is_active=True).order_by("name")
    return qs if allowed is None else qs.filter(pk__in=allowed)

