"""HTTP views of the ticket lists: home dashboard, view lists, saved-view forms, bulk actions.

Thin edge: parse input, call listing/bulk (which call queries and actions), render.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from typing import Any

from django.db.models import F, Q
from django.http import Http404, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from comptoir.agent import actions as agent_actions
from comptoir.agent.lists import listing
from comptoir.agent.lists.builtin import BUILTIN_BY_KEY
from comptoir.agent.lists.bulk import BULK_ACTIONS, apply_bulk
from comptoir.agent.lists.columns import COLUMNS, PAGE_SIZES, cells, clean_sort, group_label
from comptoir.agent.lists.counting import cached_counts, cached_value, capped_counts, display_count
from comptoir.agent.lists.forms import (
    BulkForm,
    ConditionRow,
    SavedViewForm,
    assignable_agents,
    conditions_from_rows,
    rows_from_conditions,
    rows_from_post,
)
from comptoir.agent.models import SavedView
from comptoir.agent.workspace.access import AgentRequest, agent_required
from comptoir.core.errors import ValidationFailed
from comptoir.core.permissions import PermissionDenied, can
from comptoir.core.redirects import safe_next
from comptoir.tickets import conditions, queries
from comptoir.tickets.models import UNSOLVED, Priority, Status

SUMMARY_KEY = "comptoir_bulk_summary"


def _int(value: Any, default: int) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


@agent_required
def ticket_list(request: AgentRequest) -> HttpResponse:
    """/agent/tickets/: the All open view."""
    return _render_list(request, listing.get_view(request.user, "all-open"))


@agent_required
def view_list(request: AgentRequest, key: str) -> HttpResponse:
    return _render_list(request, listing.get_view(request.user, key))


def _render_list(request: AgentRequest, spec: listing.ViewSpec) -> HttpResponse:
    agent = request.user
    query = (request.GET.get("q") or "").strip()[:200]
    if query:
        # The top bar's search narrows the view: subject contains the words, or the ticket number.
        spec = listing.narrowed(spec, query)
    sort = clean_sort(request.GET.get("sort"), spec.sort)
    per_page = _int(request.GET.get("per_page"), PAGE_SIZES[0])
    per_page = per_page if per_page in PAGE_SIZES else PAGE_SIZES[0]
    page = max(1, _int(request.GET.get("page"), 1))
    rows, has_next = listing.list_page(agent, spec, sort=sort, page=page, per_page=per_page)
    for row in rows:
        row.group_label = group_label(row, spec.group_by)  # type: ignore[attr-defined]
        row.cells = cells(row, spec.columns)  # type: ignore[attr-defined]
    columns = []
    for key in spec.columns:
        label, field = COLUMNS[key]
        next_sort = ("" if sort == f"-{field}" else "-") + field if sort.lstrip("-") == field else field
        columns.append({"key": key, "label": label, "field": field, "next_sort": next_sort,
                        "sorted": sort.lstrip("-") == field and bool(field), "descending": sort.startswith("-")})
    saved = spec.saved
    context = {
        "spec": spec,
        "rows": rows,
        "columns": columns,
        "sort": sort,
        "page": page,
        "per_page": per_page,
        "page_sizes": PAGE_SIZES,
        "has_next": has_next,
        "bulk_actions": BULK_ACTIONS,
        "assignable": assignable_agents(agent).values_list("pk", "name", "email"),
        "statuses": Status.objects.filter(active=True).values_list("pk", "name"),
        "priorities": Priority.choices,
        "can_edit": saved is not None and listing.may_edit(agent, saved),
        "summary": request.session.pop(SUMMARY_KEY, None),
        "list_url": request.path,
        "query": query,
    }
    return render(request, "agent/lists/list.html", context)


@agent_required
def bulk(request: AgentRequest) -> HttpResponse:
    """Apply one action to the selected tickets, one action call per ticket; summary on the list."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    back = safe_next(request, "agent:tickets")
    form = BulkForm(request.POST, agent=request.user)
    if not form.is_valid():
        errors = [str(e) for errs in form.errors.values() for e in errs]
        request.session[SUMMARY_KEY] = {"text": _("Nothing was changed."), "refused": [["", e] for e in errors], "ok": False}
        return redirect(back)
    result = apply_bulk(request.user, form.cleaned_data["ticket"], form.cleaned_data["action"], form.params())
    updated, refused = len(result.updated), len(result.refused)
    if refused:
        text = _("%(updated)s updated, %(refused)s refused:") % {"updated": updated, "refused": refused}
    else:
        text = ngettext("%(updated)s ticket updated.", "%(updated)s tickets updated.", updated) % {"updated": updated}
    request.session[SUMMARY_KEY] = {"text": text, "refused": [[str(n), str(r)] for n, r in result.refused], "ok": not refused}
    return redirect(back)


