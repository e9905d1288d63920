"""The roles page: built-in roles read-only with translated capability labels, custom roles built from them."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from comptoir.core.actions import roles
from comptoir.core.models import CustomRole, Role
from comptoir.core.permissions import CAPABILITY_LABELS, ROLE_CAPABILITIES
from tests.factories import make_agent

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(client):
    agent = make_agent(role=Role.ADMIN, name="Alex Admin")
    client.force_login(agent)
    return agent


def test_every_capability_a_built_in_role_holds_has_a_label():
    held = set().union(*ROLE_CAPABILITIES.values())

    assert held <= set(CAPABILITY_LABELS)


def test_the_page_shows_the_built_in_roles_capabilities_and_invites_to_build_a_role(client, admin):
    page = client.get(reverse("admin_center:roles")).content.decode()

    assert "Assign tickets to others" in page and "Light agent" in page
    assert "Add the first role" in page


def test_an_admin_builds_a_moderator_role_from_the_capability_list(client, admin):
    response = client.post(reverse("admin_center:role-new"), {
        "name": "Moderators", "description": "Read and annotate", "capabilities": ["ticket.view", "ticket.note"],
        "ticket_scope": "groups",
    })

    assert response.status_code == 302
    assert CustomRole.objects.get(name="Moderators").capabilities == ["ticket.view", "ticket.note"]
    assert "Add internal notes" in client.get(reverse("admin_center:roles")).content.decode()


def test_a_role_without_any_capability_is_refused_next_to_the_list(client, admin):
    response = client.post(reverse("admin_center:role-new"), {"name": "Nobody", "capabilities": [], "ticket_scope": "groups"})

    assert response.status_code == 422
    assert not CustomRole.objects.exists()


def test_a_role_still_held_is_not_deleted_and_the_page_says_why(client, admin):
    moderators = roles.create_custom_role(name="Moderators", capabilities=["ticket.view"], actor=admin)
    roles.set_agent_custom_role(make_agent(), moderators, actor=admin)

    response = client.post(reverse("admin_center:role-delete", args=[moderators.pk]), follow=True)

    assert "Agents still hold this role; give them another role first." in response.content.decode()
    assert CustomRole.objects.filter(pk=moderators.pk).exists()


def test_the_capability_labels_follow_the_language():
    with translation.override("en"):
        assert str(CAPABILITY_LABELS["ticket.note"]) == "Add internal notes"
