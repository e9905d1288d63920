"""core.actions: departments, groups and agents change only through these, with the role rules."""

from __future__ import annotations

import pytest

from comptoir.core import actions
from comptoir.core.actors import SYSTEM
from comptoir.core.errors import Conflict, ValidationFailed
from comptoir.core.models import Agent, Department, Group, Role, SupportAddress
from comptoir.core.permissions import PermissionDenied
from tests.factories import make_agent, make_department, make_group, make_ticket, make_token

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin():
    return make_agent(Role.ADMIN, name="Alex Admin")


@pytest.fixture
def owner():
    return make_agent(Role.OWNER, name="Olivia Owner")


# Departments ----------------------------------------------------------------


def test_a_department_gets_its_support_addresses_with_the_first_as_primary(admin):
    department = actions.create_department(
        name=" Support NL ", slug="nl", default_locale="nl", addresses=["Help@Example.NL", "billing@example.nl"], actor=admin,
    )
    assert department.name == "Support NL"
    assert department.primary_address == "help@example.nl"
    assert sorted(a.email for a in department.addresses.all()) == ["billing@example.nl", "help@example.nl"]


def test_an_address_of_another_department_cannot_be_taken(admin):
    make_department(address="help@example.fr")
    with pytest.raises(Conflict):
        actions.create_department(name="Copycat", slug="copycat", addresses=["help@example.fr"], actor=admin)
    assert not Department.objects.filter(slug="copycat").exists()


def test_replacing_addresses_drops_the_old_ones_and_moves_the_primary(admin):
    department = actions.create_department(name="Finance", slug="finance", addresses=["a@example.test", "b@example.test"], actor=admin)
    actions.update_department(department, {"addresses": ["b@example.test", "c@example.test"]}, actor=admin)
    rows = dict(SupportAddress.objects.filter(department=department).values_list("email", "is_primary"))
    assert rows == {"b@example.test": True, "c@example.test": False}


def test_an_invalid_address_is_refused(admin):
    department = make_department()
    with pytest.raises(ValidationFailed) as caught:
        actions.set_support_addresses(department, ["not an address"], actor=admin)
    assert caught.value.fields == {"addresses": "invalid"}


def test_a_department_name_is_unique(admin):
    actions.create_department(name="Support", slug="support", actor=admin)
    with pytest.raises(Conflict):
        actions.create_department(name="Support", slug="support-2", actor=admin)


def test_only_admins_change_departments():
    supervisor = make_agent(Role.SUPERVISOR)
    with pytest.raises(PermissionDenied):
        actions.create_department(name="Rogue", slug="rogue", actor=supervisor)
    with pytest.raises(PermissionDenied):
        actions.update_department(make_department(), {"from_name": "Rogue"}, actor=supervisor)


def test_deleting_a_department_keeps_its_tickets(admin):
    department = make_department()
    ticket = make_ticket(department=department)
    actions.delete_department(department, actor=admin)
    ticket.refresh_from_db()
    assert ticket.department_id is None


def test_departments_are_created_with_addresses_over_http(api, admin):
    response = api.post("/departments", make_token(admin), json={"name": "Support FR", "slug": "fr", "addresses": ["aide@example.fr"]})
    assert response.status_code == 201, response.content
    body = api.patch(f"/departments/{response.json()['id']}", make_token(admin), json={"addresses": ["support@example.fr", "aide@example.fr"]}).json()
    assert set(body["addresses"]) == {"aide@example.fr", "support@example.fr"}
    assert Department.objects.get(slug="fr").primary_address == "support@example.fr"


# Groups ---------------------------------------------------------------------


def test_a_group_is_created_with_its_members(admin):
    first, second = make_agent(), make_agent()
    group = actions.create_group(name="Tier 2", member_ids=[first.pk, second.pk, first.pk], actor=admin)
    assert set(group.members.all()) == {first, second}


def test_a_group_with_unknown_members_is_refused(admin):
    with pytest.raises(ValidationFailed) as caught:
        actions.create_group(name="Ghosts", member_ids=[987654], actor=admin)
    assert caught.value.fields == {"member_ids": "not_found"}
    assert not Group.objects.filter(name="Ghosts").exists()


def test_a_group_leaves_its_department_when_given_none(admin):
    group = actions.create_group(name="Billing", department_id=make_department().pk, actor=admin)
    actions.update_group(group, {"department_id": None}, actor=admin)
    group.refresh_from_db()
    assert group.department_id is None


def test_group_names_are_unique(admin):
    make_group("Billing")
    with pytest.raises(Conflict):
        actions.update_group(make_group("Sales"), {"name": "Billing"}, actor=admin)


def test_only_admins_change_groups():
    group = make_group()
    with pytest.raises(PermissionDenied):
        actions.set_group_members(group, [], actor=make_agent(Role.AGENT))


