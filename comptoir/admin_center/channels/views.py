"""The Channels section: email (mailboxes, header rules, failed and spam intake), notification templates
and confirmations.

Thin: each view parses with a form, calls `comptoir.channels.email.actions` (or the
intake's retry/release) with `actor=request.user, via="admin"`, and renders. Every
page needs "admin.settings".
"""

from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from comptoir.admin_center.channels.forms import (
    ConfirmationChannelsForm,
    HeaderRuleForm,
    MailboxForm,
    NotificationTemplateForm,
    PreviewForm,
    language_choices,
)
from comptoir.admin_center.editing import run_change, run_form
from comptoir.channels.email import actions as email_actions
from comptoir.channels.email.imap import connect
from comptoir.channels.email.inbound import release_inbound, retry_inbound
from comptoir.channels.email.models import (
    ConfirmationPolicy,
    HeaderRule,
    InboundEmail,
    InboundState,
    Mailbox,
    NotificationEvent,
    NotificationTemplate,
)
from comptoir.channels.email.notification_templates import builtin_template, placeholders, preview
from comptoir.channels.email.outbound import DEFAULT_CONFIRMED_CHANNELS
from comptoir.core.access import AgentRequest, agent_required
from comptoir.core.errors import ValidationFailed
from comptoir.core.models import Department
from comptoir.tickets.models import Channel

SETTINGS = "admin.settings"
VIA = "admin"
PAGE_SIZE = 50
LIST_FIELDS = ("id", "received_at", "source", "state", "error", "from_email", "subject", "header_message_id", "ticket__number")


# --- email: mailboxes and header rules ---------------------------------------------------------------

@agent_required(SETTINGS)
@require_GET
def email_settings(request: AgentRequest) -> HttpResponse:
    """The mailboxes the worker polls and the header rules applied before mail reaches a ticket."""
    return render(request, "admin_center/channels/email.html", {
        "mailboxes": Mailbox.objects.select_related("department"),
        "rules": HeaderRule.objects.all(),
    })


@agent_required(SETTINGS)
def mailbox_new(request: AgentRequest) -> HttpResponse:
    context = {"title": _("Add a mailbox"), "breadcrumb_extra": [_("Add a mailbox")], "submit_label": _("Add mailbox")}
    if request.method != "POST":
        return render(request, "admin_center/channels/edit.html", {**context, "form": MailboxForm()})
    return run_form(
        request, MailboxForm(request.POST),
        lambda data: email_actions.create_mailbox(**data, actor=request.user, via=VIA),
        template="admin_center/channels/edit.html", context=context,
        success_url=reverse("admin_center:email"), success_message=_("Mailbox added."),
    )


@agent_required(SETTINGS)
def mailbox_edit(request: AgentRequest, pk: int) -> HttpResponse:
    mailbox = get_object_or_404(Mailbox, pk=pk)
    context = {"title": mailbox.name, "breadcrumb_extra": [mailbox.name], "submit_label": _("Save"), "mailbox": mailbox}
    if request.method != "POST":
        initial = {name: getattr(mailbox, name) for name in MailboxForm.base_fields if name != "password"}
        return render(request, "admin_center/channels/edit.html", {**context, "form": MailboxForm(initial=initial)})
    return run_form(
        request, MailboxForm(request.POST),
        lambda data: email_actions.update_mailbox(mailbox, **data, actor=request.user, via=VIA),
        template="admin_center/channels/edit.html", context=context,
        success_url=reverse("admin_center:email"), success_message=_("Mailbox saved."),
    )


@agent_required(SETTINGS)
@require_POST
def mailbox_delete(request: AgentRequest, pk: int) -> HttpResponse:
    mailbox = get_object_or_404(Mailbox, pk=pk)
    return run_change(request, lambda: email_actions.delete_mailbox(mailbox, actor=request.user, via=VIA),
                      success_url=reverse("admin_center:email"), success_message=_("Mailbox removed."))


@agent_required(SETTINGS)
@require_POST
def mailbox_test(request: AgentRequest, pk: int) -> HttpResponse:
    """Sign in to the IMAP server once and say whether it worked; nothing is read or changed."""
    mailbox = get_object_or_404(Mailbox, pk=pk)
    try:
        client = connect(mailbox, timeout=10)
        client.logout()
    except Exception as exc:  # any failure is the answer the admin asked for
        result, ok = _("The connection failed: %(error)s") % {"error": f"{type(exc).__name__}: {exc}"[:300]}, False
    else:
        result, ok = _("Connected and signed in to %(host)s.") % {"host": mailbox.host}, True
    return render(request, "admin_center/channels/mailbox_test.html", {"mailbox": mailbox, "result": result, "ok": ok})


