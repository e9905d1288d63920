"""The desk's approval policy: admins choose which status an approval or a rejection applies."""

from __future__ import annotations

import pytest

from comptoir.casework import actions
from comptoir.casework.models import ApprovalState, ApprovalStep
from comptoir.core.errors import PermissionDenied
from comptoir.core.models import Role
from comptoir.tickets.models import Status, TicketEvent
from tests.casework.conftest import token_for
from tests.factories import make_agent, make_ticket

pytestmark = pytest.mark.django_db


@pytest.fixture
def desk():
    admin, agent = make_agent(Role.ADMIN, name="Ada Admin"), make_agent(name="Ana Agent")
    boss = make_agent(Role.SUPERVISOR, name="Sam Supervisor")
    return {
        "admin": admin, "agent": agent, "boss": boss,
        "approved": Status.objects.create(name="Refund approved", category="open"),
        "refused": Status.objects.create(name="Refund refused", category="pending"),
        "ticket": make_ticket(actor=agent, subject="Refund after 60 days"),
    }


def _set_policy(api, desk, token=None):
    return api.call("put", "/approvals/policy", token or token_for(desk["admin"]),
                    {"status_on_approve_id": desk["approved"].pk, "status_on_reject_id": desk["refused"].pk})


def _ask(api, desk, **extra):
    return api.post(f"/tickets/{desk['ticket'].pk}/approvals", token_for(desk["agent"]),
                    {"approver_ids": [desk["boss"].pk], "reason": "Refund outside the 30-day policy", **extra}).json()


def _decide(api, desk, approval, decision):
    return api.post(f"/tickets/{desk['ticket'].pk}/approvals/{approval['id']}/decision", token_for(desk["boss"]),
                    {"decision": decision})


def test_an_admin_sets_the_policy_and_every_agent_can_read_it(api, desk):
    saved = _set_policy(api, desk)
    assert saved.status_code == 200, saved.content
    read = api.get("/approvals/policy", token_for(desk["agent"])).json()
    assert (read["status_on_approve"]["id"], read["status_on_reject"]["id"]) == (desk["approved"].pk, desk["refused"].pk)


def test_an_approval_applies_the_policy_status_when_the_request_names_none(api, desk):
    _set_policy(api, desk)
    approval = _ask(api, desk)
    assert approval["status_on_approve"]["id"] == desk["approved"].pk
    assert _decide(api, desk, approval, "approved").status_code == 200
    desk["ticket"].refresh_from_db()
    assert desk["ticket"].status_id == desk["approved"].pk
    assert TicketEvent.objects.filter(ticket=desk["ticket"], kind="approval_decided", new_value="approved").exists()


def test_a_rejection_applies_the_policy_status(api, desk):
    _set_policy(api, desk)
    assert _decide(api, desk, _ask(api, desk), "rejected").status_code == 200
    desk["ticket"].refresh_from_db()
    assert desk["ticket"].status_id == desk["refused"].pk


def test_a_request_naming_its_own_status_keeps_it(api, desk):
    _set_policy(api, desk)
    own = Status.objects.create(name="Escalated", category="open")
    approval = _ask(api, desk, status_on_approve_id=own.pk)
    assert approval["status_on_approve"]["id"] == own.pk
    assert approval["status_on_reject"]["id"] == desk["refused"].pk


@pytest.mark.parametrize("role", [Role.SUPERVISOR, Role.AGENT])
def test_only_owners_and_admins_change_the_policy(api, desk, role):
    assert _set_policy(api, desk, token_for(make_agent(role))).status_code == 403
    with pytest.raises(PermissionDenied):
        actions.configure_approval_policy(desk["approved"], None, actor=make_agent(role), via="web")
    assert api.get("/approvals/policy", token_for(desk["agent"])).json()["status_on_approve"] is None


def test_contacts_cannot_read_the_policy(api, desk):
    assert api.get("/approvals/policy", token_for(desk["ticket"].contact)).status_code == 403


def test_an_inactive_status_is_refused(api, desk):
    desk["approved"].active = False
    desk["approved"].save(update_fields=["active"])
    assert _set_policy(api, desk).status_code == 422


def test_without_a_policy_a_decision_leaves_the_status_alone(api, desk):
    before = desk["ticket"].status_id
    approval = _ask(api, desk)
    assert _decide(api, desk, approval, "approved").status_code == 200
    desk["ticket"].refresh_from_db()
    assert desk["ticket"].status_id == before
    assert ApprovalStep.objects.get(request_id=approval["id"]).decision == ApprovalState.APPROVED


def test_an_admin_sets_the_policy_from_the_workspace_page(client, desk):
    client.force_login(desk["admin"])
    page = client.get("/agent/casework/approvals/policy/")
    assert page.status_code == 200 and "Refund approved" in page.content.decode()
    client.post("/agent/casework/approvals/policy/", {"status_on_approve": desk["approved"].pk, "status_on_reject": ""})
    approval = actions.request_approval(desk["ticket"], [desk["boss"]], "Refund", actor=desk["agent"], via="web")
    assert (approval.status_on_approve_id, approval.status_on_reject_id) == (desk["approved"].pk, None)


def test_agents_cannot_open_the_policy_page(client, desk):
    client.force_login(desk["agent"])
    assert client.get("/agent/casework/approvals/policy/").status_code == 403
    assert client.post("/agent/casework/approvals/policy/", {"status_on_approve": desk["approved"].pk}).status_code == 403
