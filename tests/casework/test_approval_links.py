"""The emailed approval links: a confirmation page on GET, a decision on POST, refusals for bad links."""

from __future__ import annotations

import re

import pytest
from django.core import mail

from comptoir.casework import actions
from comptoir.casework.models import ApprovalRequest, ApprovalState
from comptoir.core.models import Role
from tests.factories import make_agent, make_ticket

pytestmark = pytest.mark.django_db
LINK = re.compile(r"http\S+(/agent/casework/approvals/link/\S+/)")


@pytest.fixture
def approve_path(django_capture_on_commit_callbacks):
    requester = make_agent()
    approver = make_agent(role=Role.SUPERVISOR)
    ticket = make_ticket(actor=requester)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        actions.request_approval(ticket, [approver], "Goodwill gesture", actor=requester, via="web")
    return LINK.findall(mail.outbox[0].body)[0]


def test_opening_the_link_changes_nothing(client, approve_path):
    response = client.get(approve_path)
    assert response.status_code == 200
    assert "Goodwill gesture" in response.content.decode()
    assert ApprovalRequest.objects.get().state == ApprovalState.PENDING


def test_confirming_on_the_page_decides(client, approve_path):
    response = client.post(approve_path, {"comment": "OK"})
    assert response.status_code == 200
    assert ApprovalRequest.objects.get().state == ApprovalState.APPROVED


def test_a_tampered_link_shows_the_invalid_page(client, approve_path):
    tampered = approve_path[:-3] + ("A" if approve_path[-3] != "A" else "B") + approve_path[-2:]
    response = client.get(tampered)
    assert response.status_code == 400
    assert "This link is invalid" in response.content.decode()
    assert client.post(tampered).status_code == 400
    assert ApprovalRequest.objects.get().state == ApprovalState.PENDING


def test_a_used_link_is_refused(client, approve_path):
    client.post(approve_path, {"comment": "OK"})
    response = client.post(approve_path, {"comment": "again"})
    assert response.status_code == 400


def test_an_expired_link_is_refused(client, approve_path, time_machine):
    time_machine.move_to("2099-01-01")
    assert client.get(approve_path).status_code == 400
