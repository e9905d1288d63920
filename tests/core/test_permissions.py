"""core.permissions: the role -> capability table and the assignment rules, as the actions use them."""

from __future__ import annotations

import pytest

from comptoir.core.actors import SYSTEM, RuleActor, actor_kind
from comptoir.core.models import Role
from comptoir.core.permissions import PermissionDenied, assignable_agent_ids, can, require
from tests.factories import make_agent, make_contact, make_group

pytestmark = pytest.mark.django_db

TABLE = [
    # capability, owner, admin, supervisor, agent, light agent
    ("ticket.reply", True, True, True, True, False),
    ("ticket.note", True, True, True, True, True),
    ("ticket.take", True, True, True, True, True),
    ("ticket.assign", True, True, True, True, False),
    ("ticket.update", True, True, True, True, False),
    ("ticket.merge", True, True, True, True, False),
    ("contact.merge", True, True, True, False, False),
    ("admin.settings", True, True, False, False, False),
    ("admin.billing", True, False, False, False, False),
    ("report.view", True, True, True, False, False),
]
ROLES = [Role.OWNER, Role.ADMIN, Role.SUPERVISOR, Role.AGENT, Role.LIGHT_AGENT]


@pytest.mark.parametrize("row", TABLE, ids=[r[0] for r in TABLE])
def test_role_capabilities(row):
    capability, *expected = row
    agents = [make_agent(role=role) for role in ROLES]
    assert [can(agent, capability) for agent in agents] == expected


def test_deactivated_agent_can_do_nothing():
    gone = make_agent(role=Role.OWNER, is_active=False)
    assert not can(gone, "ticket.view")
    with pytest.raises(PermissionDenied):
        require(gone, "ticket.view")


def test_contacts_view_create_and_reply_only():
    contact = make_contact()
    assert [can(contact, c) for c in ("ticket.view", "ticket.create", "ticket.reply")] == [True, True, True]
    assert not any(can(contact, c) for c in ("ticket.note", "ticket.update", "ticket.assign", "contact.merge"))


def test_rules_and_the_system_may_do_anything_and_are_told_apart():
    rule = RuleActor(rule_id=3, label="Escalate VIPs")
    assert can(SYSTEM, "admin.settings") and can(rule, "ticket.merge")
    assert (actor_kind(SYSTEM), actor_kind(rule)) == ("system", "rule")
    assert (actor_kind(make_agent()), actor_kind(make_contact())) == ("agent", "contact")
    with pytest.raises(TypeError):
        actor_kind(object())


def test_who_each_role_may_assign_to():
    mobile, finance = make_group("Mobile"), make_group("Finance")
    supervisor = make_agent(role=Role.SUPERVISOR, groups=[mobile])
    agent = make_agent(groups=[mobile, finance])
    light = make_agent(role=Role.LIGHT_AGENT, groups=[mobile])
    mobile_member = make_agent(groups=[mobile])
    finance_member = make_agent(groups=[finance])
    make_agent(groups=[mobile], is_active=False)

    assert assignable_agent_ids(make_agent(role=Role.ADMIN)) is None
    assert assignable_agent_ids(SYSTEM) is None
    assert assignable_agent_ids(supervisor) == {supervisor.pk, agent.pk, light.pk, mobile_member.pk}
    assert assignable_agent_ids(agent) == {supervisor.pk, agent.pk, light.pk, mobile_member.pk, finance_member.pk}
    assert assignable_agent_ids(light) == {light.pk}
    assert assignable_agent_ids(make_contact()) == set()
