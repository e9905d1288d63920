"""Forms of the fields section: they parse input only; the tickets and contacts actions decide and write.

Options are typed one per line; the actions check everything else (keys,
duplicates, options still in use) and their refusals are shown next to the
field they name, with the same messages the REST API gives.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from comptoir.contacts.models import Account, ContactFieldKind
from comptoir.core.models import Department
from comptoir.tickets.models import CustomFieldDefinition, FieldKind, StatusCategory

OPTIONS_HELP = _("One option per line.")


def lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


class TicketFieldEditForm(forms.Form):
    label = forms.CharField(label=_("Label"), max_length=120)
    options = forms.CharField(label=_("Options"), required=False, widget=forms.Textarea(attrs={"rows": 6}), help_text=OPTIONS_HELP)
    required_at_solve = forms.BooleanField(label=_("Required to solve a ticket"), required=False,
                                           help_text=_("Agents cannot solve a ticket while this field is empty."))
    visible_to_customers = forms.BooleanField(label=_("Customers see it"), required=False)
    editable_by_customers = forms.BooleanField(label=_("Customers fill it in"), required=False,
                                               help_text=_("Only for a field customers see."))
    position = forms.IntegerField(label=_("Position"), min_value=0, max_value=32767, initial=0)

    def changes(self, definition: CustomFieldDefinition) -> dict[str, Any]:
        """The action's `changes` from the cleaned data; options only for list kinds, required_in keeps
        the other categories an API client may have set."""
        data = self.cleaned_data
        required = [c for c in definition.required_in or [] if c != StatusCategory.SOLVED]
        if data["required_at_solve"]:
            required.append(StatusCategory.SOLVED)
        changes: dict[str, Any] = {
            "label": data["label"], "required_in": required, "position": data["position"],
            "visible_to_customers": data["visible_to_customers"], "editable_by_customers": data["editable_by_customers"],
        }
        if definition.kind in (FieldKind.DROPDOWN, FieldKind.MULTI_SELECT):
            changes["choices"] = lines(data["options"])
        return changes


class TicketFieldForm(TicketFieldEditForm):
    key = forms.CharField(label=_("Key"), max_length=60, required=False,
                          help_text=_("Used by the API and in conditions; made from the label when empty. It never changes."))
    kind = forms.ChoiceField(label=_("Kind"), choices=FieldKind.choices)
    parent = forms.ModelChoiceField(
        label=_("Parent field"), required=False, queryset=CustomFieldDefinition.objects.none(),
        help_text=_("For a dependent dropdown: the field whose value decides which options show."),
    )
    department = forms.ModelChoiceField(label=_("Department"), required=False, queryset=Department.objects.order_by("name"),
                                        empty_label=_("Every department"))

    field_order = ["label", "key", "kind", "options", "parent", "department", "required_at_solve",
                   "visible_to_customers", "editable_by_customers", "position"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        parents = CustomFieldDefinition.objects.filter(
            active=True, kind__in=[FieldKind.DROPDOWN, FieldKind.DEPENDENT_DROPDOWN]
        ).order_by("position", "pk")
        self.fields["parent"].queryset = parents  # type: ignore[attr-defined]

    def create_arguments(self) -> dict[str, Any]:
        """Keyword arguments of tickets.actions.create_custom_field. A dependent dropdown starts with
        every option under every parent option; its matrix page narrows that down."""
        data = self.cleaned_data
        kind = data["kind"]
        options = lines(data["options"])
        choices: Any = options
        parent = data["parent"]
        if kind == FieldKind.DEPENDENT_DROPDOWN:
            from comptoir.tickets.actions.fields_catalog import options_of

            choices = {value: list(options) for value in options_of(parent)} if parent is not None and options else {}
        elif kind not in (FieldKind.DROPDOWN, FieldKind.MULTI_SELECT):
            choices = []
        return {
            "key": data["key"].strip() or slugify(data["label"])[:60],
            "label": data["label"], "kind": kind, "choices": choices,
            "depends_on_id": parent.pk if parent is not None and kind == FieldKind.DEPENDENT_DROPDOWN else None,
            "required_in": [StatusCategory.SOLVED] if data["required_at_solve"] else [],
            "visible_to_customers": data["visible_to_customers"], "editable_by_customers": data["editable_by_customers"],
            "department_id": data["department"].pk if data["department"] else None, "position": data["position"],
        }


class ContactFieldEditForm(forms.Form):
    label = forms.CharField(label=_("Label"), max_length=120)
    label_en = forms.CharField(label=_("Label in English"), max_length=120, required=False)
    label_fr = forms.CharField(label=_("Label in French"), max_length=120, required=False)
    label_nl = forms.CharField(label=_("Label in Dutch"), max_length=120, required=False)
    options = forms.CharField(label=_("Options"), required=False, widget=forms.Textarea(attrs={"rows": 5}),
                              help_text=_("For a dropdown: one option per line."))
    position = forms.IntegerField(label=_("Position"), min_value=0, max_value=32767, initial=0)
    active = forms.BooleanField(label=_("Active"), required=False, initial=True)

    def translations(self) -> dict[str, str]:
        return {lang: self.cleaned_data[f"label_{lang}"] for lang in ("en", "fr", "nl")}

    def changes(self, kind: str) -> dict[str, Any]:
        data = self.cleaned_data
        changes: dict[str, Any] = {"label": data["label"], "label_translations": self.translations(),
                                   "position": data["position"], "active": data["active"]}
        if kind == ContactFieldKind.DROPDOWN:
            changes["choices"] = lines(data["options"])
        return changes


class ContactFieldForm(ContactFieldEditForm):
    key = forms.CharField(label=_("Key"), max_length=60, required=False,
                          help_text=_("Used by the API and in conditions (contact.custom.<key>); made from the label when empty."))
    kind = forms.ChoiceField(label=_("Kind"), choices=ContactFieldKind.choices)

    field_order = ["label", "key", "kind", "label_en", "label_fr", "label_nl", "options", "position"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["active"]

    def create_arguments(self, target: str) -> dict[str, Any]:
        data = self.cleaned_data
        return {"target": target, "label": data["label"], "key": data["key"], "kind": data["kind"],
                "label_translations": self.translations(), "choices": lines(data["options"]), "position": data["position"]}


class AccountDomainForm(forms.Form):
    account = forms.ModelChoiceField(label=_("Account"), queryset=Account.objects.order_by("name"))
    domain = forms.CharField(label=_("Domain"), max_length=200, help_text=_("For example example.com: new contacts writing from it join the account."))
    allow_free_mail = forms.BooleanField(
        label=_("Link it even if it is a free email provider"), required=False,
        help_text=_("Every new contact writing from gmail.com or the like would join this account."),
    )
