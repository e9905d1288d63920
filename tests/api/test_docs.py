"""The OpenAPI document and the interactive docs, served without any CDN."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.django_db


def test_the_openapi_document_lists_every_resource(client):
    document = client.get("/api/v1/openapi.json").json()
    assert document["openapi"].startswith("3.")
    for path in ("/api/v1/tickets", "/api/v1/tickets/{ticket_id}/messages", "/api/v1/export/tickets",
                 "/api/v1/webhooks/{webhook_id}/deliveries", "/api/v1/custom-fields", "/api/v1/tokens"):
        assert path in document["paths"]
    assert {"TokenBearer", "TokenBasic"} <= set(document["components"]["securitySchemes"])


def test_the_docs_page_loads_its_assets_from_this_server(client):
    page = client.get("/api/v1/docs").content.decode()
    sources = re.findall(r'(?:src|href)="([^"]+)"', page)
    assert sources and all(s.startswith("/api/v1/docs/assets/") for s in sources)
    for source in sources:
        response = client.get(source)
        assert response.status_code == 200
        assert len(b"".join(response.streaming_content)) > 0


def test_an_unknown_asset_is_404(client):
    assert client.get("/api/v1/docs/assets/..%2Fsecret").status_code == 404
