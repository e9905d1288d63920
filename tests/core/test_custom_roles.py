"""Custom roles: an agent holding one may do exactly its capabilities, within their departments for admin work."""

from __future__ import annotations

import pytest

from comptoir.core import actions as team
from comptoir.core.actions import roles
from comptoir.core.errors import Conflict, ValidationFailed
from comptoir.core.models import Agent, AuditEntry, Role, TicketScope
from comptoir.core.permissions import PermissionDenied, agents_with, can
from comptoir.tickets import actions as ticket_actions
from comptoir.tickets.queries import agents_who_see
from tests.factories import make_agent, make_department, make_group, make_ticket

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin():
    return make_agent(Role.ADMIN, name="Alex Admin")


def holder_of(admin, capabilities, *, role=Role.AGENT, name="Moderators", ticket_scope=TicketScope.GROUPS, **extra):
    custom = roles.create_custom_role(name=name, capabilities=capabilities, ticket_scope=ticket_scope, actor=admin)
    agent = make_agent(role, **extra)
    roles.set_agent_custom_role(agent, custom, actor=admin)
    agent.refresh_from_db()
    return agent


def test_a_moderator_who_may_only_view_and_note_cannot_assign_a_ticket(admin):
    moderator = holder_of(admin, ["ticket.view", "ticket.note"], ticket_scope=TicketScope.ALL)
    ticket = make_ticket()

    with pytest.raises(PermissionDenied):
        ticket_actions.assign_ticket(ticket, assignee=make_agent(), actor=moderator, via="web")

    ticket.refresh_from_db()
    assert ticket.assignee_id is None
    assert can(moderator, "ticket.note")


def test_a_role_that_may_update_tickets_but_not_assign_them_cannot_give_one_to_a_colleague(admin):
    editor = holder_of(admin, ["ticket.view", "ticket.note", "ticket.update"], name="Editors", ticket_scope=TicketScope.ALL)
    ticket = make_ticket()

    with pytest.raises(ValidationFailed) as refusal:
        ticket_actions.update_ticket(ticket, {"assignee": make_agent()}, actor=editor, via="web")

    assert refusal.value.fields == {"assignee": "forbidden"}


def test_the_custom_role_replaces_the_built_in_role_it_sits_on(admin):
    moderator = holder_of(admin, ["ticket.view", "ticket.note"], role=Role.ADMIN)

    assert can(moderator, "ticket.note")
    assert not can(moderator, "ticket.reply")
    assert not can(moderator, "admin.settings")


def test_an_agent_receiving_a_custom_role_gets_its_ticket_access(admin):
    moderator = holder_of(admin, ["ticket.view"])

    assert moderator.ticket_scope == TicketScope.GROUPS


def test_a_custom_role_cannot_hold_the_owners_capability(admin):
    with pytest.raises(ValidationFailed) as refusal:
        roles.create_custom_role(name="Shadow owner", capabilities=["admin.owners"], actor=admin)

    assert refusal.value.fields == {"capabilities": "invalid"}


def test_querysets_count_agents_whose_custom_role_sees_every_ticket(admin):
    auditor = holder_of(admin, ["ticket.view", "ticket.view_all"], name="Auditors", ticket_scope=TicketScope.ASSIGNED)
    ticket = make_ticket()

    assert auditor in agents_who_see(ticket)
    assert Agent.objects.filter(agents_with("ticket.view_all"), pk=auditor.pk).exists()


def test_a_built_in_role_does_not_count_once_a_custom_role_overrides_it(admin):
    moderator = holder_of(admin, ["ticket.view"], role=Role.ADMIN)

    assert not Agent.objects.filter(agents_with("ticket.view_all"), pk=moderator.pk).exists()


def test_a_brand_manager_manages_their_own_department_only(admin):
    belgium, france = make_department("Belgique"), make_department("France")
    manager = holder_of(admin, ["ticket.view", "admin.settings"], name="Brand managers")
    team.update_agent(manager, {"department_ids": [belgium.pk]}, actor=admin)

    team.update_department(belgium, {"from_name": "Support BE"}, actor=manager)
    with pytest.raises(PermissionDenied):
        team.update_department(france, {"from_name": "Pirates"}, actor=manager)

    france.refresh_from_db()
    assert france.from_name == ""


def test_a_brand_manager_edits_groups_of_their_department_only(admin):
    belgium, france = make_department("Belgique"), make_department("France")
    manager = holder_of(admin, ["admin.settings"], name="Brand managers")
    team.update_agent(manager, {"department_ids": [belgium.pk]}, actor=admin)
    french_team = make_group("Équipe FR")
    team.update_group(french_team, {"department_id": france.pk}, actor=admin)

    with pytest.raises(PermissionDenied):
        team.update_group(french_team, {"name": "Renamed"}, actor=manager)


def test_a_role_still_held_cannot_be_deleted(admin):
    moderator = holder_of(admin, ["ticket.view"])

    with pytest.raises(Conflict):
        roles.delete_custom_role(moderator.custom_role, actor=admin)


def test_every_role_change_is_in_the_audit_log(admin):
    moderator = holder_of(admin, ["ticket.view"])
    roles.update_custom_role(moderator.custom_role, {"capabilities": ["ticket.view", "ticket.note"]}, actor=admin)

    entry = AuditEntry.objects.filter(kind="role.updated").get()
    assert entry.changes == {"capabilities": [["ticket.view"], ["ticket.view", "ticket.note"]]}
    assert AuditEntry.objects.filter(kind="agent.updated", object_id=str(moderator.pk)).exists()


def test_an_owner_keeps_the_owner_role(admin):
    owner = make_agent(Role.OWNER)
    custom = roles.create_custom_role(name="Moderators", capabilities=["ticket.view"], actor=admin)

    with pytest.raises(ValidationFailed) as refusal:
        roles.set_agent_custom_role(owner, custom, actor=make_agent(Role.OWNER))

    assert refusal.value.fields == {"custom_role": "owner"}
