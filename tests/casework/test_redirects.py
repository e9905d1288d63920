"""Casework forms send the agent back to the page they were on, never off the site.

Every casework form carries `next` (the ticket page it sits on). A crafted link
or form could set it to another site; the agent must then land on the casework
page instead. One scenario per casework endpoint that redirects to `next`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from comptoir.casework import actions
from comptoir.core.models import Role
from comptoir.tickets.models import Ticket
from tests.factories import make_agent, make_ticket

pytestmark = pytest.mark.django_db

OFF_SITE = ["//evil.example", "https://evil.example", "javascript:alert(document.cookie)"]


def _post_as(client: Client, agent: Any, url: str, data: dict[str, Any]) -> Any:
    client.force_login(agent)
    return client.post(url, data)


def _approve(client: Client, owner: Any, ticket: Ticket) -> tuple[str, dict[str, Any], Any]:
    approver = make_agent(role=Role.SUPERVISOR)
    approval = actions.request_approval(ticket, [approver], "Refund over 500 EUR", actor=owner, via="web")
    step = approval.steps.get()
    return reverse("casework:approval-decide", args=[step.pk]), {"decision": "approved"}, approver


def _ask_approval(client: Client, owner: Any, ticket: Ticket) -> tuple[str, dict[str, Any], Any]:
    approver = make_agent(role=Role.SUPERVISOR)
    return reverse("casework:approval-request", args=[ticket.pk]), {"approvers": [approver.pk], "reason": "Refund"}, owner


def _resolve(client: Client, owner: Any, ticket: Ticket) -> tuple[str, dict[str, Any], Any]:
    return reverse("casework:resolution-save", args=[ticket.pk]), {"text": "Reset the app's cache."}, owner


def _plan_call(client: Client, owner: Any, ticket: Ticket) -> tuple[str, dict[str, Any], Any]:
    return reverse("casework:activity-create", args=[ticket.pk]), {"kind": "task", "subject": "Call back"}, owner


def _complete(client: Client, owner: Any, ticket: Ticket) -> tuple[str, dict[str, Any], Any]:
    task = actions.create_activity(ticket, "task", "Send the invoice", actor=owner, via="web")
    return reverse("casework:activity-complete", args=[task.pk]), {}, owner


def _log_time(client: Client, owner: Any, ticket: Ticket) -> tuple[str, dict[str, Any], Any]:
    return reverse("casework:time-log", args=[ticket.pk]), {"minutes": "15"}, owner


def _start_timer(client: Client, owner: Any, ticket: Ticket) -> tuple[str, dict[str, Any], Any]:
    return reverse("casework:timer-start", args=[ticket.pk]), {}, owner


def _stop_timer(client: Client, owner: Any, ticket: Ticket) -> tuple[str, dict[str, Any], Any]:
    actions.start_timer(ticket, actor=owner, via="web")
    return reverse("casework:timer-stop"), {}, owner


# endpoint -> (arrange, the casework page it falls back to)
ENDPOINTS: dict[str, tuple[Callable[..., tuple[str, dict[str, Any], Any]], str]] = {
    "approval-decide": (_approve, "casework:approvals"),
    "approval-request": (_ask_approval, "casework:approvals"),
    "resolution-save": (_resolve, "casework:activities"),
    "activity-create": (_plan_call, "casework:activities"),
    "activity-complete": (_complete, "casework:activities"),
    "time-log": (_log_time, "casework:activities"),
    "timer-start": (_start_timer, "casework:activities"),
    "timer-stop": (_stop_timer, "casework:activities"),
}


@pytest.mark.parametrize("target", OFF_SITE)
@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_an_off_site_next_lands_on_the_casework_page(client, endpoint, target):
    arrange, fallback = ENDPOINTS[endpoint]
    owner = make_agent(role=Role.OWNER)
    ticket = make_ticket(actor=owner)
    url, data, agent = arrange(client, owner, ticket)
    response = _post_as(client, agent, url, {**data, "next": target})
    assert response.status_code == 302
    assert response["Location"] == reverse(fallback)


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_the_ticket_page_the_form_was_on_is_where_the_agent_lands(client, endpoint):
    arrange, _fallback = ENDPOINTS[endpoint]
    owner = make_agent(role=Role.OWNER)
    ticket = make_ticket(actor=owner)
    url, data, agent = arrange(client, owner, ticket)
    page = reverse("agent:ticket", args=[ticket.number]) + "?tab=time"
    response = _post_as(client, agent, url, {**data, "next": page})
    assert response.status_code == 302
    assert response["Location"] == page
