"""The workspace's CSS and JavaScript come from the app itself (no CDN), with cache headers."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from tests.factories import make_agent, make_ticket

pytestmark = pytest.mark.django_db


def assets(page: str) -> list[str]:
    return re.findall(r'<(?:script|link)\b[^>]*?(?:src|href)="([^"]+)"', page)


def test_every_stylesheet_and_script_of_the_ticket_page_is_served_by_comptoir(client):
    ticket = make_ticket()
    client.force_login(make_agent())
    page = client.get(reverse("agent:ticket", args=[ticket.number])).content.decode()
    found = [url for url in assets(page) if not url.startswith("data:")]
    assert any(url.endswith("htmx-2.min.js") for url in found)
    assert all(url.startswith("/static/") for url in found), found


@pytest.mark.parametrize("path", ["/static/agent/app.css", "/static/agent/app.js", "/static/django_htmx/htmx-2.min.js"])
def test_static_files_are_served_with_cache_headers(client, path):
    response = client.get(path)
    assert response.status_code == 200
    assert "max-age=" in response["Cache-Control"] and "public" in response["Cache-Control"]
