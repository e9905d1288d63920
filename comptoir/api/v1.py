"""API v1: the NinjaAPI instance, its authentication, its error shape and its routers.

OpenAPI document at /api/v1/openapi.json, interactive docs at /api/v1/docs.
"""

from __future__ import annotations

from typing import Any

from ninja import NinjaAPI

from comptoir.api.auth import AUTH
from comptoir.api.docs import OfflineSwagger
from comptoir.api.errors import install_error_handlers
from comptoir.api.routers import (
    accounts,
    agents,
    attachments,
    casework,
    casework_activities,
    casework_approvals,
    casework_time,
    categories,
    contacts,
    custom_fields,
    departments,
    events,
    export,
    groups,
    messages,
    products,
    statuses,
    tags,
    tickets,
    tokens,
    webhooks,
)

IDEMPOTENCY_PARAMETER = {
    "name": "Idempotency-Key",
    "in": "header",
    "required": False,
    "schema": {"type": "string", "minLength": 1, "maxLength": 255},
    "description": "Retrying with the same key (same token owner, same body) returns the first answer and creates nothing new. Kept 24 hours.",
}


class ComptoirAPI(NinjaAPI):
    """NinjaAPI whose OpenAPI document also declares the Idempotency-Key header on every POST."""

    def get_openapi_schema(self, *args: Any, **kwargs: Any) -> Any:
        schema = super().get_openapi_schema(*args, **kwargs)
        for operations in schema.get("paths", {}).values():
            post = operations.get("post")
            if post is not None and not any(p.get("name") == "Idempotency-Key" for p in post.get("parameters", [])):
                post.setdefault("parameters", []).append(dict(IDEMPOTENCY_PARAMETER))
        return schema


api = ComptoirAPI(
    title="Comptoir API",
    version="1",
    description=(
        "The Comptoir helpdesk REST API. Authenticate with `Authorization: Bearer <token>` "
        "(or HTTP Basic as `email/token:<token>`). Lists are cursor-paginated: follow `next`. "
        "Errors are `{\"error\": {\"code\", \"message\", \"fields\"?}}`."
    ),
    urls_namespace="api-1",
    auth=AUTH,
    docs=OfflineSwagger(),
    docs_url="/docs",
    openapi_url="/openapi.json",
)
install_error_handlers(api)

api.add_router("/tickets", tickets.router, tags=["tickets"])
api.add_router("/tickets", messages.router, tags=["messages"])
api.add_router("/tickets", events.router, tags=["events"])
api.add_router("/attachments", attachments.router, tags=["attachments"])
api.add_router("/contacts", contacts.router, tags=["contacts"])
api.add_router("/accounts", accounts.router, tags=["accounts"])
api.add_router("/products", products.router, tags=["products"])
api.add_router("/categories", categories.router, tags=["categories"])
api.add_router("/agents", agents.router, tags=["agents"])
api.add_router("/groups", groups.router, tags=["groups"])
api.add_router("/departments", departments.router, tags=["departments"])
api.add_router("/statuses", statuses.router, tags=["statuses"])
api.add_router("/tags", tags.router, tags=["tags"])
api.add_router("/custom-fields", custom_fields.router, tags=["custom fields"])
api.add_router("/export", export.router, tags=["export"])
api.add_router("/webhooks", webhooks.router, tags=["webhooks"])
api.add_router("/tokens", tokens.router, tags=["tokens"])
api.add_router("", casework_approvals.router, tags=["approvals"])
api.add_router("", casework.router, tags=["resolution"])
api.add_router("", casework_activities.router, tags=["activities"])
api.add_router("", casework_time.router, tags=["time"])