# --- sidebar with live counts --------------------------------------------------------


@agent_required
def sidebar(request: AgentRequest) -> HttpResponse:
    """The views with their counts; htmx loads it after the page and every 30 seconds."""
    agent = request.user
    views = listing.views_for(agent)
    querysets = {v.key: listing.view_tickets(agent, v) for v in views}
    # The key changes when the agent's set of views or their conditions change.
    fingerprint = hashlib.sha256(json.dumps([[v.key, v.conditions] for v in views], sort_keys=True, default=str).encode()).hexdigest()[:16]
    counts = cached_counts(f"{agent.pk}:{fingerprint}", querysets)
    items = [{"view": v, "count": display_count(counts[v.key]),
              "url": reverse("agent:tickets") if v.key == "all-open" else reverse("agent:view", args=[v.key])}
             for v in views]
    current = request.GET.get("current", "")
    return render(request, "agent/lists/sidebar_items.html", {"items": items, "current": current,
                                                               "can_create": can(agent, "view.personal")})


# --- home dashboard ---------------------------------------------------------------------


def _start_of_today(now: dt.datetime) -> dt.datetime:
    local = timezone.localtime(now)
    return local.replace(hour=0, minute=0, second=0, microsecond=0)


@agent_required
def dashboard(request: AgentRequest) -> HttpResponse:
    """/agent/: my open, unassigned in my groups, overdue, solved today, oldest waiting customer."""
    agent = request.user
    now = timezone.now()
    specs = {key: listing.get_view(agent, key) for key in ("my-open", "unassigned", "overdue")}
    solved_today = {"all": [{"field": "solved_at", "operator": "after", "value": _start_of_today(now).isoformat()},
                            {"field": "status_category", "operator": "in", "value": ["solved", "closed"]}]}
    def compute() -> dict[str, Any]:
        querysets = {key: listing.view_tickets(agent, spec, now=now) for key, spec in specs.items()}
        querysets["solved-today"] = queries.visible_tickets(agent).filter(conditions.to_q(solved_today, user=agent, now=now))
        # No index serves this one (it sorts the unsolved tickets), hence the cache below.
        waiting_id = (
            queries.visible_tickets(agent)
            .filter(status_category__in=UNSOLVED, last_customer_message_at__isnull=False)
            .filter(Q(last_agent_message_at__isnull=True) | Q(last_customer_message_at__gt=F("last_agent_message_at")))
            .order_by("last_customer_message_at", "id")
            .values_list("pk", flat=True)
            .first()
        )
        return {"counts": capped_counts(querysets), "waiting_id": waiting_id}

    data = cached_value(f"dashboard:{agent.pk}:{_start_of_today(now).date()}", compute)
    counts = data["counts"]
    waiting = queries.visible_tickets(agent).select_related("contact").filter(pk=data["waiting_id"]).first() if data["waiting_id"] else None
    cards = [
        {"key": "my-open", "label": BUILTIN_BY_KEY["my-open"].name, "count": counts["my-open"],
         "url": reverse("agent:view", args=["my-open"]), "empty": _("Nothing assigned to you is open.")},
        {"key": "unassigned", "label": BUILTIN_BY_KEY["unassigned"].name, "count": counts["unassigned"],
         "url": reverse("agent:view", args=["unassigned"]), "empty": _("Every ticket in your groups has an owner.")},
        {"key": "overdue", "label": BUILTIN_BY_KEY["overdue"].name, "count": counts["overdue"],
         "url": reverse("agent:view", args=["overdue"]), "empty": _("No ticket is past its due date.")},
        {"key": "solved-today", "label": _("Solved today"), "count": counts["solved-today"],
         "url": reverse("agent:view", args=["recently-solved"]), "empty": _("No ticket solved yet today.")},
    ]
    for card in cards:
        card["display"] = display_count(card["count"])
    return render(request, "agent/lists/dashboard.html", {"cards": cards, "waiting": waiting, "now": now})


