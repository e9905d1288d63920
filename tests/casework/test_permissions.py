"""Who may do what in casework: roles, ticket visibility, billing export."""

from __future__ import annotations

import datetime as dt

import pytest

from comptoir.casework import actions, queries
from comptoir.casework.models import ApprovalState
from comptoir.core.errors import NotFound, PermissionDenied
from comptoir.core.models import Role, TicketScope
from tests.factories import make_agent, make_group, make_ticket

pytestmark = pytest.mark.django_db


def test_a_light_agent_cannot_decide_an_approval_even_with_a_step():
    from comptoir.casework.models import ApprovalRequest, ApprovalStep

    requester = make_agent()
    light = make_agent(role=Role.LIGHT_AGENT)
    ticket = make_ticket(actor=requester)
    request = ApprovalRequest.objects.create(ticket=ticket, requested_by=requester, reason="x")
    step = ApprovalStep.objects.create(request=request, approver=light, nonce="n-light")
    with pytest.raises(PermissionDenied):
        actions.decide_approval(step, ApprovalState.APPROVED, actor=light, via="web")
    request.refresh_from_db()
    assert request.state == ApprovalState.PENDING


def test_a_light_agent_gets_403_from_the_decide_page(client):
    from comptoir.casework.models import ApprovalRequest, ApprovalStep

    light = make_agent(role=Role.LIGHT_AGENT)
    request = ApprovalRequest.objects.create(ticket=make_ticket(), reason="x")
    step = ApprovalStep.objects.create(request=request, approver=light, nonce="n-light-2")
    client.force_login(light)
    assert client.post(f"/agent/casework/approvals/{step.pk}/decide/", {"decision": "approved"}).status_code == 403


def test_an_agent_outside_the_tickets_group_gets_not_found():
    billing, sales = make_group("Billing"), make_group("Sales")
    outsider = make_agent(scope=TicketScope.GROUPS, groups=[sales])
    ticket = make_ticket(group=billing)
    with pytest.raises(NotFound):
        actions.log_time(ticket, 10, actor=outsider, via="web")
    with pytest.raises(NotFound):
        actions.create_activity(ticket, "task", "Call back", actor=outsider, via="web")
    with pytest.raises(NotFound):
        actions.save_resolution(ticket, "Fixed", actor=outsider, via="web")


def test_an_outsider_gets_404_from_the_ticket_endpoints(client):
    billing, sales = make_group("Billing"), make_group("Sales")
    outsider = make_agent(scope=TicketScope.GROUPS, groups=[sales])
    ticket = make_ticket(group=billing)
    client.force_login(outsider)
    assert client.post(f"/agent/casework/tickets/{ticket.pk}/time/", {"minutes": "5"}).status_code == 404


@pytest.mark.parametrize("role", [Role.AGENT, Role.LIGHT_AGENT])
def test_only_admins_and_supervisors_export_time(client, role):
    client.force_login(make_agent(role=role))
    assert client.get("/agent/casework/time/export.csv?from=2026-01-01&to=2026-01-31").status_code == 403
    with pytest.raises(PermissionDenied):
        queries.time_export_csv(make_agent(role=role), dt.date(2026, 1, 1), dt.date(2026, 1, 31))


@pytest.mark.parametrize("role", [Role.OWNER, Role.ADMIN, Role.SUPERVISOR])
def test_admins_and_supervisors_may_export_time(client, role):
    client.force_login(make_agent(role=role))
    response = client.get("/agent/casework/time/export.csv?from=2026-01-01&to=2026-01-31")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
