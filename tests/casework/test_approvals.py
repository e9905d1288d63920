"""Approvals: an agent asks, approvers decide by signed link or from their list."""

from __future__ import annotations

import re

import pytest
from django.core import mail

from comptoir.casework import actions, queries
from comptoir.casework.models import ApprovalState
from comptoir.core.errors import Conflict, ValidationFailed
from comptoir.core.models import Notification, Role
from comptoir.tickets.models import TicketEvent
from tests.factories import make_agent, make_ticket

pytestmark = pytest.mark.django_db

LINK = re.compile(r"http\S+/agent/casework/approvals/link/(\S+)/")


@pytest.fixture
def scene(django_capture_on_commit_callbacks):
    requester = make_agent(name="Rita Requester")
    approver = make_agent(role=Role.SUPERVISOR, name="Sam Supervisor")
    ticket = make_ticket(subject="Refund 400 EUR for a double charge", actor=requester)
    with django_capture_on_commit_callbacks(execute=True):
        approval = actions.request_approval(ticket, [approver], "Refund above my limit", actor=requester, via="web")
    return requester, approver, ticket, approval


def _links(message) -> list[str]:
    return LINK.findall(message.body)


def test_each_approver_gets_an_email_with_approve_and_reject_links(scene):
    _requester, approver, ticket, _approval = scene
    assert [m.to for m in mail.outbox] == [[approver.email]]
    assert f"#{ticket.number}" in mail.outbox[0].subject
    assert len(_links(mail.outbox[0])) == 2


def test_request_is_in_the_history_and_the_ticket_shows_pending(scene):
    _requester, _approver, ticket, _approval = scene
    assert TicketEvent.objects.filter(ticket=ticket, kind="approval_requested").count() == 1
    assert queries.approval_state(ticket).state == ApprovalState.PENDING


def test_approving_by_link_records_the_comment_and_notifies_the_requester(scene, django_capture_on_commit_callbacks):
    requester, approver, ticket, _approval = scene
    approve_token = _links(mail.outbox[0])[0]
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        approval = actions.decide_approval_by_link(approve_token, "Fine, customer is loyal")
    assert approval.state == ApprovalState.APPROVED
    event = TicketEvent.objects.get(ticket=ticket, kind="approval_decided")
    assert event.new_value == "approved" and event.data["comment"] == "Fine, customer is loyal"
    assert event.actor_agent == approver
    assert [m.to for m in mail.outbox] == [[requester.email]]
    assert Notification.objects.filter(agent=requester, kind="approval_decided", ticket_id=ticket.pk).exists()


def test_a_link_works_only_once(scene):
    token = _links(mail.outbox[0])[0]
    actions.decide_approval_by_link(token)
    from comptoir.casework.signing import InvalidLink

    with pytest.raises((InvalidLink, Conflict)):
        actions.decide_approval_by_link(token)


def test_the_other_link_is_dead_after_a_decision(scene):
    approve, reject = _links(mail.outbox[0])
    actions.decide_approval_by_link(reject, "No")
    from comptoir.casework.signing import InvalidLink

    with pytest.raises(InvalidLink):
        actions.decide_approval_by_link(approve)


def test_rejection_applies_the_configured_status(django_capture_on_commit_callbacks):
    from comptoir.tickets.statuses import default_status

    requester = make_agent()
    approver = make_agent(role=Role.ADMIN)
    ticket = make_ticket(actor=requester)
    approval = actions.request_approval(ticket, [approver], "Needs sign-off", actor=requester, via="web",
                                        status_on_reject=default_status("on_hold"))
    step = approval.steps.get()
    actions.decide_approval(step, ApprovalState.REJECTED, "Not now", actor=approver, via="web")
    ticket.refresh_from_db()
    assert ticket.status_category == "on_hold"


def test_an_agent_who_cannot_decide_is_refused_as_approver():
    requester = make_agent()
    plain_agent = make_agent(role=Role.AGENT)
    with pytest.raises(ValidationFailed) as exc:
        actions.request_approval(make_ticket(actor=requester), [plain_agent], "Please", actor=requester, via="web")
    assert "approvers" in exc.value.fields


def test_a_reason_is_required():
    requester = make_agent()
    with pytest.raises(ValidationFailed) as exc:
        actions.request_approval(make_ticket(actor=requester), [make_agent(role=Role.ADMIN)], "  ", actor=requester, via="web")
    assert "reason" in exc.value.fields


def test_only_one_pending_request_per_ticket(scene):
    requester, approver, ticket, _approval = scene
    with pytest.raises(Conflict):
        actions.request_approval(ticket, [approver], "Again", actor=requester, via="web")


def test_waiting_list_shows_only_my_pending_steps(scene, client):
    _requester, approver, ticket, _approval = scene
    other = make_agent(role=Role.SUPERVISOR)
    actions.request_approval(make_ticket(actor=other), [other], "Not mine", actor=other, via="web")
    client.force_login(approver)
    response = client.get("/agent/casework/approvals/")
    assert response.status_code == 200
    assert [s.request.ticket_id for s in response.context["steps"]] == [ticket.pk]


def test_waiting_list_query_count_does_not_grow(scene, client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    _requester, approver, _ticket, _approval = scene
    client.force_login(approver)
    client.get("/agent/casework/approvals/")  # the first page of a process reads the helpdesk's settings once
    with CaptureQueriesContext(connection) as one:
        client.get("/agent/casework/approvals/")
    other = make_agent(role=Role.SUPERVISOR)
    for _ in range(5):
        actions.request_approval(make_ticket(actor=other), [approver], "More", actor=other, via="web")
    with CaptureQueriesContext(connection) as six:
        response = client.get("/agent/casework/approvals/")
    assert len(response.context["steps"]) == 6
    assert len(six.captured_queries) == len(one.captured_queries)


def test_an_approver_who_cannot_see_the_ticket_is_refused():
    from comptoir.core.models import TicketScope
    from tests.factories import make_group

    requester = make_agent()
    blind = make_agent(role=Role.SUPERVISOR, scope=TicketScope.GROUPS, groups=[make_group("Sales")])
    ticket = make_ticket(actor=requester, group=make_group("Billing"))
    with pytest.raises(ValidationFailed) as exc:
        actions.request_approval(ticket, [blind], "Please", actor=requester, via="web")
    assert "approvers" in exc.value.fields
