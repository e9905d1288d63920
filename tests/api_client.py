"""The JSON client the API tests (and tests of other apps' endpoints) call /api/v1 with."""

from __future__ import annotations

import json as jsonlib
from typing import Any

from django.test import Client


class Api:
    """Calls /api/v1 like an integration would: JSON in, JSON out, `Authorization: Bearer`."""

    def __init__(self, client: Client) -> None:
        self.client = client

    def call(self, method: str, path: str, token: str | None = None, json: Any = None, headers: dict[str, str] | None = None, **extra: Any) -> Any:
        kwargs: dict[str, Any] = dict(extra)
        if token:
            kwargs["HTTP_AUTHORIZATION"] = f"Bearer {token}"
        for name, value in (headers or {}).items():
            kwargs["HTTP_" + name.upper().replace("-", "_")] = value
        if json is not None:
            kwargs["data"] = jsonlib.dumps(json)
            kwargs["content_type"] = "application/json"
        if path.startswith("http://testserver"):
            path = path[len("http://testserver"):]  # a `next` link
        url = path if path.startswith("/api/") else f"/api/v1{path}"
        return getattr(self.client, method.lower())(url, **kwargs)

    def get(self, path: str, token: str | None = None, **kw: Any) -> Any:
        return self.call("get", path, token, **kw)

    def post(self, path: str, token: str | None = None, json: Any = None, **kw: Any) -> Any:
        return self.call("post", path, token, json=json if json is not None else {}, **kw)

    def patch(self, path: str, token: str | None = None, json: Any = None, **kw: Any) -> Any:
        return self.call("patch", path, token, json=json if json is not None else {}, **kw)

    def delete(self, path: str, token: str | None = None, **kw: Any) -> Any:
        return self.call("delete", path, token, **kw)
