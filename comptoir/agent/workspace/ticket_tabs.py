"""The tabs of the ticket page other than the conversation, loaded with htmx.

History lists every event (filterable by who acted: agent, customer,
automation, system); Attachments lists every file of the ticket; Approval,
Resolution, Activities and Time are rendered by the casework app's template tag
(`{% casework_tab %}`), so the workspace never imports casework's views.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from comptoir.agent.workspace.access import AgentRequest, agent_required
from comptoir.agent.workspace.loading import visible_ticket_or_404
from comptoir.core.actors import ActorKind
from comptoir.tickets import queries
from comptoir.tickets.models import EventKind, MessageKind, Ticket, TicketEvent

TABS = {
    "conversation": _("Conversation"),
    "history": _("History"),
    "attachments": _("Attachments"),
    "approval": _("Approval"),
    "resolution": _("Resolution"),
    "activities": _("Activities"),
    "time": _("Time"),
}
# The names of ticket fields as the properties panel shows them, for history lines.
FIELD_LABELS = {
    "status": _("Status"),
    "priority": _("Priority"),
    "type": _("Type"),
    "assignee": _("Assignee"),
    "group": _("Group"),
    "department": _("Department"),
    "tags": _("Tags"),
    "product": _("Product"),
    "category": _("Category"),
    "subcategory": _("Subcategory"),
    "due_at": _("Due date"),
    "subject": _("Subject"),
}


@dataclass(frozen=True)
class HistoryLine:
    """One history event with its kind and field named in the agent's language."""

    event: TicketEvent
    kind_label: str
    field_label: str


TAB_LINKS = [(key, label) for key, label in TABS.items() if key != "conversation"]
CASEWORK_TABS = {"approval", "resolution", "activities", "time"}


@agent_required
@require_GET
def ticket_tab(request: AgentRequest, number: int, tab: str) -> HttpResponse:
    """One tab's content (a fragment for htmx, the whole page otherwise)."""
    if tab not in TABS or tab == "conversation":
        raise Http404
    ticket = visible_ticket_or_404(request, number)
    context: dict[str, object] = {"ticket": ticket, "tab": tab, "tab_label": TABS[tab], "tabs": TAB_LINKS}
    if tab == "history":
        actor_kind = request.GET.get("actor", "")
        event_kind = request.GET.get("kind", "")
        events = TicketEvent.objects.filter(ticket=ticket).select_related("actor_agent", "actor_contact").order_by("-created_at", "-pk")
        if actor_kind in ActorKind.values:
            events = events.filter(actor_kind=actor_kind)
        if event_kind in EventKind.values:
            events = events.filter(kind=event_kind)
        # Kinds and fields are stored as codes; agents read them in their language (unknown ones as stored).
        labels = dict(EventKind.choices)
        field_labels = {**{f.name: f.verbose_name for f in Ticket._meta.get_fields() if hasattr(f, "verbose_name")}, **FIELD_LABELS}
        rows = [HistoryLine(event, str(labels.get(event.kind, event.kind)), str(field_labels.get(event.field, event.field)))
                for event in events[:500]]
        context.update(events=rows, actor_kind=actor_kind, actor_kinds=ActorKind.choices,
                       event_kind=event_kind, event_kinds=EventKind.choices)
    elif tab == "attachments":
        files = queries.visible_attachments(request.user).filter(ticket=ticket).select_related(
            "message", "message__author_agent", "message__author_contact"
        )
        context.update(files=list(files.order_by("-created_at")), MessageKind=MessageKind)
    template = f"agent/ticket/tab_{'casework' if tab in CASEWORK_TABS else tab}.html"
    if not request.htmx:
        context["tab_template"] = template
        return render(request, "agent/ticket/tab_page.html", context)
    return render(request, template, context)

