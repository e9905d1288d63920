"""Notification templates: the wording of each customer-facing mail, per event and language.

An admin may override the built-in wording of an event (confirmation, reply,
solved, approval, CSAT) in a language. Templates hold placeholders only —
``{{ticket.number}}``, ``{{contact.first_name}}``... — rendered by a sandboxed
Django template engine: no loaders, no tags at all (so nothing can load, include
or loop), a fixed context of plain values, and a short list of harmless filters.
A template is checked when it is saved (`validate_template`), so a syntax error
or an unknown placeholder is refused next to its field instead of breaking a
mail later; a value the ticket lacks renders empty.

Which wording a mail uses: the active template in the customer's language, else
in the department's default language, else in English; with none of them, the
built-in wording in the customer's language, itself written with the same
placeholders (`builtin_template`), so there is one rendering path and the
admin's form starts from what customers receive today.

The text part is rendered without escaping (it is plain text); the HTML part is
that text escaped as a whole (`text_to_html`), with only an agent reply's own
sanitised HTML body slotted back in, so nothing an admin or a customer types can
inject markup.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.template import Context, Engine, Template, TemplateSyntaxError
from django.template.base import FilterExpression, Node, TextNode, VariableNode
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from comptoir.channels.email.models import NotificationEvent, NotificationTemplate
from comptoir.core.errors import ValidationFailed
from comptoir.core.models import HelpdeskSettings
from comptoir.tickets.html import text_to_html
from comptoir.tickets.models import Ticket

COMMON_PLACEHOLDERS: dict[str, Promise] = {
    "ticket.number": gettext_lazy("the ticket number"),
    "ticket.subject": gettext_lazy("the ticket's subject"),
    "ticket.url": gettext_lazy("the ticket's page in the agent workspace"),
    "ticket.portal_url": gettext_lazy("the request's page in the help center"),
    "contact.first_name": gettext_lazy("the customer's first name"),
    "contact.name": gettext_lazy("the customer's full name"),
    "agent.name": gettext_lazy("the agent's name"),
    "helpdesk.name": gettext_lazy("the helpdesk's name"),
}
EVENT_PLACEHOLDERS: dict[str, dict[str, Promise]] = {
    NotificationEvent.CONFIRMATION: {},
    NotificationEvent.REPLY: {"message.body": gettext_lazy("the agent's reply")},
    NotificationEvent.SOLVED: {"resolution.text": gettext_lazy("how the request was resolved")},
    NotificationEvent.APPROVAL: {
        "approval.requester": gettext_lazy("who asks for the approval"),
        "approval.reason": gettext_lazy("why the approval is needed"),
        "approval.approve_url": gettext_lazy("the link that approves"),
        "approval.reject_url": gettext_lazy("the link that rejects"),
    },
    NotificationEvent.CSAT: {"survey.url": gettext_lazy("the satisfaction survey's link")},
}
ALLOWED_FILTERS = frozenset({"default", "upper", "lower", "title", "capfirst"})
# Stands for an agent reply's HTML body while the rest of the HTML part is escaped.
_BODY_SLOT = "COMPTOIRREPLYBODYSLOT"

_engine = Engine(dirs=[], app_dirs=False, loaders=[], libraries={}, builtins=[], autoescape=False, string_if_invalid="")


@dataclass(frozen=True)
class RenderedNotice:
    subject: str
    text: str
    html: str
    locale: str
    custom: bool  # an admin's template, not the built-in wording


def placeholders(event: str) -> dict[str, Promise]:
    """Every placeholder a template of `event` may use, with what it stands for."""
    return {**COMMON_PLACEHOLDERS, **EVENT_PLACEHOLDERS.get(event, {})}


def _check_expression(expression: FilterExpression, allowed: dict[str, Promise], field: str) -> None:
    variable = expression.var
    names = [getattr(variable, "var", None)] if getattr(variable, "lookups", None) else []
    for name, args in expression.filters:
        filter_name = getattr(name, "__name__", "")
        if filter_name not in ALLOWED_FILTERS:
            raise ValidationFailed(
                _("The filter “%(filter)s” is not allowed; use one of: %(allowed)s.")
                % {"filter": filter_name, "allowed": ", ".join(sorted(ALLOWED_FILTERS))},
                {field: "filter"},
            )
        names += [arg.var for is_lookup, arg in args if is_lookup]
    for placeholder in names:
        if placeholder not in allowed:
            raise ValidationFailed(
                _("Unknown placeholder {{%(name)s}}. Available: %(available)s.")
                % {"name": placeholder, "available": ", ".join(f"{{{{{p}}}}}" for p in allowed)},
                {field: "placeholder"},
            )


def _parsed(source: str, event: str, field: str) -> Template:
    try:
        template = Template(source, engine=_engine)
    except TemplateSyntaxError as exc:
        raise ValidationFailed(_("This template cannot be read: %(error)s") % {"error": exc}, {field: "syntax"}) from exc
    allowed = placeholders(event)
    nodes: list[Node] = list(template.nodelist)
    for node in nodes:
        if isinstance(node, TextNode):
            if "{{" in node.s or "{%" in node.s:
                # Django leaves an unclosed "{{" as text; the admin meant a placeholder.
                raise ValidationFailed(_("A placeholder is not closed: write it as {{ticket.number}}."), {field: "syntax"})
            continue
        if isinstance(node, VariableNode):
            _check_expression(node.filter_expression, allowed, field)
            continue
        raise ValidationFailed(_("Only placeholders such as {{ticket.number}} are allowed, no tags."), {field: "tag"})
    return template


def validate_template(event: str, subject: str, body_text: str) -> None:
    """Refuse (ValidationFailed on `subject` or `body_text`) a template that could not render safely."""
    if event not in NotificationEvent.values:
        raise ValidationFailed(_("Unknown notification event."), {"event": "invalid"})
    if "\n" in subject or "\r" in subject:
        raise ValidationFailed(_("The subject must fit on one line."), {"subject": "invalid"})
    _parsed(subject, event, "subject")
    _parsed(body_text, event, "body_text")


def builtin_template(event: str, locale: str) -> tuple[str, str]:
    """Today's built-in (subject, body) of `event` in `locale`, written with placeholders.

    Built from the same translated sentences the mails always used, so the
    translations keep applying and an admin's form starts from them.
    """
    with translation.override(locale):
        number, subject, name = "{{ticket.number}}", "{{ticket.subject}}", "{{contact.name}}"
        if event == NotificationEvent.CONFIRMATION:
            return (
                _("[#%(number)s] We received your request: %(subject)s") % {"number": number, "subject": subject},
                _("Hello %(name)s,\n\nThank you for contacting us. Your request has been received and has the "
                  "reference #%(number)s. Reply to this email to add information.\n") % {"name": name, "number": number},
            )
        if event == NotificationEvent.REPLY:
            return f"Re: [#{number}] {subject}", "{{message.body}}"
        if event == NotificationEvent.SOLVED:
            return (
                _("Resolution of your request #%(number)s") % {"number": number},
                _("Here is how your request #%(number)s (%(subject)s) was resolved:") % {"number": number, "subject": subject}
                + "\n\n{{resolution.text}}\n",
            )
        if event == NotificationEvent.APPROVAL:
            return (
                _("Approval needed on ticket #%(number)s: %(subject)s") % {"number": number, "subject": subject},
                _("%(requester)s asks for your approval on ticket #%(number)s: %(subject)s")
                % {"requester": "{{approval.requester}}", "number": number, "subject": subject}
                + "\n\n" + _("Reason:") + "\n{{approval.reason}}\n\n"
                + _("Approve:") + " {{approval.approve_url}}\n" + _("Reject:") + " {{approval.reject_url}}\n\n"
                + _("Each link opens a confirmation page, works once and expires in 7 days.") + "\n",
            )
        if event == NotificationEvent.CSAT:
            return (
                _("How did we do on your request #%(number)s?") % {"number": number},
                _("Hello %(name)s,\n\nYour request #%(number)s “%(subject)s” was solved. "
                  "Tell us in one click how we did:\n%(url)s\n")
                % {"name": name, "number": number, "subject": subject, "url": "{{survey.url}}"},
            )
    raise ValueError(f"unknown notification event {event!r}")


def locale_chain(customer_locale: str | None, department_locale: str | None) -> list[str]:
    """The languages to try, in order: the customer's, the department's default, English."""
    chain: list[str] = []
    for locale in (customer_locale, department_locale, "en"):
        if locale and locale not in chain:
            chain.append(locale)
    return chain


def has_custom_template(event: str, chain: list[str]) -> bool:
    """Whether an admin's active template of `event` exists in one of `chain`'s languages (one cheap query)."""
    return NotificationTemplate.objects.filter(event=event, locale__in=chain, active=True).exists()


def chosen_template(event: str, chain: list[str]) -> tuple[str, str, str, bool]:
    """(subject, body, locale, custom): the first active template along `chain`, else the built-in wording."""
    rows = {
        row.locale: row
        for row in NotificationTemplate.objects.filter(event=event, locale__in=chain, active=True)
    }
    for locale in chain:
        if locale in rows:
            return rows[locale].subject, rows[locale].body_text, locale, True
    subject, body = builtin_template(event, chain[0])
    return subject, body, chain[0], False


def _helpdesk_name() -> str:
    return HelpdeskSettings.objects.filter(pk=1).values_list("name", flat=True).first() or "Comptoir"


def _url(name: str, number: int) -> str:
    try:
        return settings.BASE_URL + reverse(name, kwargs={"number": number})
    except NoReverseMatch:
        return ""


def ticket_context(ticket: Ticket, *, agent: Any = None, extra: dict[str, Any] | None = None) -> dict[str, Any]:
    """The fixed, plain-valued context a template sees; anything missing renders empty."""
    contact = ticket.contact
    name = (contact.name or "").strip()
    return {
        "ticket": {"number": ticket.number, "subject": ticket.subject,
                   "url": _url("agent:ticket", ticket.number), "portal_url": _url("portal:request", ticket.number)},
        "contact": {"first_name": name.split()[0] if name else "", "name": name},
        "agent": {"name": (getattr(agent, "name", "") or getattr(agent, "email", "")) if agent is not None else ""},
        "helpdesk": {"name": _helpdesk_name()},
        **(extra or {}),
    }


def render_source(source: str, event: str, context: dict[str, Any], field: str = "body_text") -> str:
    """Render one checked template string against `context` (validated again: built-ins and rows alike)."""
    return _parsed(source, event, field).render(Context(context, autoescape=False))


def render_notice(event: str, chain: list[str], context: dict[str, Any], *, html_body: str = "") -> RenderedNotice:
    """Subject, text and HTML of `event` in the first language of `chain` that has a template.

    `html_body` is an agent reply's sanitised HTML: it takes the place of
    ``{{message.body}}`` in the HTML part, everything else being escaped text.
    """
    subject_source, body_source, locale, custom = chosen_template(event, chain)
    with translation.override(locale):
        subject = " ".join(render_source(subject_source, event, context, "subject").split())
        text = render_source(body_source, event, context)
        if html_body:
            slotted = {**context, "message": {**context.get("message", {}), "body": _BODY_SLOT}}
            html = text_to_html(render_source(body_source, event, slotted))
            html = html.replace(f"<p>{_BODY_SLOT}</p>", html_body).replace(_BODY_SLOT, html_body)
        else:
            html = text_to_html(text)
    return RenderedNotice(subject, text, html, locale, custom)


def sample_context(event: str, locale: str) -> dict[str, Any]:
    """A made-up ticket for the preview, in `locale`."""
    with translation.override(locale):
        values: dict[str, Any] = {
            "ticket": {"number": 1234, "subject": _("My order has not arrived"),
                       "url": settings.BASE_URL + "/agent/tickets/1234/", "portal_url": settings.BASE_URL + "/help/requests/1234/"},
            "contact": {"first_name": "Camille", "name": "Camille Martin"},
            "agent": {"name": "Sam Peeters"},
            "helpdesk": {"name": _helpdesk_name()},
            "message": {"body": _("Your parcel left our warehouse this morning; here is its tracking number.")},
            "resolution": {"text": _("We sent a replacement by express delivery.")},
            "approval": {"requester": "Sam Peeters", "reason": _("Refund above the usual limit."),
                         "approve_url": settings.BASE_URL + "/agent/casework/approve/…",
                         "reject_url": settings.BASE_URL + "/agent/casework/reject/…"},
            "survey": {"url": settings.BASE_URL + "/help/survey/…"},
        }
    return values


def preview(event: str, locale: str, subject: str, body_text: str) -> RenderedNotice:
    """The mail a sample ticket would get from this (unsaved) template; ValidationFailed when it is invalid."""
    validate_template(event, subject, body_text)
    context = sample_context(event, locale)
    with translation.override(locale):
        rendered_subject = " ".join(render_source(subject, event, context, "subject").split())
        text = render_source(body_text, event, context)
    return RenderedNotice(rendered_subject, text, text_to_html(text), locale, True)