@agent_required(SETTINGS)
def header_rule_new(request: AgentRequest) -> HttpResponse:
    context = {"title": _("Add a header rule"), "breadcrumb_extra": [_("Add a header rule")], "submit_label": _("Add rule")}
    if request.method != "POST":
        return render(request, "admin_center/channels/edit.html", {**context, "form": HeaderRuleForm()})
    return run_form(
        request, HeaderRuleForm(request.POST),
        lambda data: email_actions.create_header_rule(**data, actor=request.user, via=VIA),
        template="admin_center/channels/edit.html", context=context,
        success_url=reverse("admin_center:email"), success_message=_("Header rule added."),
    )


@agent_required(SETTINGS)
def header_rule_edit(request: AgentRequest, pk: int) -> HttpResponse:
    rule = get_object_or_404(HeaderRule, pk=pk)
    context = {"title": rule.name, "breadcrumb_extra": [rule.name], "submit_label": _("Save")}
    if request.method != "POST":
        initial = {name: getattr(rule, name) for name in HeaderRuleForm.base_fields}
        return render(request, "admin_center/channels/edit.html", {**context, "form": HeaderRuleForm(initial=initial)})
    return run_form(
        request, HeaderRuleForm(request.POST),
        lambda data: email_actions.update_header_rule(rule, **data, actor=request.user, via=VIA),
        template="admin_center/channels/edit.html", context=context,
        success_url=reverse("admin_center:email"), success_message=_("Header rule saved."),
    )


@agent_required(SETTINGS)
@require_POST
def header_rule_delete(request: AgentRequest, pk: int) -> HttpResponse:
    rule = get_object_or_404(HeaderRule, pk=pk)
    return run_change(request, lambda: email_actions.delete_header_rule(rule, actor=request.user, via=VIA),
                      success_url=reverse("admin_center:email"), success_message=_("Header rule removed."))


# --- email: failed intake and held spam ---------------------------------------------------------------

def _intake_list(request: AgentRequest, state: str) -> HttpResponse:
    rows = (
        InboundEmail.objects.filter(state=state).select_related("ticket").only(*LIST_FIELDS).order_by("-received_at", "-id")
    )
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "admin_center/channels/intake_list.html", {"page": page, "state": state, "states": InboundState})


@agent_required(SETTINGS)
@require_GET
def failed_list(request: AgentRequest) -> HttpResponse:
    return _intake_list(request, InboundState.FAILED)


@agent_required(SETTINGS)
@require_GET
def spam_list(request: AgentRequest) -> HttpResponse:
    return _intake_list(request, InboundState.SPAM)


def _retry(row: InboundEmail, actor: Any) -> None:
    if retry_inbound(row, actor=actor) == InboundState.FAILED:
        raise ValidationFailed(_("The message failed again; see the error."))


@agent_required(SETTINGS)
@require_POST
def retry(request: AgentRequest, pk: int) -> HttpResponse:
    row = get_object_or_404(InboundEmail.objects.defer("raw"), pk=pk, state=InboundState.FAILED)
    return run_change(request, lambda: _retry(row, request.user),
                      success_url=reverse("admin_center:email-failed"), success_message=_("The message was processed."))


@agent_required(SETTINGS)
@require_POST
def release(request: AgentRequest, pk: int) -> HttpResponse:
    row = get_object_or_404(InboundEmail.objects.defer("raw"), pk=pk, state=InboundState.SPAM)
    return run_change(request, lambda: release_inbound(row, actor=request.user),
                      success_url=reverse("admin_center:email-spam"), success_message=_("The message was released and ingested."))


# --- notification templates ------------------------------------------------------------------------

def _event(value: str) -> NotificationEvent:
    if value not in NotificationEvent.values:
        raise Http404
    return NotificationEvent(value)


def _locale(value: str) -> str:
    if value not in dict(language_choices()):
        raise Http404
    return value


@agent_required(SETTINGS)
@require_GET
def notification_templates(request: AgentRequest) -> HttpResponse:
    """Every event in every language: the admin's wording where there is one, the built-in one elsewhere."""
    rows = {(t.event, t.locale): t for t in NotificationTemplate.objects.all()}
    languages = language_choices()
    table = [
        {"event": event, "label": label,
         "cells": [{"locale": code, "language": name, "template": rows.get((event, code))} for code, name in languages]}
        for event, label in NotificationEvent.choices
    ]
    return render(request, "admin_center/channels/notification_templates.html", {"table": table, "languages": languages})


