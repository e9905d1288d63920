"""The capabilities that replaced role-name checks, and `roles_with` for queries over agents.

Each row is what the code tested by role name before: owners and admins see
every ticket; supervisors see at least their groups'; owners, admins and
supervisors export time and decide approvals; only owners manage owners.
"""

from __future__ import annotations

import pytest

from comptoir.core.models import Role
from comptoir.core.permissions import can, is_owner_role, roles_with
from tests.factories import make_agent

pytestmark = pytest.mark.django_db

TABLE = [
    # capability, owner, admin, supervisor, agent, light agent
    ("ticket.view_all", True, True, False, False, False),
    ("ticket.view_groups", False, False, True, False, False),
    ("time.export", True, True, True, False, False),
    ("approval.decide", True, True, True, False, False),
    ("admin.owners", True, False, False, False, False),
]
ROLES = [Role.OWNER, Role.ADMIN, Role.SUPERVISOR, Role.AGENT, Role.LIGHT_AGENT]


@pytest.mark.parametrize("row", TABLE, ids=[r[0] for r in TABLE])
def test_who_holds_each_capability(row):
    capability, *expected = row
    assert [can(make_agent(role=role), capability) for role in ROLES] == expected


@pytest.mark.parametrize("row", TABLE, ids=[r[0] for r in TABLE])
def test_roles_with_a_capability_are_the_roles_whose_agents_hold_it(row):
    capability, *expected = row
    assert set(roles_with(capability)) == {role for role, holds in zip(ROLES, expected, strict=True) if holds}


def test_a_capability_nobody_holds_names_no_role():
    assert roles_with("no.such.capability") == ()


def test_only_the_owner_role_is_guarded_as_the_owner_role():
    assert [is_owner_role(role) for role in [*ROLES, None]] == [True, False, False, False, False, False]


def test_a_deactivated_owner_is_no_longer_an_admin():
    """Agent.is_admin asks can(): a deactivated owner loses the admin pages with the rest."""
    assert make_agent(role=Role.OWNER).is_admin
    assert not make_agent(role=Role.OWNER, is_active=False).is_admin
    assert not make_agent(role=Role.SUPERVISOR).is_admin
