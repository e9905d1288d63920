"""The ticket fields pages: custom fields (kinds, options and their translations, dependent
options, required at solve) and the per-department ticket form layout.

Thin: each view parses with a form, calls `comptoir.tickets.actions` (catalog and
fields_catalog) with `actor=request.user, via="admin"`, and renders. Every page
needs "admin.settings".
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from comptoir.admin_center.editing import run_change, run_form
from comptoir.admin_center.fields.forms import TicketFieldEditForm, TicketFieldForm
from comptoir.core.access import AgentRequest, agent_required
from comptoir.core.errors import ValidationFailed
from comptoir.core.models import Department
from comptoir.tickets import actions
from comptoir.tickets.actions import fields_catalog
from comptoir.tickets.form_layouts import fields_for_department, layout_keys
from comptoir.tickets.models import (
    CustomFieldDefinition,
    FieldKind,
    StatusCategory,
    TicketFormLayout,
)

SETTINGS = "admin.settings"
VIA = "admin"
LIST_KINDS = (FieldKind.DROPDOWN, FieldKind.MULTI_SELECT, FieldKind.DEPENDENT_DROPDOWN)


# --- ticket fields -----------------------------------------------------------------------------------


@agent_required(SETTINGS)
@require_GET
def ticket_fields(request: AgentRequest) -> HttpResponse:
    definitions = CustomFieldDefinition.objects.select_related("department", "depends_on").order_by("-active", "position", "pk")
    return render(request, "admin_center/fields/ticket_fields.html", {
        "definitions": definitions, "list_kinds": LIST_KINDS, "dependent": FieldKind.DEPENDENT_DROPDOWN,
        "solved": StatusCategory.SOLVED,
    })


@agent_required(SETTINGS)
def ticket_field_new(request: AgentRequest) -> HttpResponse:
    context = {"title": _("Add a ticket field"), "breadcrumb_extra": [_("Add a ticket field")], "submit_label": _("Add field"),
               "cancel_url": reverse("admin_center:ticket-fields")}
    form = TicketFieldForm(request.POST or None)
    if request.method != "POST":
        return render(request, "admin_center/fields/edit.html", {**context, "form": form})

    def create(_data: dict[str, Any]) -> None:
        actions.create_custom_field(**form.create_arguments(), actor=request.user, via=VIA)

    return run_form(request, form, create, template="admin_center/fields/edit.html", context=context,
                    success_url=reverse("admin_center:ticket-fields"), success_message=_("Ticket field added."))


@agent_required(SETTINGS)
def ticket_field_edit(request: AgentRequest, pk: int) -> HttpResponse:
    definition = get_object_or_404(CustomFieldDefinition.objects.select_related("depends_on"), pk=pk)
    context = {"title": definition.label, "breadcrumb_extra": [definition.label], "definition": definition,
               "submit_label": _("Save"), "cancel_url": reverse("admin_center:ticket-fields")}
    if request.method != "POST":
        options = "\n".join(str(c) for c in definition.choices) if isinstance(definition.choices, list) else ""
        form = TicketFieldEditForm(initial={
            "label": definition.label, "options": options, "position": definition.position,
            "required_at_solve": StatusCategory.SOLVED in (definition.required_in or []),
            "visible_to_customers": definition.visible_to_customers, "editable_by_customers": definition.editable_by_customers,
        })
        if definition.kind not in (FieldKind.DROPDOWN, FieldKind.MULTI_SELECT):
            del form.fields["options"]
        return render(request, "admin_center/fields/edit.html", {**context, "form": form})
    form = TicketFieldEditForm(request.POST)
    if definition.kind not in (FieldKind.DROPDOWN, FieldKind.MULTI_SELECT):
        del form.fields["options"]
    return run_form(
        request, form, lambda _data: actions.update_custom_field(definition, form.changes(definition), actor=request.user, via=VIA),
        template="admin_center/fields/edit.html", context=context,
        success_url=reverse("admin_center:ticket-fields"), success_message=_("Ticket field saved."),
    )


@agent_required(SETTINGS)
@require_POST
def ticket_field_delete(request: AgentRequest, pk: int) -> HttpResponse:
    """Fields are deactivated, never deleted: tickets keep their values and their history."""
    definition = get_object_or_404(CustomFieldDefinition, pk=pk)
    return run_change(request, lambda: actions.deactivate_custom_field(definition, actor=request.user, via=VIA),
                      success_url=reverse("admin_center:ticket-fields"), success_message=_("Ticket field deactivated."))


@agent_required(SETTINGS)
@require_POST
def ticket_field_restore(request: AgentRequest, pk: int) -> HttpResponse:
    definition = get_object_or_404(CustomFieldDefinition, pk=pk)
    return run_change(request, lambda: actions.update_custom_field(definition, {"active": True}, actor=request.user, via=VIA),
                      success_url=reverse("admin_center:ticket-fields"), success_message=_("Ticket field reactivated."))


def _languages() -> list[tuple[str, str]]:
    return [(code, str(name)) for code, name in settings.LANGUAGES]


@agent_required(SETTINGS)
def ticket_field_options(request: AgentRequest, pk: int) -> HttpResponse:
    """Each option's label in every language of the helpdesk (the stored value never changes)."""
    definition = get_object_or_404(CustomFieldDefinition, pk=pk, kind__in=LIST_KINDS)
    options = fields_catalog.options_of(definition)
    languages = _languages()
    error = ""
    status = 200
    if request.method == "POST":
        labels = {
            option: {code: request.POST.get(f"label-{index}-{code}", "") for code, _name in languages}
            for index, option in enumerate(options)
        }
        try:
            fields_catalog.set_option_labels(definition, labels, actor=request.user, via=VIA)
        except ValidationFailed as refusal:
            error, status = refusal.message, 422
        else:
            return run_change(request, lambda: None, success_url=reverse("admin_center:ticket-fields"),
                              success_message=_("Option labels saved."))
    current = definition.choice_labels or {}
    rows = [
        {"index": index, "option": option,
         "labels": [(code, name, (current.get(option) or {}).get(code, "")) for code, name in languages]}
        for index, option in enumerate(options)
    ]
    return render(request, "admin_center/fields/options.html", {
        "definition": definition, "rows": rows, "languages": languages, "error": error,
        "breadcrumb_extra": [definition.label, _("Option labels")],
    }, status=status)


