"""Approvals through the API: an agent asks, an approver decides, the history and the requester know."""

from __future__ import annotations

import pytest

from comptoir.casework.models import ApprovalStep
from comptoir.core.models import Notification, Role, TicketScope
from comptoir.tickets.models import Status, TicketEvent
from tests.casework.conftest import token_for
from tests.factories import make_agent, make_group, make_ticket

pytestmark = pytest.mark.django_db


@pytest.fixture
def refund():
    """An agent handling a refund request, and a supervisor who may approve exceptions."""
    agent, boss = make_agent(name="Ana Agent"), make_agent(Role.SUPERVISOR, name="Sam Supervisor")
    ticket = make_ticket(actor=agent, subject="Refund after 60 days")
    return {"agent": agent, "boss": boss, "ticket": ticket, "agent_token": token_for(agent), "boss_token": token_for(boss)}


def ask(api, r, **extra):
    return api.post(f"/tickets/{r['ticket'].pk}/approvals", r["agent_token"],
                    {"approver_ids": [r["boss"].pk], "reason": "Refund outside the 30-day policy", **extra})


def test_an_approver_approves_and_the_history_and_requester_know(api, refund):
    r = refund
    asked = ask(api, r)
    assert asked.status_code == 201, asked.content
    approval = asked.json()
    assert approval["state"] == "pending" and approval["requested_by"]["id"] == r["agent"].pk
    assert [(s["approver"]["id"], s["decision"]) for s in approval["steps"]] == [(r["boss"].pk, "pending")]

    decided = api.post(f"/tickets/{r['ticket'].pk}/approvals/{approval['id']}/decision", r["boss_token"],
                       {"decision": "approved", "comment": "Loyal customer, fine."})
    assert decided.status_code == 200
    assert decided.json()["state"] == "approved" and decided.json()["steps"][0]["comment"] == "Loyal customer, fine."
    event = TicketEvent.objects.get(ticket=r["ticket"], kind="approval_decided")
    assert event.new_value == "approved" and event.actor_agent == r["boss"]
    assert Notification.objects.filter(agent=r["agent"], kind="approval_decided").exists()

    listed = api.get(f"/tickets/{r['ticket'].pk}/approvals", r["agent_token"]).json()
    assert [a["state"] for a in listed["results"]] == ["approved"]


def test_a_decided_approval_cannot_be_decided_again(api, refund):
    r = refund
    approval = ask(api, r).json()
    path = f"/tickets/{r['ticket'].pk}/approvals/{approval['id']}/decision"
    assert api.post(path, r["boss_token"], {"decision": "rejected"}).status_code == 200
    again = api.post(path, r["boss_token"], {"decision": "approved"})
    assert again.status_code == 409 and again.json()["error"]["code"] == "conflict"


def test_only_one_approval_is_pending_at_a_time(api, refund):
    assert ask(api, refund).status_code == 201
    assert ask(api, refund).status_code == 409


def test_an_approval_can_move_the_ticket_to_a_status(api, refund):
    r = refund
    escalated = Status.objects.create(name="Refund approved", category="open")
    approval = ask(api, r, status_on_approve_id=escalated.pk).json()
    assert approval["status_on_approve"]["id"] == escalated.pk
    api.post(f"/tickets/{r['ticket'].pk}/approvals/{approval['id']}/decision", r["boss_token"], {"decision": "approved"})
    r["ticket"].refresh_from_db()
    assert r["ticket"].status_id == escalated.pk


def test_approvers_must_exist_and_be_allowed_to_decide(api, refund):
    r = refund
    unknown = api.post(f"/tickets/{r['ticket'].pk}/approvals", r["agent_token"], {"approver_ids": [987654], "reason": "x"})
    assert unknown.status_code == 422 and unknown.json()["error"]["fields"] == {"approver_ids": "not_found"}
    colleague = make_agent()
    refused = api.post(f"/tickets/{r['ticket'].pk}/approvals", r["agent_token"], {"approver_ids": [colleague.pk], "reason": "x"})
    assert refused.status_code == 422 and "approvers" in refused.json()["error"]["fields"]
    assert api.get(f"/tickets/{r['ticket'].pk}/approvals", r["agent_token"]).json()["results"] == []


def test_a_supervisor_who_is_not_an_approver_gets_404(api, refund):
    r = refund
    approval = ask(api, r).json()
    other = make_agent(Role.SUPERVISOR)
    response = api.post(f"/tickets/{r['ticket'].pk}/approvals/{approval['id']}/decision", token_for(other), {"decision": "approved"})
    assert response.status_code == 404
    assert ApprovalStep.objects.get().decision == "pending"


def test_an_agent_cannot_decide(api, refund):
    r = refund
    approval = ask(api, r).json()
    response = api.post(f"/tickets/{r['ticket'].pk}/approvals/{approval['id']}/decision", r["agent_token"], {"decision": "approved"})
    assert response.status_code == 403


def test_waiting_for_my_approval_lists_undecided_steps(api, refund):
    r = refund
    approval = ask(api, r).json()
    waiting = api.get("/approvals/waiting", r["boss_token"]).json()["results"]
    assert [(w["approval"]["id"], w["approval"]["reason"]) for w in waiting] == [(approval["id"], "Refund outside the 30-day policy")]
    assert api.get("/approvals/waiting", r["agent_token"]).json()["results"] == []
    api.post(f"/tickets/{r['ticket'].pk}/approvals/{approval['id']}/decision", r["boss_token"], {"decision": "approved"})
    assert api.get("/approvals/waiting", r["boss_token"]).json()["results"] == []


def test_contacts_get_403_and_hidden_tickets_404(api, refund):
    r = refund
    contact = token_for(r["ticket"].contact)
    assert api.get(f"/tickets/{r['ticket'].pk}/approvals", contact).status_code == 403
    assert api.get("/approvals/waiting", contact).status_code == 403
    assert ask(api, r | {"agent_token": contact}).status_code == 403
    outsider = make_agent(scope=TicketScope.GROUPS, groups=[make_group("Elsewhere")])
    assert api.get(f"/tickets/{r['ticket'].pk}/approvals", token_for(outsider)).status_code == 404
