"""Every endpoint × every kind of caller, with the status each must get.

Callers: owner, admin, supervisor, agent (group scope), light agent, contact
(with their own token) and anonymous. The ticket used is in the agents' group
and belongs to the contact, so every caller may *see* it; what differs is what
their role lets them do. Objects a call deletes are made fresh for each caller.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

from comptoir.api.models import ApiToken, WebhookSubscription
from comptoir.casework import actions as casework
from comptoir.casework.models import ApprovalRequest, ApprovalStep
from comptoir.contacts.models import Account, Product
from comptoir.core.models import Department, Group
from comptoir.tickets.attachments import IncomingFile
from comptoir.tickets.models import CustomFieldDefinition, Status, Tag
from tests.api.conftest import ROLES
from tests.factories import make_agent, make_contact, make_ticket

pytestmark = pytest.mark.django_db

STAFF = ["owner", "admin", "supervisor", "agent", "light_agent"]


def expect(ok: int, allowed: list[str], denied: int = 403, **overrides: int) -> dict[str, int]:
    table = {role: (ok if role in allowed else denied) for role in ROLES}
    table["anonymous"] = 401
    table.update(overrides)
    return table


ALL_STAFF = STAFF
WORKERS = ["owner", "admin", "supervisor", "agent"]
ADMINS = ["owner", "admin"]
REPORTERS = ["owner", "admin", "supervisor"]


@dataclass
class World:
    team: Any
    ticket: Any
    attachment: Any
    contact: Any
    account: Any
    product: Any
    group: Any
    department: Any
    status: Any
    tag: Any
    field: Any
    webhook: Any


@pytest.fixture
def world(team) -> World:
    ticket = make_ticket(contact=team.members["contact"], group=team.group, status="open",
                         attachments=[IncomingFile("invoice.pdf", b"%PDF-1.4 test")])
    return World(
        team=team, ticket=ticket, attachment=ticket.attachments.get(), contact=make_contact(),
        account=Account.objects.create(name="Acme"), product=Product.objects.create(name="Mobile app"),
        group=Group.objects.create(name="Billing"), department=Department.objects.create(name="Support FR", slug="fr"),
        status=Status.objects.create(name="Escalated", category="open"), tag=Tag.objects.create(name="vip"),
        field=CustomFieldDefinition.objects.create(key="app_version", label="App version", kind="text"),
        webhook=WebhookSubscription.objects.create(url="http://127.0.0.1:9/h", events=["ticket.created"], secret="s"),
    )


@dataclass
class Case:
    name: str
    method: str
    path: Callable[[World, str], str]
    expected: dict[str, int]
    body: Callable[[World, str], Any] | None = None


def fresh(make: Callable[[str], Any]) -> Callable[[World, str], Any]:
    return lambda w, role: make(role)


T = lambda p: (lambda w, role: p.format(t=w.ticket.pk))  # noqa: E731


def member_or_owner(w: World, role: str) -> Any:
    """The caller's agent, or the owner for callers who are not agents."""
    return w.team.members[role] if role in STAFF else w.team.members["owner"]


def fresh_ticket(w: World, role: str) -> str:
    """A new ticket per caller, where a call may only succeed once per ticket."""
    return str(make_ticket(contact=w.team.members["contact"], group=w.team.group, status="open").pk)


def approval_for(w: World, role: str) -> str:
    """A pending approval on the world's ticket, with one step for the caller."""
    approval = ApprovalRequest.objects.create(ticket=w.ticket, requested_by=w.team.members["agent"], reason="Refund")
    ApprovalStep.objects.create(request=approval, approver=member_or_owner(w, role), nonce=f"matrix-{role}")
    return f"/tickets/{w.ticket.pk}/approvals/{approval.pk}/decision"


def with_resolution(w: World, role: str) -> str:
    casework.save_resolution(w.ticket, "Reinstalled the app.", actor=w.team.members["owner"], via="web")
    return f"/tickets/{w.ticket.pk}/resolution"


def owners_activity(w: World, role: str) -> int:
    """An activity owned by the team's owner: the owner edits it as their own, the others as ticket updates."""
    return casework.create_activity(w.ticket, "task", f"Call back ({role})", actor=w.team.members["owner"], via="web").pk


def owners_time_entry(w: World, role: str) -> str:
    return f"/time-entries/{casework.log_time(w.ticket, 10, actor=w.team.members['owner'], via='web').pk}"


