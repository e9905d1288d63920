"""One JSON error shape everywhere under /api/, including unknown URLs, wrong methods and crashes."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def test_an_unknown_url_under_api_is_a_json_404(api, team):
    response = api.get("/api/nothing/here", team.token("admin"))
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json()["error"]["code"] == "not_found"


def test_an_unknown_ticket_is_a_json_404(api, team):
    response = api.get("/tickets/999999", team.token("admin"))
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_a_wrong_method_is_a_json_405(api, team):
    response = api.call("put", "/tickets", team.token("admin"), json={})
    assert response.status_code == 405
    assert response.json()["error"]["code"] == "method_not_allowed"


def test_an_invalid_query_parameter_is_a_422_naming_it(api, team):
    response = api.get("/tickets?limit=5000", team.token("admin"))
    assert response.status_code == 422
    assert "limit" in response.json()["error"]["fields"]


def test_a_crash_is_a_json_500_without_a_stack_trace(api, team, monkeypatch):
    from comptoir.api.routers import tickets

    def boom(*args, **kwargs):
        raise RuntimeError("secret internals")

    monkeypatch.setattr(tickets, "apply_filters", boom)
    response = api.get("/tickets", team.token("admin"))
    assert response.status_code == 500
    assert response.json()["error"]["code"] == "server_error"
    assert b"secret internals" not in response.content
    assert b"Traceback" not in response.content


def test_a_duplicate_name_is_a_409(api, team):
    assert api.post("/groups", team.token("admin"), json={"name": "Billing"}).status_code == 201
    response = api.post("/groups", team.token("admin"), json={"name": "Billing"})
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "conflict"
