"""API test helpers: a JSON client that sends a Bearer token, and a team with a token per role."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest

from comptoir.api.tokens import issue_token
from comptoir.core.models import Role, TicketScope
from tests.factories import make_agent, make_contact, make_group


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
