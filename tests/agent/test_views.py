"""Saved views: agents build personal views, admins shared ones, and nobody sees another's."""

from __future__ import annotations

import pytest
from django.urls import reverse

from comptoir.agent.models import SavedView
from comptoir.core.models import Role
from tests.factories import make_agent, make_ticket

pytestmark = pytest.mark.django_db


def view_form(name="Urgent ones", rows=(("priority", "is", "urgent"),), **extra):
    data = {
        "name": name, "match": "all", "columns": ["number", "subject", "priority"], "sort": "-updated_at", "group_by": "",
        "cond_field": [r[0] for r in rows], "cond_operator": [r[1] for r in rows], "cond_value": [r[2] for r in rows],
    }
    data.update(extra)
    return data


def test_agent_creates_a_personal_view_that_filters(client):
    agent = make_agent()
    urgent = make_ticket(priority="urgent")
    make_ticket(priority="low")
    client.force_login(agent)
    response = client.post(reverse("agent:view-new"), view_form())
    saved = SavedView.objects.get()
    assert saved.owner == agent
    assert saved.conditions == {"all": [{"field": "priority", "operator": "is", "value": "urgent"}]}
    assert response.url == reverse("agent:view", args=[str(saved.pk)])
    page = client.get(response.url)
    assert [t.pk for t in page.context["rows"]] == [urgent.pk]


def test_a_list_value_typed_with_commas_becomes_a_list(client):
    agent = make_agent()
    client.force_login(agent)
    client.post(reverse("agent:view-new"), view_form(rows=[("assignee", "in", "me, none")]))
    assert SavedView.objects.get().conditions["all"][0]["value"] == ["me", None]


def test_an_agent_cannot_create_a_shared_view(client):
    agent = make_agent()
    client.force_login(agent)
    response = client.post(reverse("agent:view-new"), view_form(shared="on"))
    assert response.status_code == 403
    assert not SavedView.objects.exists()


def test_an_admin_shares_a_view_with_every_agent(client):
    admin, agent = make_agent(role=Role.ADMIN), make_agent()
    client.force_login(admin)
    client.post(reverse("agent:view-new"), view_form(shared="on"))
    saved = SavedView.objects.get()
    assert saved.owner is None
    client.force_login(agent)
    assert client.get(reverse("agent:view", args=[str(saved.pk)])).status_code == 200
    sidebar = client.get(reverse("agent:views-sidebar"))
    assert b"Urgent ones" in sidebar.content


def test_another_agents_personal_view_is_not_found(client):
    marie, jan = make_agent(), make_agent()
    saved = SavedView.objects.create(name="Marie's", owner=marie, conditions={})
    client.force_login(jan)
    assert client.get(reverse("agent:view", args=[str(saved.pk)])).status_code == 404
    assert client.get(reverse("agent:view-edit", args=[saved.pk])).status_code == 404
    assert client.post(reverse("agent:view-delete", args=[saved.pk])).status_code == 404
    assert b"Marie&#x27;s" not in client.get(reverse("agent:views-sidebar")).content


def test_an_agent_cannot_edit_a_shared_view(client):
    agent = make_agent()
    saved = SavedView.objects.create(name="Team", owner=None, conditions={})
    client.force_login(agent)
    response = client.post(reverse("agent:view-edit", args=[saved.pk]), view_form(name="Mine now"))
    assert response.status_code == 403
    saved.refresh_from_db()
    assert saved.name == "Team"


def test_an_invalid_condition_is_shown_on_its_row_and_nothing_is_saved(client):
    agent = make_agent()
    client.force_login(agent)
    response = client.post(reverse("agent:view-new"), view_form(rows=[("priority", "is", "extreme")]))
    assert response.status_code == 200
    assert response.context["rows"][0].error
    assert b"This value is not valid for this field." in response.content
    assert not SavedView.objects.exists()


def test_owner_edits_their_view(client):
    agent = make_agent()
    saved = SavedView.objects.create(name="Old", owner=agent, conditions={})
    client.force_login(agent)
    page = client.get(reverse("agent:view-edit", args=[saved.pk]))
    assert page.status_code == 200
    client.post(reverse("agent:view-edit", args=[saved.pk]), view_form(name="New", group_by="priority"))
    saved.refresh_from_db()
    assert (saved.name, saved.group_by) == ("New", "priority")


def test_a_grouped_view_shows_a_heading_per_group(client):
    agent = make_agent()
    make_ticket(priority="urgent")
    make_ticket(priority="low")
    saved = SavedView.objects.create(name="By priority", owner=agent, conditions={}, columns=["number", "subject"], group_by="priority")
    client.force_login(agent)
    page = client.get(reverse("agent:view", args=[str(saved.pk)]))
    assert [row.group_label for row in page.context["rows"]] == ["Urgent", "Low"]
    assert page.content.count(b'class="ticket-table__group"') == 2


def test_adding_a_condition_row_offers_the_fields_operators(client):
    client.force_login(make_agent())
    response = client.get(reverse("agent:view-condition-row") + "?cond_field=tags")
    assert b'value="includes_any"' in response.content
    assert b'value="gte"' not in response.content


def test_an_unknown_view_key_is_not_found(client):
    client.force_login(make_agent())
    assert client.get(reverse("agent:view", args=["no-such-view"])).status_code == 404
