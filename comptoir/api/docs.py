"""The interactive API docs, served with the Swagger UI files shipped inside django-ninja.

django-ninja only serves its bundled assets when "ninja" is in INSTALLED_APPS
and otherwise falls back to a CDN; a self-hosted helpdesk must work offline, so
this page and its assets are served from the installed package by our own views.
"""

from __future__ import annotations

import json
import mimetypes
from pathlib import Path
from typing import Any

import ninja
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from ninja.openapi.docs import DocsBase

ASSET_DIR = Path(ninja.__file__).parent / "static" / "ninja"
ASSETS = {"swagger-ui.css", "swagger-ui-bundle.js", "swagger-ui-init.js", "favicon.png"}


class OfflineSwagger(DocsBase):
    def render_page(self, request: HttpRequest, api: Any, **kwargs: Any) -> HttpResponse:
        settings = {"url": self.get_openapi_url(api, kwargs), "layout": "BaseLayout", "deepLinking": True}
        return render(request, "api/swagger.html", {"api": api, "swagger_settings": json.dumps(settings)})


def swagger_asset(request: HttpRequest, name: str) -> FileResponse:
    """One of the Swagger UI files, from django-ninja's package directory."""
    if name not in ASSETS or not (ASSET_DIR / name).is_file():
        raise Http404(name)
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    response = FileResponse((ASSET_DIR / name).open("rb"), content_type=content_type)
    response["Cache-Control"] = "public, max-age=86400"
    return response
