"""The customer's side: sign in by emailed link, see my requests, read and answer one.

Contacts only ever see what queries.visible_tickets/visible_messages give them:
never another customer's ticket, never an internal note.
"""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from comptoir.contacts.actions import find_contact
from comptoir.core.errors import ActionError, PermissionDenied
from comptoir.portal.access import (
    ContactRequest,
    contact_required,
    current_contact,
    sign_in_contact,
)
from comptoir.portal.signin import (
    LINK_MAX_AGE_SECONDS,
    SignInRefused,
    make_sign_in_token,
    redeem_sign_in_token,
)
from comptoir.tickets import actions, queries
from comptoir.tickets.models import Ticket

REFUSALS = {
    "expired": gettext_lazy("This sign-in link has expired. Ask for a new one below."),
    "used": gettext_lazy("This sign-in link was already used. Ask for a new one below."),
    "invalid": gettext_lazy("This sign-in link is not valid. Ask for a new one below."),
}


def sign_in(request: HttpRequest) -> HttpResponse:
    """Ask for an email address and send a one-time link — without saying whether we know it."""
    if current_contact(request) is not None:
        return redirect("portal:requests")
    if request.method == "POST":
        email = (request.POST.get("email") or "").strip()
        if "@" not in email or len(email) > 254:
            return render(request, "portal/sign_in.html", {"error": _("Enter a valid email address."), "email": email})
        contact = find_contact(email=email)
        if contact is not None:
            _send_link(request, contact, email)
        return render(request, "portal/sign_in_sent.html", {"email": email})
    return render(request, "portal/sign_in.html", {})


def _send_link(request: HttpRequest, contact, email: str) -> None:
    link = request.build_absolute_uri(reverse("portal:redeem", args=[make_sign_in_token(contact)]))
    with translation.override(contact.locale or settings.LANGUAGE_CODE):
        subject = _("Your sign-in link")
        body = _(
            "Hello,\n\nUse this link to see your requests. It works once, for %(minutes)s minutes:\n\n%(link)s\n\n"
            "If you did not ask for it, ignore this message."
        ) % {"minutes": LINK_MAX_AGE_SECONDS // 60, "link": link}
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [email])


def redeem(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows a button, POST signs in: mail scanners that open links do not burn them."""
    if request.method == "POST":
        try:
            contact = redeem_sign_in_token(token)
        except SignInRefused as refused:
            return render(request, "portal/sign_in.html", {"error": REFUSALS[refused.reason]}, status=400)
        sign_in_contact(request, contact)
        return redirect("portal:requests")
    return render(request, "portal/redeem.html", {"token": token})


def sign_out(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    request.session.flush()
    return redirect("portal:sign-in")


@contact_required
def my_requests(request: ContactRequest) -> HttpResponse:
    tickets = queries.visible_tickets(request.contact).select_related("status").order_by("-updated_at", "-id")[:200]
    return render(request, "portal/requests.html", {"tickets": tickets})


def _ticket_for(request: ContactRequest, number: int) -> Ticket:
    ticket = queries.visible_tickets(request.contact).select_related("status").filter(number=number).first()
    if ticket is None:
        raise Http404
    return ticket


@contact_required
def request_detail(request: ContactRequest, number: int) -> HttpResponse:
    """The conversation (public messages only) and a reply box."""
    ticket = _ticket_for(request, number)
    error = ""
    if request.method == "POST":
        try:
            actions.add_reply(ticket, actor=request.contact, via="portal", body_text=request.POST.get("body", ""))
        except PermissionDenied:
            error = _("You cannot reply to this request.")
        except ActionError as exc:
            error = exc.message
        else:
            return redirect("portal:request", number=number)
    messages = queries.visible_messages(request.contact, ticket)
    return render(request, "portal/request_detail.html", {
        "ticket": ticket, "messages": messages, "error": error, "body": request.POST.get("body", "") if error else "",
    })
