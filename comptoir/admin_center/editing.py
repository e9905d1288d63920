"""How every admin form runs: parse with a Django form, change through an action, show refusals in place.

The form only parses input (types, required). The rules live in the owning
app's action, which raises `ValidationFailed(message, {field: code})`; the
message is the same the REST API returns, and it is shown next to its field.
Forms post through htmx: a refusal answers 422 with the form re-rendered (the
workspace's htmx config swaps 422), a success redirects.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from comptoir.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed


def apply_refusal(form: forms.Form, error: Exception) -> None:
    """Put an action's refusal next to the field it names, or above the form."""
    message = getattr(error, "message", str(error))
    fields = getattr(error, "fields", {}) or {}
    placed = False
    for name in fields:
        if name in form.fields:
            form.add_error(name, message)
            placed = True
    if not placed:
        form.add_error(None, message)


def run_form(
    request: HttpRequest,
    form: forms.Form,
    change: Callable[[dict[str, Any]], Any],
    *,
    template: str,
    context: dict[str, Any],
    success_url: str,
    success_message: str = "",
) -> HttpResponse:
    """Validate `form`, call `change(cleaned_data)` (an action), redirect; or re-render with errors (422)."""
    if form.is_valid():
        try:
            change(form.cleaned_data)
        except (ValidationFailed, Conflict, NotFound, PermissionDenied) as error:
            apply_refusal(form, error)
        else:
            if success_message:
                messages.success(request, success_message)
            if request.headers.get("HX-Request"):
                response = HttpResponse(status=204)
                response["HX-Redirect"] = success_url
                return response
            return redirect(success_url)
    return render(request, template, {**context, "form": form}, status=422)


def run_change(request: HttpRequest, change: Callable[[], Any], *, success_url: str, success_message: str = "") -> HttpResponse:
    """A button with no form (delete, deactivate, reorder): call the action, report its refusal as a message."""
    try:
        change()
    except (ValidationFailed, Conflict, NotFound, PermissionDenied) as error:
        messages.error(request, getattr(error, "message", str(error)))
    else:
        if success_message:
            messages.success(request, success_message)
    if request.headers.get("HX-Request"):
        response = HttpResponse(status=204)
        response["HX-Redirect"] = success_url
        return response
    return redirect(success_url)