@agent_required(SETTINGS)
def notification_template_edit(request: AgentRequest, event: str, locale: str) -> HttpResponse:
    """Write the wording of one event in one language, starting from what customers receive today."""
    event_value, locale = _event(event), _locale(locale)
    existing = NotificationTemplate.objects.filter(event=event_value, locale=locale).first()
    title = f"{event_value.label} — {dict(language_choices())[locale]}"
    context = {
        "title": title, "breadcrumb_extra": [title], "event": event_value, "locale": locale, "existing": existing,
        "placeholders": placeholders(event_value),
        "preview_url": reverse("admin_center:notification-templates-preview", args=[event_value, locale]),
    }
    if request.method != "POST":
        if existing is not None:
            initial = {"subject": existing.subject, "body_text": existing.body_text, "active": existing.active}
        else:
            subject, body = builtin_template(event_value, locale)
            initial = {"subject": subject, "body_text": body, "active": True}
        form = NotificationTemplateForm(initial=initial)
        return render(request, "admin_center/channels/notification_template_edit.html",
                      {**context, "form": form, "preview": _safe_preview(event_value, locale, str(initial["subject"]), str(initial["body_text"]))})
    form = NotificationTemplateForm(request.POST)
    context["preview"] = _safe_preview(event_value, locale, request.POST.get("subject", ""), request.POST.get("body_text", ""))
    return run_form(
        request, form,
        lambda data: email_actions.save_notification_template(event=event_value, locale=locale, **data,
                                                              actor=request.user, via=VIA),
        template="admin_center/channels/notification_template_edit.html", context=context,
        success_url=reverse("admin_center:notification-templates"), success_message=_("Notification template saved."),
    )


def _safe_preview(event: str, locale: str, subject: str, body: str) -> dict[str, Any]:
    try:
        return {"notice": preview(event, locale, subject, body)}
    except ValidationFailed as exc:
        return {"error": exc.message}


@agent_required(SETTINGS)
@require_POST
def notification_template_preview(request: AgentRequest, event: str, locale: str) -> HttpResponse:
    """The live preview (htmx, as the admin types): a sample ticket's mail in the chosen language; saves nothing."""
    event_value, locale = _event(event), _locale(locale)
    form = PreviewForm(request.POST)
    form.is_valid()
    data = form.cleaned_data
    return render(request, "admin_center/channels/notification_preview.html",
                  {"preview": _safe_preview(event_value, locale, data.get("subject", ""), data.get("body_text", ""))})


@agent_required(SETTINGS)
@require_POST
def notification_template_reset(request: AgentRequest, event: str, locale: str) -> HttpResponse:
    template = get_object_or_404(NotificationTemplate, event=_event(event), locale=_locale(locale))
    return run_change(request, lambda: email_actions.reset_notification_template(template, actor=request.user, via=VIA),
                      success_url=reverse("admin_center:notification-templates"),
                      success_message=_("Back to the built-in wording."))


# --- confirmations ---------------------------------------------------------------------------------

@agent_required(SETTINGS)
def confirmations(request: AgentRequest) -> HttpResponse:
    """Per department, which channels' new tickets get a "we received your request" mail."""
    departments = list(Department.objects.order_by("name"))
    policies = {p.department_id: p.channels for p in ConfirmationPolicy.objects.filter(department__in=departments)}
    labels = dict(Channel.choices)
    if request.method == "POST":
        raw = request.POST.get("department", "")
        if not raw.isdigit():
            raise Http404
        department = get_object_or_404(Department, pk=int(raw))
        return run_form(
            request, ConfirmationChannelsForm(request.POST),
            lambda data: email_actions.set_confirmation_channels(department, data["channels"], actor=request.user, via=VIA),
            template="admin_center/channels/confirmations.html",
            context=_confirmations_context(departments, policies, labels, editing=department.pk),
            success_url=reverse("admin_center:confirmations"), success_message=_("Confirmations saved."),
        )
    return render(request, "admin_center/channels/confirmations.html", _confirmations_context(departments, policies, labels))


def _confirmations_context(departments: list[Department], policies: dict[int, list[str]], labels: dict[str, Any],
                           editing: int | None = None) -> dict[str, Any]:
    rows = []
    for department in departments:
        chosen = policies.get(department.pk, list(DEFAULT_CONFIRMED_CHANNELS))
        rows.append({
            "department": department,
            "channels": [{"value": value, "label": label, "checked": value in chosen} for value, label in labels.items()],
            "editing": department.pk == editing,
        })
    return {"rows": rows}