# --- saved views: create, edit, delete ----------------------------------------------------


@agent_required
def view_new(request: AgentRequest) -> HttpResponse:
    return _edit_view(request, None)


@agent_required
def view_edit(request: AgentRequest, pk: int) -> HttpResponse:
    saved = get_object_or_404(SavedView, pk=pk)
    if not listing.may_see(request.user, saved):
        raise Http404
    if not listing.may_edit(request.user, saved):
        return HttpResponse(_("You cannot change this view."), status=403)
    return _edit_view(request, saved)


def _edit_view(request: AgentRequest, saved: SavedView | None) -> HttpResponse:
    agent = request.user
    if not can(agent, "view.personal"):
        return HttpResponse(_("You cannot create views."), status=403)
    if request.method == "POST":
        form = SavedViewForm(request.POST, agent=agent)
        match = request.POST.get("match", "all") if request.POST.get("match") in ("all", "any") else "all"
        rows = rows_from_post(request.POST)
        conditions_error = ""
        built = None
        try:
            built = conditions_from_rows(match, rows)
        except ValidationFailed:
            conditions_error = _("Some conditions are not valid.")
        wants_shared = request.POST.get("shared") in ("on", "true", "1")
        if wants_shared and not can(agent, "view.shared"):
            return HttpResponse(_("Only administrators create shared views."), status=403)
        if form.is_valid() and built is not None:
            data = form.cleaned_data
            fields = {"name": data["name"], "conditions": built, "columns": data["columns"], "sort": data["sort"],
                      "group_by": data["group_by"] or "", "shared": data.get("shared", False)}
            try:
                if saved is None:
                    saved = agent_actions.create_saved_view(**fields, actor=agent, via="web")
                else:
                    saved = agent_actions.update_saved_view(saved, fields, actor=agent, via="web")
            except PermissionDenied:
                return HttpResponse(_("You cannot change this view."), status=403)
            except ValidationFailed as exc:
                form.add_error(next((f for f in exc.fields if f in form.fields), None), exc.message)
                return _render_view_form(request, form, rows, saved, "")
            return redirect("agent:view", key=str(saved.pk))
    else:
        initial: dict[str, Any] = {"columns": ["number", "subject", "contact", "status", "priority", "assignee", "updated_at"],
                                   "sort": "-updated_at", "match": "all"}
        rows = [ConditionRow("status_category", "in", "new, open")]
        if saved is not None:
            match, rows = rows_from_conditions(saved.conditions)
            initial = {"name": saved.name, "columns": saved.columns, "sort": saved.sort, "group_by": saved.group_by,
                       "match": match, "shared": saved.owner_id is None}
        form = SavedViewForm(initial=initial, agent=agent)
        conditions_error = ""
    return _render_view_form(request, form, rows, saved, conditions_error)


def _render_view_form(request: AgentRequest, form: SavedViewForm, rows: list[ConditionRow], saved: SavedView | None,
                      conditions_error: str) -> HttpResponse:
    return render(request, "agent/lists/view_form.html", {
        "form": form, "rows": rows, "saved": saved, "conditions_error": conditions_error,
        "field_choices": conditions.describe_fields(),
    })


@agent_required
def view_delete(request: AgentRequest, pk: int) -> HttpResponse:
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    saved = get_object_or_404(SavedView, pk=pk)
    if not listing.may_see(request.user, saved):
        raise Http404
    if not listing.may_edit(request.user, saved):
        return HttpResponse(_("You cannot change this view."), status=403)
    agent_actions.delete_saved_view(saved, actor=request.user, via="web")
    return redirect("agent:home")


@agent_required
def condition_row(request: AgentRequest) -> HttpResponse:
    """One condition row (htmx): a new row, or the same row re-rendered when its field changes."""
    field_name = request.GET.get("cond_field") or "status_category"
    if conditions.field_for(field_name) is None:
        field_name = "status_category"
    operators = [op for op, _label in conditions.operators_for(field_name)]
    operator = request.GET.get("cond_operator") or ""
    if operator not in operators:
        operator = operators[0]
    row = ConditionRow(field_name, operator, request.GET.get("cond_value", ""))
    return render(request, "agent/lists/condition_row.html", {"row": row, "field_choices": conditions.describe_fields()})
