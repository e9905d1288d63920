"""The ticket page: conversation, properties edited in place, the composer, downloads.

Thin edge: the ticket is loaded through the visibility rule, every change goes
through an action, and action errors are shown next to the control that caused them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.db.models import Q
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from comptoir.agent.workspace import presence
from comptoir.agent.workspace.access import AgentRequest, agent_required
from comptoir.agent.workspace.loading import visible_ticket_or_404
from comptoir.agent.workspace.properties import changes_from_post, panel_context
from comptoir.agent.workspace.ticket_tabs import TAB_LINKS
from comptoir.channels.email.models import InboundEmail
from comptoir.core.errors import NotFound, PermissionDenied, ValidationFailed
from comptoir.core.models import Agent
from comptoir.core.permissions import can
from comptoir.tickets import actions, queries
from comptoir.tickets.attachments import IncomingFile
from comptoir.tickets.models import (
    Attachment,
    EventKind,
    Message,
    MessageKind,
    Tag,
    Ticket,
    TicketEvent,
)

VIA = "web"
INLINE_TYPES = {"image/png", "image/jpeg", "image/gif", "image/webp"}


@dataclass(frozen=True)
class ShownMessage:
    """A message of the conversation with what the page adds to it: its files split into
    images shown inline and other files, and the link to the raw email (admins only)."""

    message: Message
    inline_images: list[Attachment]
    files: list[Attachment]
    raw_url: str


def _raw_email_links(agent: Agent, conversation: list[Any]) -> dict[str, str]:
    """Message-ID -> URL of the raw mail, for admins, when the email channel offers that page."""
    ids = [m.email_message_id for m in conversation if m.email_message_id]
    if not ids or not can(agent, "admin.settings"):
        return {}
    try:
        reverse("email_channel:raw", kwargs={"pk": 1})
    except NoReverseMatch:
        return {}
    rows = InboundEmail.objects.filter(header_message_id__in=ids).values_list("header_message_id", "pk")
    return {mid: reverse("email_channel:raw", kwargs={"pk": pk}) for mid, pk in rows}


def _conversation_context(agent: Agent, ticket: Ticket) -> dict[str, Any]:
    conversation = list(queries.conversation(agent, ticket).order_by("created_at", "pk"))
    raw_links = _raw_email_links(agent, conversation)
    shown = [
        ShownMessage(
            message,
            inline_images=[a for a in message.attachments.all() if a.content_type in INLINE_TYPES],
            files=[a for a in message.attachments.all() if a.content_type not in INLINE_TYPES],
            raw_url=raw_links.get(message.email_message_id, ""),
        )
        for message in conversation
    ]
    return {
        "conversation": shown,
        **_reply_all_addresses(ticket, conversation),
        "MessageKind": MessageKind,
    }


def _reply_all_addresses(ticket: Ticket, conversation: list[Any]) -> dict[str, str]:
    """What "Reply all" fills in: To the customer, Cc everyone else on the conversation
    (the people copied on the customer's last mail and the ticket's Cc contacts)."""
    to = [email for email in [ticket.contact.primary_email] if email]
    last_customer = next((m for m in reversed(conversation) if m.author_kind == "contact"), None)
    cc_contacts = [c.primary_email for c in ticket.cc_contacts.prefetch_related("identities").order_by("pk")]
    cc: list[str] = []
    for email in [*((last_customer.cc or []) if last_customer else []), *cc_contacts]:
        if email and email.lower() not in {a.lower() for a in [*to, *cc]}:
            cc.append(email)
    return {"reply_all_to": ", ".join(to), "reply_all_cc": ", ".join(cc)}


def _page_context(request: AgentRequest, ticket: Ticket, **extra: Any) -> dict[str, Any]:
    agent = request.user
    return {
        "ticket": ticket,
        "tab": "conversation",
        "tabs": TAB_LINKS,
        "can_reply": can(agent, "ticket.reply"),
        "can_note": can(agent, "ticket.note"),
        # The collision notice is there from the first paint; the 5 s poll keeps it current.
        "others": presence.others(presence.ticket_identity(ticket), agent),
        **panel_context(agent, ticket),
        **_conversation_context(agent, ticket),
        **extra,
    }


@agent_required
@require_GET
def ticket_detail(request: AgentRequest, number: int) -> HttpResponse:
    """The whole ticket page (conversation tab)."""
    ticket = visible_ticket_or_404(request, number)
    presence.mark(presence.ticket_identity(ticket), request.user, presence.VIEWING)
    return render(request, "agent/ticket/page.html", _page_context(request, ticket))


@agent_required
@require_POST
def ticket_properties(request: AgentRequest, number: int) -> HttpResponse:
    """Apply the posted property change(s) with update_ticket; re-render the panel with errors."""
    ticket = visible_ticket_or_404(request, number)
    errors: dict[str, str] = {}
    saved = False
    try:
        changes = changes_from_post(request.POST, ticket)
    except ValueError:
        changes, errors = {}, {"due_at": _("Enter a valid date and time.")}
    if changes:
        try:
            actions.update_ticket(ticket, changes, actor=request.user, via=VIA)
            saved = True
        except ValidationFailed as exc:
            errors = {field: str(exc) for field in (exc.fields or {"form": ""})}
        except (PermissionDenied, NotFound) as exc:
            errors = {"form": str(exc) or _("You cannot change this ticket.")}
        ticket = visible_ticket_or_404(request, number)
    context = {"ticket": ticket, "errors": errors, "saved": saved, **panel_context(request.user, ticket)}
    if not request.htmx:
        if errors:
            for message in set(errors.values()):
                messages.error(request, message)
        return redirect("agent:ticket", number=number)
    status = 422 if errors else 200
    # base.html tells htmx to swap 422 responses, so the errors land next to the controls.
    return render(request, "agent/ticket/properties.html", context, status=status)


@agent_required
@require_POST
def take(request: AgentRequest, number: int) -> HttpResponse:
    """Assign the ticket to the signed-in agent ("a" shortcut)."""
    ticket = visible_ticket_or_404(request, number)
    try:
        actions.take_ticket(ticket, actor=request.user, via=VIA)
        messages.success(request, _("The ticket is assigned to you."))
    except (ValidationFailed, PermissionDenied) as exc:
        messages.error(request, str(exc))
    return redirect("agent:ticket", number=number)


def _uploaded_files(request: AgentRequest) -> list[IncomingFile]:
    return [
        IncomingFile(name=f.name or "file", content=f.read(), content_type=f.content_type or "")
        for f in request.FILES.getlist("attachments")
    ]


def _addresses(value: str) -> list[str]:
    return [part.strip() for part in value.replace(";", ",").split(",") if part.strip()]


def _warn_mentions_without_access(request: AgentRequest, ticket: Ticket, note: Message) -> None:
    """Tell the author which mentioned agents were not notified because they cannot see the ticket.

    The note action decided it and wrote their ids on the note's history entry; read them there.
    """
    event = TicketEvent.objects.filter(ticket=ticket, kind=EventKind.NOTE_ADDED, data__message_id=note.pk).first()
    ids = (event.data or {}).get("mentions_without_access", []) if event else []
    names = [a.name or a.email for a in Agent.objects.filter(pk__in=ids).order_by("name", "pk")]
    if names:
        messages.warning(request, ngettext(
            "%(names)s cannot see this ticket and was not notified.",
            "%(names)s cannot see this ticket and were not notified.",
            len(names),
        ) % {"names": ", ".join(names)})


@agent_required
@require_POST
def compose(request: AgentRequest, number: int) -> HttpResponse:
    """Send a reply (or reply all), or add an internal note; optionally set a status in the same step."""
    ticket = visible_ticket_or_404(request, number)
    mode = request.POST.get("mode", "reply")
    body = request.POST.get("body", "").strip()
    then = request.POST.get("then", "")
    try:
        files = _uploaded_files(request)
        if mode == "note":
            note = actions.add_internal_note(ticket, actor=request.user, via=VIA, body_text=body, attachments=files,
                                             mentions=actions.find_mentions(body))
            messages.success(request, _("Internal note added."))
            _warn_mentions_without_access(request, ticket, note)
        elif mode in ("reply", "reply_all"):
            # Reply all sends to the addresses shown in its To and Cc fields; a plain reply lets
            # the channel address the customer (and the ticket's Cc contacts) as usual.
            to = (_addresses(request.POST.get("to", "")) or None) if mode == "reply_all" else None
            cc = _addresses(request.POST.get("cc", "")) if mode == "reply_all" else None
            actions.add_reply(ticket, actor=request.user, via=VIA, body_text=body, attachments=files, to=to, cc=cc,
                              new_status=then if then in ("solved", "pending", "on_hold", "open") else None)
            messages.success(request, _("Reply sent."))
        else:
            raise ValidationFailed(_("Unknown kind of message."), {"mode": "invalid"})
    except (ValidationFailed, PermissionDenied) as exc:
        presence.mark(presence.ticket_identity(ticket), request.user, presence.VIEWING)
        context = _page_context(request, ticket, composer_error=str(exc),
                                composer_body=body, composer_mode=mode,
                                composer_to=request.POST.get("to", ""), composer_cc=request.POST.get("cc", ""))
        return render(request, "agent/ticket/page.html", context, status=422)
    presence.mark(presence.ticket_identity(ticket), request.user, presence.VIEWING)
    return redirect("agent:ticket", number=number)


@dataclass(frozen=True)
class MentionOption:
    """An agent offered by the @mention autocomplete. `can_see` is False when the note's
    ticket is outside the agent's visibility: the note action will not notify them."""

    agent: Agent
    handle: str
    can_see: bool


