"""API test helpers: a JSON client that sends a Bearer token, and a team with a token per role."""

from __future__ import annotations

import json as jsonlib
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.test import Client

from comptoir.api.tokens import issue_token
from comptoir.core.models import Role, TicketScope
from tests.factories import make_agent, make_contact, make_group


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


@pytest.fixture
def api(client: Client) -> Api:
    return Api(client)


@dataclass
class Team:
    """One member per role, each with a live token; `tokens["anonymous"]` is None."""

    members: dict[str, Any] = field(default_factory=dict)
    tokens: dict[str, str | None] = field(default_factory=dict)
    group: Any = None

    def token(self, role: str) -> str | None:
        return self.tokens[role]


ROLES = ["owner", "admin", "supervisor", "agent", "light_agent", "contact", "anonymous"]


@pytest.fixture
def team(db: Any) -> Team:
    group = make_group("Mobile apps")
    t = Team(group=group)
    specs = {
        "owner": (Role.OWNER, TicketScope.ALL),
        "admin": (Role.ADMIN, TicketScope.ALL),
        "supervisor": (Role.SUPERVISOR, TicketScope.GROUPS),
        "agent": (Role.AGENT, TicketScope.GROUPS),
        "light_agent": (Role.LIGHT_AGENT, TicketScope.GROUPS),
    }
    for role, (r, scope) in specs.items():
        member = make_agent(r, scope, groups=[group], name=role.replace("_", " ").title())
        t.members[role] = member
        t.tokens[role] = issue_token(member, "tests")[1]
    contact = make_contact("camille@example.test", name="Camille Martin")
    t.members["contact"] = contact
    t.tokens["contact"] = issue_token(contact, "portal script")[1]
    t.members["anonymous"] = None
    t.tokens["anonymous"] = None
    return t
