"""Agents, groups and departments through the API."""

from __future__ import annotations

import pytest

from comptoir.core.models import Agent
from tests.factories import make_agent

pytestmark = pytest.mark.django_db


def test_an_admin_adds_an_agent_to_a_group(api, team):
    response = api.post("/agents", team.token("admin"), json={"email": "new@example.test", "name": "New Hire", "group_ids": [team.group.pk]})
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["role"], body["group_ids"]) == ("agent", [team.group.pk])
    assert not Agent.objects.get(pk=body["id"]).has_usable_password()


def test_an_admin_cannot_make_an_owner(api, team):
    response = api.post("/agents", team.token("admin"), json={"email": "boss@example.test", "name": "Boss", "role": "owner"})
    assert response.status_code == 403


def test_an_owner_can_make_an_owner(api, team):
    response = api.post("/agents", team.token("owner"), json={"email": "boss@example.test", "name": "Boss", "role": "owner"})
    assert response.status_code == 201


def test_deactivating_an_agent_keeps_them_and_stops_their_token(api, team):
    agent = team.members["agent"]
    assert api.delete(f"/agents/{agent.pk}", team.token("admin")).status_code == 204
    agent.refresh_from_db()
    assert agent.is_active is False
    assert api.get("/tickets", team.token("agent")).status_code == 401


def test_an_admin_cannot_deactivate_themselves(api, team):
    assert api.delete(f"/agents/{team.members['admin'].pk}", team.token("admin")).status_code == 422


def test_me_returns_the_calling_agent(api, team):
    assert api.get("/agents/me", team.token("supervisor")).json()["name"] == "Supervisor"


def test_group_members_are_replaced_by_patch(api, team):
    newcomer = make_agent()
    body = api.patch(f"/groups/{team.group.pk}", team.token("admin"), json={"member_ids": [newcomer.pk]}).json()
    assert body["member_ids"] == [newcomer.pk]


def test_a_group_with_unknown_members_is_refused(api, team):
    response = api.post("/groups", team.token("admin"), json={"name": "Ghosts", "member_ids": [987654]})
    assert response.status_code == 422
    assert response.json()["error"]["fields"] == {"member_ids": "not_found"}


def test_departments_are_created_and_updated(api, team):
    dept = api.post("/departments", team.token("admin"), json={"name": "Support NL", "slug": "nl", "default_locale": "nl"}).json()
    body = api.patch(f"/departments/{dept['id']}", team.token("admin"), json={"from_name": "Klantendienst"}).json()
    assert (body["default_locale"], body["from_name"]) == ("nl", "Klantendienst")


def test_listing_agents_runs_a_constant_number_of_queries(api, team, django_assert_max_num_queries):
    for _ in range(10):
        make_agent(groups=[team.group])
    with django_assert_max_num_queries(7):
        assert len(api.get("/agents?limit=2", team.token("agent")).json()["results"]) == 2
    with django_assert_max_num_queries(7):
        assert len(api.get("/agents?limit=15", team.token("agent")).json()["results"]) == 15


def test_the_agent_name_in_from_switch_and_language_signatures_are_set_through_the_api(api, team):
    dept = api.post("/departments", team.token("admin"), json={"name": "Facturation", "slug": "facturation"}).json()
    assert dept["agent_name_in_from"] is False
    body = api.patch(f"/departments/{dept['id']}", team.token("admin"), json={
        "agent_name_in_from": True, "signatures": {"fr": "L'équipe Facturation"}, "default_region": "BE",
    }).json()
    assert body["agent_name_in_from"] is True
    assert body["signatures"] == {"fr": "L'équipe Facturation"}
    assert body["default_region"] == "BE"
    assert api.get(f"/departments/{dept['id']}", team.token("admin")).json()["agent_name_in_from"] is True
