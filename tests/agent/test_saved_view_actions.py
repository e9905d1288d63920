"""Saved views change through agent.actions: who keeps, shares and takes back a view is the action's rule."""

from __future__ import annotations

import pytest
from django.urls import reverse

from comptoir.agent.actions import create_saved_view, delete_saved_view, update_saved_view
from comptoir.agent.models import SavedView
from comptoir.core.errors import PermissionDenied, ValidationFailed
from comptoir.core.models import Role
from tests.factories import make_agent

pytestmark = pytest.mark.django_db

URGENT = {"all": [{"field": "priority", "operator": "is", "value": "urgent"}]}


def _shared_view(admin):
    return create_saved_view(name="Team urgent", conditions=URGENT, columns=["number", "subject"], shared=True,
                             actor=admin, via="web")


def test_an_admin_who_unshares_a_view_keeps_it_as_their_own():
    admin = make_agent(role=Role.ADMIN)
    view = _shared_view(admin)

    update_saved_view(view, {"shared": False}, actor=admin, via="web")

    view.refresh_from_db()
    assert view.owner == admin


def test_sharing_a_personal_view_gives_it_to_every_agent():
    admin = make_agent(role=Role.ADMIN)
    view = create_saved_view(name="Mine", conditions=URGENT, columns=["number"], actor=admin, via="web")

    update_saved_view(view, {"shared": True}, actor=admin, via="web")

    view.refresh_from_db()
    assert view.owner is None


def test_an_agent_cannot_take_a_shared_view_for_themselves():
    admin, agent = make_agent(role=Role.ADMIN), make_agent()
    view = _shared_view(admin)

    with pytest.raises(PermissionDenied):
        update_saved_view(view, {"shared": False}, actor=agent, via="web")

    view.refresh_from_db()
    assert view.owner is None


def test_an_agent_cannot_share_their_view():
    agent = make_agent()
    view = create_saved_view(name="Mine", conditions=URGENT, columns=["number"], actor=agent, via="web")

    with pytest.raises(PermissionDenied):
        update_saved_view(view, {"shared": True}, actor=agent, via="web")

    view.refresh_from_db()
    assert view.owner == agent


def test_a_view_whose_conditions_do_not_compile_is_not_saved():
    agent = make_agent()

    with pytest.raises(ValidationFailed):
        create_saved_view(name="Broken", conditions={"all": [{"field": "nope", "operator": "is", "value": 1}]},
                          columns=["number"], actor=agent, via="web")

    assert not SavedView.objects.exists()


def test_nobody_deletes_another_agents_personal_view():
    marie, jan = make_agent(), make_agent(role=Role.ADMIN)
    view = create_saved_view(name="Marie's", conditions=URGENT, columns=["number"], actor=marie, via="web")

    with pytest.raises(PermissionDenied):
        delete_saved_view(view, actor=jan, via="web")

    assert SavedView.objects.filter(pk=view.pk).exists()


def test_the_edit_page_unshares_through_the_action(client):
    admin = make_agent(role=Role.ADMIN)
    view = _shared_view(admin)
    client.force_login(admin)

    response = client.post(reverse("agent:view-edit", args=[view.pk]), {
        "name": "Now mine", "match": "all", "columns": ["number"], "sort": "-updated_at", "group_by": "",
        "cond_field": ["priority"], "cond_operator": ["is"], "cond_value": ["urgent"],
    })

    assert response.status_code == 302
    view.refresh_from_db()
    assert (view.name, view.owner) == ("Now mine", admin)
