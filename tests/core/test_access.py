"""One gate in front of every staff page (core/access.py), whichever edge the page lives in.

The workspace, the API tokens page, the casework pages, the email channel's
admin pages and the webhooks page all answer the same way: sign in if you are
not, 403 if you are signed in but not an active agent, 403 if you lack the
page's capability.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from comptoir.core.models import Role
from tests.factories import make_agent

pytestmark = pytest.mark.django_db

STAFF_PAGES = {
    "workspace": "agent:contacts",
    "tokens": "tokens:list",
    "casework": "casework:activities",
    "email admin": "admin_center:email-failed",
    "webhooks": "webhooks:list",
}
EVERY_AGENT_PAGES = {
    "workspace": "agent:contacts",
    "tokens": "tokens:list",
    "casework": "casework:activities",
}
ADMIN_PAGES = {
    "email admin": "admin_center:email-failed",
    "email settings": "admin_center:email",
    "webhooks": "webhooks:list",
    "approval policy": "casework:approval-policy",
}


@pytest.mark.parametrize("name", STAFF_PAGES.values(), ids=STAFF_PAGES.keys())
def test_an_anonymous_visitor_is_sent_to_sign_in_and_back(client, name):
    url = reverse(name)
    response = client.get(url)
    assert response.status_code == 302
    assert response.url == f"{reverse('agent:login')}?next={url}"


@pytest.mark.parametrize("name", STAFF_PAGES.values(), ids=STAFF_PAGES.keys())
def test_an_agent_deactivated_after_signing_in_is_sent_to_sign_in(client, name):
    agent = make_agent(role=Role.OWNER)
    client.force_login(agent)
    agent.is_active = False
    agent.save(update_fields=["is_active"])
    assert client.get(reverse(name)).status_code == 302


@pytest.mark.parametrize("name", STAFF_PAGES.values(), ids=STAFF_PAGES.keys())
def test_a_deactivated_owner_still_signed_in_is_refused(client, settings, name):
    """With a backend that keeps inactive users signed in (Django's AllowAllUsersModelBackend),
    the session survives deactivation: the gate itself must refuse, and with 403, since
    sending a signed-in user to the sign-in page would bounce them straight back."""
    settings.AUTHENTICATION_BACKENDS = ["django.contrib.auth.backends.AllowAllUsersModelBackend"]
    owner = make_agent(role=Role.OWNER, is_active=False)
    client.force_login(owner)
    assert client.get(reverse(name)).status_code == 403


@pytest.mark.parametrize("name", ADMIN_PAGES.values(), ids=ADMIN_PAGES.keys())
def test_a_supervisor_cannot_open_admin_pages(client, name):
    client.force_login(make_agent(role=Role.SUPERVISOR))
    assert client.get(reverse(name)).status_code == 403


@pytest.mark.parametrize("name", ADMIN_PAGES.values(), ids=ADMIN_PAGES.keys())
def test_an_admin_opens_admin_pages(client, name):
    client.force_login(make_agent(role=Role.ADMIN))
    assert client.get(reverse(name)).status_code == 200


@pytest.mark.parametrize("name", EVERY_AGENT_PAGES.values(), ids=EVERY_AGENT_PAGES.keys())
def test_a_light_agent_opens_the_pages_every_agent_has(client, name):
    client.force_login(make_agent(role=Role.LIGHT_AGENT))
    assert client.get(reverse(name)).status_code == 200
