"""Admin pages of the email channel: failed intake (retry), held spam (release), header rules and mailboxes.

Admin-only: every page is gated by `agent_required("admin.settings")`. Lists read a page of rows without their
raw bytes, in a constant number of queries.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import select_template
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.views.decorators.http import require_POST

from comptoir.channels.email import actions as email_actions
from comptoir.channels.email.inbound import release_inbound, retry_inbound
from comptoir.channels.email.models import HeaderRule, InboundEmail, InboundState, Mailbox
from comptoir.core.access import agent_required
from comptoir.core.errors import ValidationFailed

ADMIN = "admin.settings"  # the capability every page here requires
PAGE_SIZE = 50
LIST_FIELDS = ("id", "received_at", "source", "state", "error", "from_email", "subject", "header_message_id", "ticket__number")


def _base_template() -> str:
    """The agent workspace layout when it exists, else the channel's own minimal page."""
    return select_template(["agent/base.html", "email_channel/standalone.html"]).template.name


def _list(request: HttpRequest, state: str, title: str, action: str) -> HttpResponse:
    rows = (
        InboundEmail.objects.filter(state=state).select_related("ticket").only(*LIST_FIELDS).order_by("-received_at", "-id")
    )
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "email_channel/intake_list.html", {
        "base_template": _base_template(), "page": page, "title": title, "action": action, "state": state,
    })


@agent_required(ADMIN)
def failed_list(request: HttpRequest) -> HttpResponse:
    return _list(request, InboundState.FAILED, _("Failed email intake"), "retry")


@agent_required(ADMIN)
def spam_list(request: HttpRequest) -> HttpResponse:
    return _list(request, InboundState.SPAM, _("Email held as spam"), "release")


@agent_required(ADMIN)
@require_POST
def retry(request: HttpRequest, pk: int) -> HttpResponse:
    row = get_object_or_404(InboundEmail.objects.defer("raw"), pk=pk, state=InboundState.FAILED)
    state = retry_inbound(row, actor=request.user)
    if state == InboundState.FAILED:
        messages.error(request, _("The message failed again; see the error."))
    else:
        messages.success(request, _("The message was processed."))
    return redirect("email_channel:failed")


@agent_required(ADMIN)
@require_POST
def release(request: HttpRequest, pk: int) -> HttpResponse:
    row = get_object_or_404(InboundEmail.objects.defer("raw"), pk=pk, state=InboundState.SPAM)
    release_inbound(row, actor=request.user)
    messages.success(request, _("The message was released and ingested."))
    return redirect("email_channel:spam")


@agent_required(ADMIN)
def raw_message(request: HttpRequest, pk: int) -> HttpResponse:
    """The message exactly as received, downloaded (never rendered: it is hostile input)."""
    row = get_object_or_404(InboundEmail, pk=pk)
    response = HttpResponse(bytes(row.raw), content_type="application/octet-stream")
    response["Content-Disposition"] = f'attachment; filename="inbound-{row.pk}.eml"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


class HeaderRuleForm(forms.ModelForm):
    class Meta:
        model = HeaderRule
        fields = ["name", "header", "pattern", "action", "active", "position"]


class MailboxForm(forms.ModelForm):
    password = forms.CharField(label=_l("password"), required=False, widget=forms.PasswordInput,
                               help_text=_l("Stored encrypted. Leave empty to keep the current one."))

    class Meta:
        model = Mailbox
        fields = ["name", "department", "host", "port", "security", "username", "password", "password_env",
                  "folder", "after_processing", "move_to_folder", "active"]


def _posted_row(model: type[HeaderRule] | type[Mailbox], raw: str) -> Any:
    """The row a delete button names; a missing or non-numeric id is a 404, not a server error."""
    if not raw.isdigit():
        raise Http404
    return get_object_or_404(model, pk=int(raw))


@agent_required(ADMIN)
def settings_page(request: HttpRequest) -> HttpResponse:
    """Header rules and IMAP mailboxes: list, add, delete."""
    rule_form = HeaderRuleForm(prefix="rule")
    mailbox_form = MailboxForm(prefix="mailbox")
    if request.method == "POST":
        actor = request.user
        if "delete_rule" in request.POST:
            email_actions.delete_header_rule(_posted_row(HeaderRule, request.POST["delete_rule"]), actor=actor, via="web")
            return redirect("email_channel:settings")
        if "delete_mailbox" in request.POST:
            email_actions.delete_mailbox(_posted_row(Mailbox, request.POST["delete_mailbox"]), actor=actor, via="web")
            return redirect("email_channel:settings")
        if "add_rule" in request.POST:
            rule_form = HeaderRuleForm(request.POST, prefix="rule")
            if rule_form.is_valid():
                try:
                    email_actions.create_header_rule(**rule_form.cleaned_data, actor=actor, via="web")
                except ValidationFailed as exc:
                    rule_form.add_error(next((f for f in exc.fields if f in rule_form.fields), None), exc.message)
                else:
                    messages.success(request, _("Header rule added."))
                    return redirect("email_channel:settings")
        if "add_mailbox" in request.POST:
            mailbox_form = MailboxForm(request.POST, prefix="mailbox")
            if mailbox_form.is_valid():
                try:
                    email_actions.create_mailbox(**mailbox_form.cleaned_data, actor=actor, via="web")
                except ValidationFailed as exc:
                    mailbox_form.add_error(next((f for f in exc.fields if f in mailbox_form.fields), None), exc.message)
                else:
                    messages.success(request, _("Mailbox added."))
                    return redirect("email_channel:settings")
    return render(request, "email_channel/settings.html", {
        "base_template": _base_template(),
        "rules": HeaderRule.objects.all(),
        "mailboxes": Mailbox.objects.select_related("department"),
        "rule_form": rule_form,
        "mailbox_form": mailbox_form,
    })
