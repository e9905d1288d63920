"""URLs under /api/: version 1, its docs assets, and a JSON 404 for everything else."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern, URLResolver, include, path, re_path
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from comptoir.api.docs import swagger_asset
from comptoir.api.errors import as_json_error, error_response
from comptoir.api.idempotency import store_answer
from comptoir.api.v1 import api


def _finishing(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Around every API view: keep the answer for Idempotency-Key replays, and JSON errors only."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = view(request, *args, **kwargs)
        store_answer(request, response)
        return as_json_error(response)

    return wrapped


def _wrap(patterns: list[Any]) -> list[Any]:
    for pattern in patterns:
        if isinstance(pattern, URLPattern):
            pattern.callback = _finishing(pattern.callback)
        elif isinstance(pattern, URLResolver):
            _wrap(pattern.url_patterns)
    return patterns


@csrf_exempt
def not_found(request: HttpRequest, rest: str = "") -> HttpResponse:
    return error_response(404, _("No API endpoint at this address."))


v1_patterns, v1_app, v1_namespace = api.urls

urlpatterns = [
    path("v1/docs/assets/<str:name>", swagger_asset, name="api-docs-asset"),
    path("v1/", include((_wrap(list(v1_patterns)), v1_app), namespace=v1_namespace)),
    re_path(r"^(?P<rest>.*)$", not_found),
]
