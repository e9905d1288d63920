"""The email channel's own staff URLs: the raw original of a received mail, and the old admin addresses.

The channel's settings pages (mailboxes, header rules, failed intake, held spam)
live in the admin center now (comptoir/admin_center/channels/), which calls this
channel's actions. Their old addresses under /agent/email/ still answer, behind
the same capability, by redirecting there, so bookmarks and links keep working.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect

from comptoir.channels.email.models import InboundEmail
from comptoir.core.access import agent_required

ADMIN = "admin.settings"  # the capability every page here requires


@agent_required(ADMIN)
def settings_page(request: HttpRequest) -> HttpResponse:
    return redirect("admin_center:email")


@agent_required(ADMIN)
def failed_list(request: HttpRequest) -> HttpResponse:
    return redirect("admin_center:email-failed")


@agent_required(ADMIN)
def spam_list(request: HttpRequest) -> HttpResponse:
    return redirect("admin_center:email-spam")


@agent_required(ADMIN)
def raw_message(request: HttpRequest, pk: int) -> HttpResponse:
    """The message exactly as received, downloaded (never rendered: it is hostile input)."""
    row = get_object_or_404(InboundEmail, pk=pk)
    response = HttpResponse(bytes(row.raw), content_type="application/octet-stream")
    response["Content-Disposition"] = f'attachment; filename="inbound-{row.pk}.eml"'
    response["X-Content-Type-Options"] = "nosniff"
    return response