def test_deleting_a_group_keeps_its_tickets(admin):
    group = make_group()
    ticket = make_ticket(group=group)
    actions.delete_group(group, actor=admin)
    ticket.refresh_from_db()
    assert ticket.group_id is None


def test_a_group_leaves_its_department_over_http(api, admin):
    group = actions.create_group(name="Billing", department_id=make_department().pk, actor=admin)
    body = api.patch(f"/groups/{group.pk}", make_token(admin), json={"department_id": None}).json()
    assert body["department_id"] is None


# Agents ---------------------------------------------------------------------


def test_an_invited_agent_has_no_password_until_they_set_one(admin):
    group = make_group()
    agent = actions.create_agent(email="Sam@Example.TEST", name="Sam", group_ids=[group.pk], actor=admin)
    assert agent.email == "sam@example.test"
    assert not agent.has_usable_password()
    assert list(agent.support_groups.all()) == [group]


def test_an_agent_email_is_unique_whatever_its_case(admin):
    make_agent(email="sam@example.test")
    with pytest.raises(Conflict):
        actions.create_agent(email="SAM@example.test", name="Sam again", actor=admin)


def test_an_unknown_time_zone_is_refused(admin):
    with pytest.raises(ValidationFailed) as caught:
        actions.create_agent(email="tz@example.test", name="Tz", time_zone="Mars/Olympus", actor=admin)
    assert caught.value.fields == {"time_zone": "invalid"}


def test_an_admin_cannot_make_an_owner(admin):
    with pytest.raises(PermissionDenied):
        actions.create_agent(email="boss@example.test", name="Boss", role=Role.OWNER, actor=admin)
    with pytest.raises(PermissionDenied):
        actions.update_agent(make_agent(Role.AGENT), {"role": Role.OWNER}, actor=admin)


def test_an_admin_cannot_touch_an_owner(admin, owner):
    with pytest.raises(PermissionDenied):
        actions.update_agent(owner, {"locale": "fr"}, actor=admin)
    with pytest.raises(PermissionDenied):
        actions.deactivate_agent(owner, actor=admin)


def test_an_agent_cannot_raise_their_own_role():
    agent = make_agent(Role.AGENT)
    with pytest.raises(PermissionDenied):
        actions.update_agent(agent, {"role": Role.ADMIN}, actor=agent)
    agent.refresh_from_db()
    assert agent.role == Role.AGENT


def test_nobody_changes_their_own_role(admin):
    with pytest.raises(ValidationFailed) as caught:
        actions.update_agent(admin, {"role": Role.AGENT}, actor=admin)
    assert caught.value.fields == {"agent": "self"}


def test_nobody_deactivates_themselves(admin):
    with pytest.raises(ValidationFailed):
        actions.deactivate_agent(admin, actor=admin)


def test_the_last_active_owner_cannot_be_deactivated(owner):
    with pytest.raises(ValidationFailed) as caught:
        actions.deactivate_agent(owner, actor=SYSTEM)
    assert caught.value.fields == {"agent": "last_owner"}
    owner.refresh_from_db()
    assert owner.is_active


def test_the_last_active_owner_cannot_be_demoted(owner):
    with pytest.raises(ValidationFailed):
        actions.update_agent(owner, {"role": Role.ADMIN}, actor=SYSTEM)
    owner.refresh_from_db()
    assert owner.role == Role.OWNER


def test_an_owner_demotes_another_owner_while_one_remains(owner):
    other = make_agent(Role.OWNER)
    actions.update_agent(other, {"role": Role.ADMIN}, actor=owner)
    other.refresh_from_db()
    assert other.role == Role.ADMIN


def test_a_deactivated_owner_does_not_count_as_the_remaining_owner(owner):
    make_agent(Role.OWNER, is_active=False)
    with pytest.raises(ValidationFailed):
        actions.deactivate_agent(owner, actor=SYSTEM)


def test_an_admin_deactivates_an_agent(admin):
    agent = make_agent(Role.AGENT)
    actions.deactivate_agent(agent, actor=admin)
    assert Agent.objects.get(pk=agent.pk).is_active is False


def test_an_admin_cannot_change_an_owner_over_http(api, admin, owner):
    response = api.patch(f"/agents/{owner.pk}", make_token(admin), json={"locale": "fr"})
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "forbidden"


def test_an_owner_deactivates_another_owner_over_http(api, owner):
    other = make_agent(Role.OWNER)
    assert api.delete(f"/agents/{other.pk}", make_token(owner)).status_code == 204
    assert Agent.objects.get(pk=other.pk).is_active is False


def test_an_unknown_time_zone_is_refused_over_http(api, admin):
    response = api.post("/agents", make_token(admin), json={"email": "tz@example.test", "name": "Tz", "time_zone": "Mars/Olympus"})
    assert response.status_code == 422
    assert response.json()["error"]["fields"] == {"time_zone": "invalid"}
