"""Every page and button of the team section needs its capability: others get 403 on GET and POST."""

from __future__ import annotations

import pytest
from django.urls import reverse

from comptoir.core.actions import roles
from comptoir.core.actors import SYSTEM
from comptoir.core.models import Agent, CustomRole, Role
from tests.factories import make_agent, make_department, make_group

pytestmark = pytest.mark.django_db


@pytest.fixture
def target():
    return make_agent(name="Target")


@pytest.fixture
def agent_urls(target):
    role = roles.create_custom_role(name="Moderators", capabilities=["ticket.view"], actor=SYSTEM)
    return [
        reverse("admin_center:agents"),
        reverse("admin_center:agent-invite"),
        reverse("admin_center:agent-edit", args=[target.pk]),
        reverse("admin_center:agent-deactivate", args=[target.pk]),
        reverse("admin_center:agent-reactivate", args=[target.pk]),
        reverse("admin_center:agent-resend-invitation", args=[target.pk]),
        reverse("admin_center:roles"),
        reverse("admin_center:role-new"),
        reverse("admin_center:role-edit", args=[role.pk]),
        reverse("admin_center:role-delete", args=[role.pk]),
    ]


@pytest.fixture
def settings_urls():
    group, department = make_group("Billing"), make_department()
    return [
        reverse("admin_center:groups"),
        reverse("admin_center:group-new"),
        reverse("admin_center:group-edit", args=[group.pk]),
        reverse("admin_center:group-delete", args=[group.pk]),
        reverse("admin_center:departments"),
        reverse("admin_center:department-new"),
        reverse("admin_center:department-edit", args=[department.pk]),
        reverse("admin_center:department-delete", args=[department.pk]),
    ]


POST = {"name": "x", "email": "x@example.test", "role": "owner", "slug": "x", "capabilities": ["ticket.view"], "transfer_to": ""}


@pytest.mark.parametrize("role", [Role.AGENT, Role.SUPERVISOR, Role.LIGHT_AGENT])
def test_an_agent_without_admin_capabilities_gets_403_everywhere(client, agent_urls, settings_urls, role):
    client.force_login(make_agent(role=role))
    for url in agent_urls + settings_urls:
        assert client.get(url).status_code == 403, url
        assert client.post(url, POST).status_code == 403, url


def test_a_custom_role_with_settings_but_not_agents_gets_403_on_the_agent_pages(client, agent_urls, settings_urls):
    settings_role = roles.create_custom_role(name="Settings only", capabilities=["admin.settings"], actor=SYSTEM)
    agent = make_agent()
    roles.set_agent_custom_role(agent, settings_role, actor=SYSTEM)
    client.force_login(agent)

    for url in agent_urls:
        assert client.get(url).status_code == 403, url
        assert client.post(url, POST).status_code == 403, url
    assert client.get(settings_urls[0]).status_code == 200


def test_nothing_changed_after_the_refusals(client, agent_urls, settings_urls, target):
    client.force_login(make_agent(role=Role.LIGHT_AGENT))
    for url in agent_urls + settings_urls:
        client.post(url, POST)

    target.refresh_from_db()
    assert target.is_active
    assert not Agent.objects.filter(email="x@example.test").exists()
    assert CustomRole.objects.count() == 1


def test_the_invitation_page_needs_no_sign_in_but_a_valid_link(client):
    response = client.get(reverse("admin_center:invitation-accept", args=["MQ", "not-a-token"]))

    assert response.status_code == 410


def test_an_admin_opens_every_page_of_the_section(client, agent_urls, settings_urls):
    client.force_login(make_agent(role=Role.ADMIN))
    posts_only = ("reactivate", "resend-invitation", "delete")
    for url in agent_urls + settings_urls:
        if not url.rstrip("/").endswith(posts_only):
            assert client.get(url).status_code == 200, url
