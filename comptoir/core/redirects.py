"""Where to send the browser back to when the address comes from the request.

Forms carry a `next` field so that the agent lands back on the page they came
from. Redirecting to it blindly is an open redirect: a link to our own site
that sends the agent to `https://evil.example` (or runs `javascript:`) after
signing in or clicking a button. Every redirect that takes user input goes
through `safe_next`.
"""

from __future__ import annotations

from django.http import HttpRequest
from django.shortcuts import resolve_url
from django.utils.http import url_has_allowed_host_and_scheme


def is_safe_redirect(request: HttpRequest, url: str | None) -> bool:
    """True when `url` stays on this site (same host; https when the request is https)."""
    return bool(url) and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure(),
    )


def safe_next(request: HttpRequest, fallback: str, *, field: str = "next") -> str:
    """The `next` address posted (or in the query string) when it is safe, else `fallback`.

    `fallback` is a URL name (with no arguments) or a path, as `redirect()` accepts.
    """
    candidate = request.POST.get(field) or request.GET.get(field) or ""
    if is_safe_redirect(request, candidate):
        return candidate
    return resolve_url(fallback)
