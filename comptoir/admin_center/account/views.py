"""The Account pages: the helpdesk's identity (name, logo, colours, language, time zone) and the audit log.

Thin: the branding form parses, `core.actions.helpdesk.update_helpdesk_settings`
decides and writes (with its audit entry); the audit page reads entries and
turns them into sentences (`audit.py`). Both need "admin.settings". The logo
itself is public: the help center's header shows it to customers.
"""

from __future__ import annotations

from typing import Any

import filetype
from django.http import FileResponse, Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from comptoir.admin_center.account import audit
from comptoir.admin_center.account.forms import AuditFilterForm, BrandingForm
from comptoir.admin_center.editing import run_form
from comptoir.core.access import AgentRequest, agent_required
from comptoir.core.actions.helpdesk import update_helpdesk_settings
from comptoir.core.models import Agent, AuditEntry
from comptoir.core.queries import helpdesk_settings

SETTINGS = "admin.settings"
VIA = "admin"


@agent_required(SETTINGS)
def branding(request: AgentRequest) -> HttpResponse:
    """Name, logo, colours, default language and time zone; a wrong value is refused next to its field."""
    current = helpdesk_settings()
    context: dict[str, Any] = {"current": current, "multipart": True}
    if request.method != "POST":
        form = BrandingForm(initial={
            "name": current.name, "primary_color": current.primary_color, "accent_color": current.accent_color,
            "default_locale": current.default_locale, "time_zone": current.time_zone,
        })
        return render(request, "admin_center/account/branding.html", {**context, "form": form})
    form = BrandingForm(request.POST, request.FILES)

    def change(_data: dict[str, Any]) -> None:
        update_helpdesk_settings(form.changes(), actor=request.user, via=VIA)

    return run_form(request, form, change, template="admin_center/account/branding.html", context=context,
                    success_url=reverse("admin_center:branding"), success_message=_("Helpdesk settings saved."))


@require_GET
def logo(request: Any) -> HttpResponseBase:
    """The helpdesk's logo, for the agents' top bar and the help center's header (public, like the header)."""
    current = helpdesk_settings()
    if not current.logo:
        raise Http404(_("No logo."))
    try:
        handle = current.logo.open("rb")
    except FileNotFoundError as exc:
        raise Http404(_("No logo.")) from exc
    head = handle.read(262)
    handle.seek(0)
    kind = filetype.guess(head)
    response = FileResponse(handle, content_type=kind.mime if kind else "application/octet-stream")
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "public, max-age=300"
    return response


def _object_types() -> list[tuple[str, str]]:
    types = AuditEntry.objects.order_by().values_list("object_type", flat=True).distinct()
    return sorted(((t, audit.type_label(t)) for t in types if t), key=lambda pair: pair[1])


@agent_required(SETTINGS)
@require_GET
def audit_log(request: AgentRequest) -> HttpResponse:
    """Every configuration change, newest first, filterable by kind of object, by who and by dates.

    A fixed number of queries per page: the entries (keyset, one query), the kinds and the agents for the filters.
    """
    actors = list(Agent.objects.order_by("name", "pk").only("pk", "name", "email"))
    form = AuditFilterForm(request.GET or None, object_types=_object_types(), actors=actors)
    criteria = audit.AuditFilter()
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        criteria = audit.AuditFilter(object_type=data["object_type"] or "", actor_id=data["actor"],
                                     date_from=data["date_from"], date_to=data["date_to"])
    rows, following = audit.page_of(audit.filtered_entries(criteria), request.GET.get("before", ""))
    query = request.GET.copy()
    query.pop("before", None)
    next_query = ""
    if following:
        query["before"] = following
        next_query = query.urlencode()
    return render(request, "admin_center/account/audit.html", {
        "form": form, "lines": [audit.audit_line(entry) for entry in rows], "next_query": next_query,
        "filtered": any((criteria.object_type, criteria.actor_id, criteria.date_from, criteria.date_to)),
        "paged": bool(request.GET.get("before")),
    })
