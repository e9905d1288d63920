"""Who is signed in to the portal: a contact id kept in the Django session."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from comptoir.contacts.models import Contact

SESSION_KEY = "contact_id"


def current_contact(request: HttpRequest) -> Contact | None:
    contact_id = request.session.get(SESSION_KEY)
    if not contact_id:
        return None
    return Contact.objects.filter(pk=contact_id, merged_into__isnull=True).first()


def sign_in_contact(request: HttpRequest, contact: Contact) -> None:
    # A new session id on sign-in, so a planted session cannot be taken over.
    request.session.cycle_key()
    request.session[SESSION_KEY] = contact.pk


class ContactRequest(HttpRequest):
    """A request that contact_required() has signed in: `contact` is set."""

    contact: Contact


def contact_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Runs the view with request.contact set, or sends the visitor to the sign-in page."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        contact = current_contact(request)
        if contact is None:
            return redirect("portal:sign-in")
        request.contact = contact  # type: ignore[attr-defined]
        return view(request, *args, **kwargs)

    return wrapper
