"""A contact merged into another loses its API tokens: the duplicate's secret stops opening anything."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from comptoir.api.models import ApiToken
from comptoir.api.tokens import issue_token
from comptoir.core.models import Role
from comptoir.tickets import actions
from tests.factories import capture_events, make_agent, make_contact, make_ticket

pytestmark = pytest.mark.django_db


@pytest.fixture
def duplicate_and_kept():
    kept = make_contact("nadia@example.test", name="Nadia Haddad")
    duplicate = make_contact("n.haddad@example.test", name="N. Haddad")
    return duplicate, kept


def test_the_merged_away_contacts_token_gets_401_after_a_merge_in_the_agent_ui(
    api, duplicate_and_kept, django_capture_on_commit_callbacks
):
    duplicate, kept = duplicate_and_kept
    make_ticket(contact=duplicate)
    _row, old_secret = issue_token(duplicate, "shop integration")
    assert api.get("/tickets", old_secret).status_code == 200

    browser = Client()  # the admin's session in its own client, so the API calls carry only the token
    browser.force_login(make_agent(role=Role.ADMIN))
    with django_capture_on_commit_callbacks(execute=True):
        response = browser.post(reverse("agent:contact-merge", args=[duplicate.pk]), {"target": kept.pk})
    assert response.status_code == 302, response
    assert response["Location"] == reverse("agent:contact", args=[kept.pk])

    response = api.get("/tickets", old_secret)
    assert response.status_code == 401
    assert api.post("/tickets", old_secret, json={"subject": "Still there?"}).status_code == 401


def test_the_kept_contacts_own_token_keeps_working_and_sees_the_moved_tickets(
    api, duplicate_and_kept, django_capture_on_commit_callbacks
):
    duplicate, kept = duplicate_and_kept
    moved = make_ticket(contact=duplicate)
    _row, kept_secret = issue_token(kept, "portal script")
    issue_token(duplicate, "old script")

    with django_capture_on_commit_callbacks(execute=True):
        actions.merge_contacts(duplicate, kept, actor=make_agent(role=Role.ADMIN), via="web")

    response = api.get("/tickets", kept_secret)
    assert response.status_code == 200
    assert [t["id"] for t in response.json()["results"]] == [moved.pk]


def test_the_duplicates_tokens_are_revoked_not_deleted(duplicate_and_kept, django_capture_on_commit_callbacks):
    duplicate, kept = duplicate_and_kept
    row, _secret = issue_token(duplicate, "shop integration")

    with django_capture_on_commit_callbacks(execute=True):
        actions.merge_contacts(duplicate, kept, actor=make_agent(role=Role.ADMIN), via="web")

    row = ApiToken.objects.get(pk=row.pk)
    assert row.contact_id == duplicate.pk
    assert row.revoked_at is not None


def test_merge_contacts_announces_the_merge(duplicate_and_kept, django_capture_on_commit_callbacks):
    duplicate, kept = duplicate_and_kept
    admin = make_agent(role=Role.ADMIN)

    with capture_events("contact.merged") as seen, django_capture_on_commit_callbacks(execute=True):
        actions.merge_contacts(duplicate, kept, actor=admin, via="web")

    assert [(e.data, e.actor_kind, e.actor_id) for e in seen] == [
        ({"from_id": duplicate.pk, "into_id": kept.pk}, "agent", admin.pk)
    ]
