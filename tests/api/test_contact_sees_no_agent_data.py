"""A customer's token: whatever they call, no internal note and no agent-only field comes back."""

from __future__ import annotations

import json

import pytest

from comptoir.tickets import actions
from comptoir.tickets.attachments import IncomingFile
from comptoir.tickets.models import CustomFieldDefinition
from tests.factories import make_ticket

pytestmark = pytest.mark.django_db

SECRET_NOTE = "Customer is on the watch list"
SECRET_FIELD_VALUE = "churn-risk-high"
AGENT_ONLY_KEYS = {"tags", "group", "status_id", "status_name", "assignee", "to", "cc", "delivery_status", "department", "merged_into_id"}


def _keys(value):
    if isinstance(value, dict):
        for key, inner in value.items():
            yield key
            yield from _keys(inner)
    elif isinstance(value, list):
        for inner in value:
            yield from _keys(inner)


def test_nothing_agent_only_reaches_a_customer(api, team):
    CustomFieldDefinition.objects.create(key="risk", label="Risk", kind="text")
    CustomFieldDefinition.objects.create(key="app_version", label="App version", kind="text", visible_to_customers=True)
    agent = team.members["agent"]
    ticket = make_ticket(contact=team.members["contact"], group=team.group, assignee=agent, tags=["vip"],
                         custom_fields={"risk": SECRET_FIELD_VALUE, "app_version": "4.2"})
    actions.add_reply(ticket, actor=agent, via="web", body_text="We are looking into it.",
                      attachments=[IncomingFile("steps.txt", b"public steps")])
    note = actions.add_internal_note(ticket, actor=agent, via="web", body_text=SECRET_NOTE,
                                     attachments=[IncomingFile("internal.txt", b"internal only")])
    note_file = note.attachments.get()
    token = team.token("contact")

    bodies = []
    for path in ["/tickets", f"/tickets/{ticket.pk}", f"/tickets/{ticket.pk}/messages", "/tickets?q=watch"]:
        response = api.get(path, token)
        assert response.status_code == 200, (path, response.content)
        bodies.append(response.json())
    reply = api.post(f"/tickets/{ticket.pk}/messages", token, json={"body": "Thanks!"})
    assert reply.status_code == 201
    bodies.append(reply.json())
    patched = api.patch(f"/tickets/{ticket.pk}", token, json={"priority": "urgent"})
    assert patched.status_code in (403, 422)
    bodies.append(patched.json())

    text = json.dumps(bodies)
    assert SECRET_NOTE not in text
    assert SECRET_FIELD_VALUE not in text
    assert "internal.txt" not in text
    assert agent.email not in text
    assert "4.2" in text  # the field marked visible to customers does come through
    assert not AGENT_ONLY_KEYS & set(_keys(bodies))

    # The note's file and the ticket's history stay out of reach too.
    assert api.get(f"/attachments/{note_file.pk}", token).status_code == 404
    assert api.get(f"/attachments/{note_file.pk}/download", token).status_code == 404
    assert api.get(f"/tickets/{ticket.pk}/events", token).status_code == 403
    assert api.get("/export/tickets", token).status_code == 403
    assert api.post(f"/tickets/{ticket.pk}/messages", token, json={"body": "psst", "public": False}).status_code == 403