def running_timer(path: str) -> Callable[[World, str], str]:
    def make(w: World, role: str) -> str:
        if role in STAFF:
            casework.start_timer(w.ticket, actor=w.team.members[role], via="web")
        return path
    return make


CASES = [
    Case("list tickets", "get", T("/tickets"), expect(200, STAFF, contact=200)),
    Case("create ticket", "post", T("/tickets"), expect(201, WORKERS, contact=201),
         lambda w, role: {"subject": "Matrix"} if role == "contact" else {"subject": "Matrix", "contact": {"email": f"{role}@matrix.test"}}),
    Case("get ticket", "get", T("/tickets/{t}"), expect(200, STAFF, contact=200)),
    Case("update ticket", "patch", T("/tickets/{t}"), expect(200, WORKERS), lambda w, r: {"priority": "high"}),
    Case("list messages", "get", T("/tickets/{t}/messages"), expect(200, STAFF, contact=200)),
    Case("reply", "post", T("/tickets/{t}/messages"), expect(201, WORKERS, contact=201), lambda w, r: {"body": "Hello", "public": True}),
    Case("internal note", "post", T("/tickets/{t}/messages"), expect(201, STAFF), lambda w, r: {"body": "Note", "public": False}),
    Case("history", "get", T("/tickets/{t}/events"), expect(200, STAFF)),
    Case("attachment", "get", lambda w, r: f"/attachments/{w.attachment.pk}", expect(200, STAFF, contact=200)),
    Case("download", "get", lambda w, r: f"/attachments/{w.attachment.pk}/download", expect(200, STAFF, contact=200)),
    Case("list contacts", "get", T("/contacts"), expect(200, STAFF)),
    Case("get contact", "get", lambda w, r: f"/contacts/{w.contact.pk}", expect(200, STAFF)),
    Case("create contact", "post", T("/contacts"), expect(201, WORKERS), lambda w, role: {"email": f"new-{role}@matrix.test"}),
    Case("update contact", "patch", lambda w, r: f"/contacts/{w.contact.pk}", expect(200, WORKERS), lambda w, r: {"notes": "VIP"}),
    Case("list accounts", "get", T("/accounts"), expect(200, STAFF)),
    Case("get account", "get", lambda w, r: f"/accounts/{w.account.pk}", expect(200, STAFF)),
    Case("create account", "post", T("/accounts"), expect(201, WORKERS), lambda w, role: {"name": f"Account {role}"}),
    Case("update account", "patch", lambda w, r: f"/accounts/{w.account.pk}", expect(200, WORKERS), lambda w, r: {"notes": "Key account"}),
    Case("delete account", "delete", lambda w, role: f"/accounts/{Account.objects.create(name=f'Gone {role}').pk}", expect(204, ADMINS)),
    Case("list products", "get", T("/products"), expect(200, STAFF)),
    Case("get product", "get", lambda w, r: f"/products/{w.product.pk}", expect(200, STAFF)),
    Case("create product", "post", T("/products"), expect(201, WORKERS), lambda w, role: {"name": f"Product {role}"}),
    Case("update product", "patch", lambda w, r: f"/products/{w.product.pk}", expect(200, WORKERS), lambda w, role: {"name": f"Renamed {role}"}),
    Case("delete product", "delete", lambda w, role: f"/products/{Product.objects.create(name=f'Gone {role}').pk}", expect(204, ADMINS)),
    Case("list agents", "get", T("/agents"), expect(200, STAFF)),
    Case("me", "get", T("/agents/me"), expect(200, STAFF)),
    Case("get agent", "get", lambda w, r: f"/agents/{w.team.members['agent'].pk}", expect(200, STAFF)),
    Case("create agent", "post", T("/agents"), expect(201, ADMINS), lambda w, role: {"email": f"hire-{role}@matrix.test", "name": "New hire"}),
    Case("update agent", "patch", lambda w, r: f"/agents/{w.team.members['agent'].pk}", expect(200, ADMINS), lambda w, r: {"locale": "fr"}),
    Case("deactivate agent", "delete", lambda w, role: f"/agents/{make_agent().pk}", expect(204, ADMINS)),
    Case("list groups", "get", T("/groups"), expect(200, STAFF)),
    Case("get group", "get", lambda w, r: f"/groups/{w.group.pk}", expect(200, STAFF)),
    Case("create group", "post", T("/groups"), expect(201, ADMINS), lambda w, role: {"name": f"Group {role}"}),
    Case("update group", "patch", lambda w, r: f"/groups/{w.group.pk}", expect(200, ADMINS), lambda w, role: {"name": f"Billing {role}"}),
    Case("delete group", "delete", lambda w, role: f"/groups/{Group.objects.create(name=f'Gone {role}').pk}", expect(204, ADMINS)),
    Case("list departments", "get", T("/departments"), expect(200, STAFF)),
    Case("get department", "get", lambda w, r: f"/departments/{w.department.pk}", expect(200, STAFF)),
    Case("create department", "post", T("/departments"), expect(201, ADMINS), lambda w, role: {"name": f"Dept {role}", "slug": f"dept-{role}"}),
    Case("update department", "patch", lambda w, r: f"/departments/{w.department.pk}", expect(200, ADMINS), lambda w, r: {"from_name": "Support"}),
    Case("delete department", "delete", lambda w, role: f"/departments/{Department.objects.create(name=f'Gone {role}', slug=f'gone-{role}').pk}", expect(204, ADMINS)),
    Case("list statuses", "get", T("/statuses"), expect(200, STAFF)),
    Case("get status", "get", lambda w, r: f"/statuses/{w.status.pk}", expect(200, STAFF)),
    Case("create status", "post", T("/statuses"), expect(201, ADMINS), lambda w, role: {"name": f"Waiting {role}", "category": "on_hold"}),
    Case("update status", "patch", lambda w, r: f"/statuses/{w.status.pk}", expect(200, ADMINS), lambda w, r: {"position": 3}),
    Case("deactivate status", "delete", lambda w, role: f"/statuses/{Status.objects.create(name=f'Gone {role}', category='open').pk}", expect(204, ADMINS)),
    Case("list tags", "get", T("/tags"), expect(200, STAFF)),
    Case("get tag", "get", lambda w, r: f"/tags/{w.tag.pk}", expect(200, STAFF)),
    Case("create tag", "post", T("/tags"), expect(201, ADMINS), lambda w, role: {"name": f"tag-{role}"}),
    Case("rename tag", "patch", lambda w, role: f"/tags/{Tag.objects.create(name=f'old-{role}').pk}", expect(200, ADMINS),
         lambda w, role: {"name": f"gold-{role}"}),
    Case("delete tag", "delete", lambda w, role: f"/tags/{Tag.objects.create(name=f'gone-{role}').pk}", expect(204, ADMINS)),
    Case("list custom fields", "get", T("/custom-fields"), expect(200, STAFF)),
    Case("get custom field", "get", lambda w, r: f"/custom-fields/{w.field.pk}", expect(200, STAFF)),
    Case("create custom field", "post", T("/custom-fields"), expect(201, ADMINS), lambda w, role: {"key": f"f_{role}", "label": "F", "kind": "text"}),
    Case("update custom field", "patch", lambda w, r: f"/custom-fields/{w.field.pk}", expect(200, ADMINS), lambda w, r: {"label": "Version"}),
    Case("deactivate custom field", "delete", lambda w, role: f"/custom-fields/{CustomFieldDefinition.objects.create(key=f'gone_{role}', label='G', kind='text').pk}", expect(204, ADMINS)),
    Case("export", "get", T("/export/tickets"), expect(200, REPORTERS)),
    Case("list approvals", "get", T("/tickets/{t}/approvals"), expect(200, STAFF)),
    Case("request approval", "post", lambda w, role: f"/tickets/{fresh_ticket(w, role)}/approvals", expect(201, STAFF),
         lambda w, r: {"approver_ids": [w.team.members["owner"].pk], "reason": "Refund outside the policy"}),
    Case("decide approval", "post", approval_for, expect(200, REPORTERS), lambda w, r: {"decision": "approved"}),
    Case("waiting approvals", "get", T("/approvals/waiting"), expect(200, STAFF)),
    Case("approval policy", "get", T("/approvals/policy"), expect(200, STAFF)),
    Case("set approval policy", "put", T("/approvals/policy"), expect(200, ADMINS), lambda w, r: {}),
    Case("get resolution", "get", with_resolution, expect(200, STAFF)),
    Case("save resolution", "put", T("/tickets/{t}/resolution"), expect(200, WORKERS), lambda w, r: {"text": "Reinstalled."}),
    Case("list activities", "get", T("/tickets/{t}/activities"), expect(200, STAFF)),
    Case("create activity", "post", T("/tickets/{t}/activities"), expect(201, STAFF), lambda w, r: {"kind": "task", "subject": "Call back"}),
    Case("update activity", "patch", lambda w, role: f"/activities/{owners_activity(w, role)}", expect(200, WORKERS),
         lambda w, r: {"outcome": "Left a message"}),
    Case("complete activity", "post", lambda w, role: f"/activities/{owners_activity(w, role)}/complete", expect(200, WORKERS), lambda w, r: {}),
    Case("list time entries", "get", T("/tickets/{t}/time-entries"), expect(200, STAFF)),
    Case("log time", "post", T("/tickets/{t}/time-entries"), expect(201, STAFF), lambda w, r: {"minutes": 15}),
    Case("delete time entry", "delete", owners_time_entry, expect(204, WORKERS)),
    Case("time totals", "get", T("/time-entries/totals?by=account"), expect(200, STAFF)),
    Case("export time", "get", T("/time-entries/export?from=2026-01-01&to=2026-12-31"), expect(200, REPORTERS)),
    Case("start timer", "post", lambda w, role: f"/tickets/{fresh_ticket(w, role)}/timer", expect(201, STAFF), lambda w, r: {}),
    Case("my timer", "get", running_timer("/timer"), expect(200, STAFF)),
    Case("stop timer", "post", running_timer("/timer/stop"), expect(201, STAFF), lambda w, r: {}),
    Case("list webhooks", "get", T("/webhooks"), expect(200, ADMINS)),
    Case("create webhook", "post", T("/webhooks"), expect(201, ADMINS), lambda w, r: {"url": "http://127.0.0.1:9/x", "events": ["ticket.created"]}),
    Case("get webhook", "get", lambda w, r: f"/webhooks/{w.webhook.pk}", expect(200, ADMINS)),
    Case("update webhook", "patch", lambda w, r: f"/webhooks/{w.webhook.pk}", expect(200, ADMINS), lambda w, r: {"active": False}),
    Case("delete webhook", "delete", lambda w, role: f"/webhooks/{WebhookSubscription.objects.create(url='http://x.test/', events=[], secret='s').pk}", expect(204, ADMINS)),
    Case("deliveries", "get", lambda w, r: f"/webhooks/{w.webhook.pk}/deliveries", expect(200, ADMINS)),
    Case("test webhook", "post", lambda w, r: f"/webhooks/{w.webhook.pk}/test", expect(200, ADMINS), lambda w, r: {}),
    Case("list tokens", "get", T("/tokens"), expect(200, STAFF, contact=200)),
    Case("create token", "post", T("/tokens"), expect(201, STAFF, contact=201), lambda w, r: {"name": "matrix"}),
    Case("revoke own token", "delete",
         lambda w, role: f"/tokens/{ApiToken.objects.filter(agent=w.team.members[role]).first().pk if role in STAFF else ApiToken.objects.filter(contact=w.team.members['contact']).first().pk if role == 'contact' else 1}",
         expect(204, STAFF, contact=204)),
    Case("openapi document", "get", T("/openapi.json"), {role: 200 for role in ROLES}),
    Case("docs page", "get", T("/docs"), {role: 200 for role in ROLES}),
]

# Rows that are not about the caller's role but must still hold: after the
# delete cases above, every role's own token was revoked, so they run last.


# Deletions of tickets and contacts: each caller gets a fresh one (a ticket in the
# agents' group belonging to the contact, so every caller can see it).
CASES += [
    Case("delete ticket", "delete",
         lambda w, role: f"/tickets/{make_ticket(contact=w.team.members['contact'], group=w.team.group).pk}", expect(204, ADMINS)),
    Case("delete contact", "delete", lambda w, role: f"/contacts/{make_contact().pk}", expect(204, ADMINS)),
]


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_permission_matrix(api, world, case, settings):
    settings.API_RATE_LIMIT_PER_MINUTE = 0
    got = {}
    for role in ROLES:
        path = case.path(world, role)
        body = case.body(world, role) if case.body else None
        kwargs = {"json": body} if case.method in ("post", "put", "patch") else {}
        response = api.call(case.method, path, world.team.token(role), **kwargs)
        got[role] = response.status_code
    assert got == case.expected