@agent_required
@require_GET
def mention_search(request: AgentRequest) -> HttpResponse:
    """Active agents whose name or email starts with `q` (for @mentions in notes); at most 8.

    With `ticket` (a number the signed-in agent can see), each agent who cannot see that
    ticket is marked, so the author knows before posting that they would not be notified.
    """
    prefix = request.GET.get("q", "").strip()
    number = request.GET.get("ticket", "")
    valid_number = number.isascii() and number.isdigit() and len(number) <= 12
    ticket = queries.visible_tickets(request.user).filter(number=int(number)).first() if valid_number else None
    options: list[MentionOption] = []
    if prefix:
        agents = Agent.objects.filter(Q(name__istartswith=prefix) | Q(email__istartswith=prefix), is_active=True).order_by("name")[:8]
        options = [
            MentionOption(agent, agent.email.split("@", 1)[0], ticket is None or queries.is_visible(agent, ticket))
            for agent in agents
        ]
    return render(request, "agent/ticket/mention_options.html", {"options": options, "for": request.GET.get("for", "composer-body")})


@agent_required
@require_GET
def tag_search(request: AgentRequest) -> HttpResponse:
    """Existing tags starting with the last comma-separated part of `q`, as <option>s for the
    tag field's datalist.

    A datalist option replaces the whole input when picked, so each option carries the tags
    already typed before the one being completed: picking "urgent" after "billing, ur" gives
    "billing, urgent" instead of dropping "billing".
    """
    typed = [part.strip() for part in request.GET.get("q", "").split(",")]
    prefix, earlier = typed[-1], [t for t in typed[:-1] if t]
    tags: list[str] = []
    if prefix:
        names = Tag.objects.filter(name__istartswith=prefix).exclude(name__in=earlier).order_by("name")
        tags = list(names.values_list("name", flat=True)[:10])
    return render(request, "agent/ticket/tag_options.html", {"tags": [", ".join([*earlier, tag]) for tag in tags]})


@agent_required
@require_GET
def attachment_download(request: AgentRequest, pk: int) -> FileResponse:
    """Serve a ticket file to an agent who may see the ticket; 404 for everyone else.

    Images are shown inline; any other type is a download. nosniff always.
    """
    attachment = queries.visible_attachments(request.user).filter(pk=pk).first()
    if attachment is None:
        raise Http404
    inline = attachment.content_type in INLINE_TYPES
    try:
        handle = attachment.file.open("rb")
    except (FileNotFoundError, OSError) as exc:
        raise Http404 from exc
    response = FileResponse(handle, as_attachment=not inline, filename=attachment.name,
                            content_type=attachment.content_type if inline else "application/octet-stream")
    response["X-Content-Type-Options"] = "nosniff"
    return response
