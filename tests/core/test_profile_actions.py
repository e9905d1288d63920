"""An agent's own profile and notifications change through core.actions, with the team pages' validation."""

from __future__ import annotations

import pytest
from django.urls import reverse

from comptoir.agent.workspace.account_views import ProfileForm
from comptoir.core import actions
from comptoir.core.errors import PermissionDenied, ValidationFailed
from comptoir.core.models import Notification
from tests.factories import make_agent

pytestmark = pytest.mark.django_db


def test_an_agent_moves_to_another_time_zone_and_language():
    agent = make_agent()

    actions.update_profile(agent, {"time_zone": "Europe/Brussels", "locale": "nl"}, actor=agent, via="web")

    agent.refresh_from_db()
    assert (agent.time_zone, agent.locale) == ("Europe/Brussels", "nl")


def test_an_unknown_time_zone_is_refused_as_on_the_team_pages():
    agent = make_agent()

    with pytest.raises(ValidationFailed) as refused:
        actions.update_profile(agent, {"time_zone": "Mars/Olympus_Mons"}, actor=agent, via="web")
    with pytest.raises(ValidationFailed) as refused_by_team_page:
        actions.update_agent(agent, {"time_zone": "Mars/Olympus_Mons"}, actor=make_agent(role="admin"), via="web")

    assert refused.value.fields == refused_by_team_page.value.fields == {"time_zone": "invalid"}
    agent.refresh_from_db()
    assert agent.time_zone == "UTC"


def test_the_profile_form_offers_exactly_the_zones_the_action_accepts():
    offered = [value for value, _label in ProfileForm().fields["time_zone"].choices]

    assert offered == list(actions.time_zones())
    assert "UTC" in offered and "Europe/Brussels" in offered


def test_an_agent_cannot_change_a_colleagues_profile():
    marie, jan = make_agent(name="Marie"), make_agent(name="Jan")

    with pytest.raises(PermissionDenied):
        actions.update_profile(marie, {"name": "Not Marie"}, actor=jan, via="web")

    marie.refresh_from_db()
    assert marie.name == "Marie"


def test_notification_choices_are_merged_with_the_stored_ones():
    agent = make_agent()
    actions.update_profile(agent, {"notification_preferences": {"sla:email": False}}, actor=agent, via="web")

    actions.update_profile(agent, {"notification_preferences": {"assigned:email": False}}, actor=agent, via="web")

    agent.refresh_from_db()
    assert agent.notification_preferences == {"sla:email": False, "assigned:email": False}


def test_the_profile_page_saves_through_the_action(client):
    agent = make_agent()
    client.force_login(agent)

    response = client.post(reverse("agent:profile"), {"name": "Lena", "locale": "fr", "time_zone": "Europe/Paris",
                                                      "signature": "— Lena", "notify_mentioned": "on"})

    assert response.status_code == 302
    agent.refresh_from_db()
    assert (agent.name, agent.locale, agent.time_zone, agent.signature) == ("Lena", "fr", "Europe/Paris", "— Lena")
    assert agent.notification_preferences == {"assigned:email": False, "mentioned:email": True}


def test_marking_read_never_touches_a_colleagues_notifications():
    marie, jan = make_agent(), make_agent()
    hers = Notification.objects.create(agent=marie, kind="mentioned", text="You were mentioned")
    his = Notification.objects.create(agent=jan, kind="mentioned", text="You were mentioned")

    changed = actions.mark_notifications_read(marie, notification_ids=[hers.pk, his.pk], actor=marie, via="web")

    assert changed == 1
    hers.refresh_from_db()
    his.refresh_from_db()
    assert hers.read_at is not None and his.read_at is None


def test_an_agent_cannot_mark_a_colleagues_notifications_read():
    marie, jan = make_agent(), make_agent()
    Notification.objects.create(agent=marie, kind="assigned", text="Ticket assigned")

    with pytest.raises(PermissionDenied):
        actions.mark_notifications_read(marie, actor=jan, via="web")

    assert Notification.objects.get().read_at is None


def test_mark_all_read_from_the_dropdown(client):
    agent = make_agent()
    Notification.objects.create(agent=agent, kind="assigned", text="One")
    Notification.objects.create(agent=agent, kind="assigned", text="Two")
    client.force_login(agent)

    client.post(reverse("agent:notifications-read"))

    assert not Notification.objects.filter(read_at__isnull=True).exists()