@agent_required(SETTINGS)
def ticket_field_dependencies(request: AgentRequest, pk: int) -> HttpResponse:
    """The dependent-field editor: for each option of the parent, tick the options of this field that apply."""
    child = get_object_or_404(CustomFieldDefinition.objects.select_related("depends_on"), pk=pk,
                              kind=FieldKind.DEPENDENT_DROPDOWN)
    parent_options = fields_catalog.options_of(child.depends_on) if child.depends_on else []
    options = fields_catalog.options_of(child)
    error = ""
    status = 200
    mapping: dict[str, list[str]] = {p: list(child.choices.get(p, [])) for p in parent_options} if isinstance(child.choices, dict) else {}
    if request.method == "POST":
        added = [line.strip() for line in request.POST.get("new_option", "").splitlines() if line.strip()]
        all_options = list(dict.fromkeys([*options, *added]))
        mapping = {
            parent: [o for o in all_options if o in request.POST.getlist(f"map-{p_index}") or o in added]
            for p_index, parent in enumerate(parent_options)
        }
        try:
            fields_catalog.set_dependent_options(child, mapping, actor=request.user, via=VIA)
        except ValidationFailed as refusal:
            error, status = refusal.message, 422
            options = all_options
        else:
            return run_change(request, lambda: None, success_url=reverse("admin_center:ticket-fields-dependencies", args=[pk]),
                              success_message=_("Dependent options saved."))
    rows = [
        {"option": option, "cells": [(p_index, parent, option in mapping.get(parent, [])) for p_index, parent in enumerate(parent_options)]}
        for option in options
    ]
    return render(request, "admin_center/fields/dependencies.html", {
        "child": child, "parent_options": parent_options, "rows": rows, "error": error,
        "breadcrumb_extra": [child.label, _("Dependent options")],
    }, status=status)


# --- form layouts -------------------------------------------------------------------------------------


@agent_required(SETTINGS)
@require_GET
def form_layouts(request: AgentRequest) -> HttpResponse:
    departments = list(Department.objects.order_by("name"))
    layouts = {layout.department_id: layout for layout in TicketFormLayout.objects.all()}
    rows = [{"department": d, "layout": layouts.get(d.pk)} for d in departments]
    return render(request, "admin_center/fields/form_layouts.html", {"rows": rows})


@agent_required(SETTINGS)
def form_layout_edit(request: AgentRequest, department_id: int) -> HttpResponse:
    """Tick the fields the department's new-ticket forms show and number them in the order wanted."""
    department = get_object_or_404(Department, pk=department_id)
    applicable = fields_for_department(department)
    keys = layout_keys(department)
    error = ""
    status = 200
    if request.method == "POST":
        chosen = [d for d in applicable if request.POST.get(f"show-{d.key}")]

        def order(definition: CustomFieldDefinition) -> tuple[int, int]:
            raw = request.POST.get(f"order-{definition.key}", "")
            return (int(raw) if raw.isdigit() else 9999, applicable.index(definition))

        wanted = [d.key for d in sorted(chosen, key=order)]
        try:
            fields_catalog.set_form_layout(department, wanted, actor=request.user, via=VIA)
        except ValidationFailed as refusal:
            error, status = refusal.message, 422
        else:
            return run_change(request, lambda: None, success_url=reverse("admin_center:form-layouts"),
                              success_message=_("Ticket form saved."))
        keys = wanted
    shown = keys if keys is not None else [d.key for d in applicable]
    rows = [{"definition": d, "shown": d.key in shown, "order": shown.index(d.key) + 1 if d.key in shown else ""}
            for d in sorted(applicable, key=lambda d: (shown.index(d.key) if d.key in shown else len(shown), d.position))]
    return render(request, "admin_center/fields/form_layout_edit.html", {
        "department": department, "rows": rows, "error": error, "has_layout": keys is not None,
        "breadcrumb_extra": [department.name],
    }, status=status)
