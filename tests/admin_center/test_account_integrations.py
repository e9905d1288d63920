"""Integrations: the admin sees every agent's API tokens and revokes any; the export page shows a cursor that works."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from comptoir.api.models import ApiToken
from comptoir.api.tokens import revoke_token
from comptoir.core.models import AuditEntry, Role
from comptoir.core.permissions import PermissionDenied
from tests.api_client import Api
from tests.factories import make_agent, make_ticket, make_token

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(client):
    agent = make_agent(role=Role.ADMIN, name="Sophie Martin")
    client.force_login(agent)
    return agent


def test_the_admin_sees_every_agents_tokens_by_prefix_only(client, admin):
    paul = make_agent(name="Paul Durand")
    secret = make_token(paul, name="CRM sync")
    page = client.get(reverse("admin_center:api-tokens")).content.decode()
    assert "CRM sync" in page and "Paul Durand" in page
    assert f"<code>{secret[:12]}…</code>" in page
    assert secret not in page


def test_the_admin_revokes_a_colleagues_token_and_it_stops_working(client, admin):
    paul = make_agent(name="Paul Durand")
    secret = make_token(paul, name="CRM sync")
    token = ApiToken.objects.get(agent=paul)
    response = client.post(reverse("admin_center:api-tokens-revoke", args=[token.pk]))
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert Api(Client()).get("/tickets", secret).status_code == 401


def test_revoking_is_in_the_audit_log_with_who_did_it(client, admin):
    paul = make_agent(name="Paul Durand")
    make_token(paul, name="CRM sync")
    client.post(reverse("admin_center:api-tokens-revoke", args=[ApiToken.objects.get(agent=paul).pk]))
    entry = AuditEntry.objects.get(kind="api_token.revoked")
    assert (entry.actor_agent, entry.via, entry.changes) == (admin, "admin", {"revoked": [False, True]})
    page = client.get(reverse("admin_center:audit")).content.decode()
    assert "Sophie Martin revoked" in page


def test_an_agent_cannot_revoke_a_colleagues_token_through_the_action():
    paul, lea = make_agent(name="Paul Durand"), make_agent(name="Léa Petit")
    make_token(paul)
    with pytest.raises(PermissionDenied):
        revoke_token(ApiToken.objects.get(agent=paul), actor=lea, via="web")
    assert ApiToken.objects.get(agent=paul).revoked_at is None


def test_an_agent_still_revokes_their_own_token_from_their_page(client):
    paul = make_agent(name="Paul Durand")
    make_token(paul)
    client.force_login(paul)
    client.post(reverse("tokens:revoke", args=[ApiToken.objects.get(agent=paul).pk]))
    assert ApiToken.objects.get(agent=paul).revoked_at is not None


def test_no_token_yet_explains_where_they_come_from(client, admin):
    page = client.get(reverse("admin_center:api-tokens")).content.decode()
    assert "No agent has an API token yet" in page


def test_the_export_page_shows_the_endpoint_on_the_helpdesks_address(client, admin, settings):
    settings.BASE_URL = "https://help.dupont.test"
    page = client.get(reverse("admin_center:export")).content.decode()
    assert "GET https://help.dupont.test/api/v1/export/tickets" in page
    assert 'curl -H &quot;Authorization: Bearer $TOKEN&quot; &quot;https://help.dupont.test/api/v1/export/tickets?limit=100&quot;' in page


def test_the_current_cursor_returns_only_later_changes(client, admin):
    """The cursor shown 'starts from now': the export API, given it, returns nothing older."""
    from datetime import timedelta

    from django.utils import timezone

    from comptoir.tickets.models import Ticket

    old = make_ticket(subject="Before the mirror")
    Ticket.objects.filter(pk=old.pk).update(updated_at=timezone.now() - timedelta(minutes=5))
    cursor = client.get(reverse("admin_center:export")).context["cursor"]
    newer = make_ticket(subject="After the mirror")
    Ticket.objects.filter(pk=newer.pk).update(updated_at=timezone.now() - timedelta(minutes=1))
    answer = Api(Client()).get(f"/export/tickets?since_cursor={cursor}", make_token(admin)).json()
    assert [t["subject"] for t in answer["results"]] == ["After the mirror"]
