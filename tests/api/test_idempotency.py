"""Idempotency-Key: a retried POST gets the first answer and creates nothing new."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from comptoir.api.idempotency import purge_expired_records
from comptoir.api.models import IdempotencyRecord
from comptoir.tickets.models import Ticket

pytestmark = pytest.mark.django_db

TICKET = {"subject": "Payment failed", "contact": {"email": "pay@example.test"}}


def test_a_retried_create_returns_the_first_ticket_and_creates_no_second(api, team):
    first = api.post("/tickets", team.token("admin"), json=TICKET, headers={"Idempotency-Key": "order-77"})
    again = api.post("/tickets", team.token("admin"), json=TICKET, headers={"Idempotency-Key": "order-77"})
    assert (first.status_code, again.status_code) == (201, 201)
    assert again.content == first.content
    assert again["Idempotent-Replayed"] == "true"
    assert Ticket.objects.count() == 1


def test_the_same_key_from_another_token_owner_is_independent(api, team):
    api.post("/tickets", team.token("admin"), json=TICKET, headers={"Idempotency-Key": "k1"})
    api.post("/tickets", team.token("owner"), json=TICKET, headers={"Idempotency-Key": "k1"})
    assert Ticket.objects.count() == 2


def test_reusing_a_key_for_a_different_request_is_refused(api, team):
    api.post("/tickets", team.token("admin"), json=TICKET, headers={"Idempotency-Key": "k2"})
    response = api.post("/tickets", team.token("admin"), json={**TICKET, "subject": "Other"}, headers={"Idempotency-Key": "k2"})
    assert response.status_code == 422
    assert Ticket.objects.count() == 1


def test_a_failed_request_does_not_burn_the_key(api, team):
    bad = api.post("/tickets", team.token("admin"), json={**TICKET, "subject": " "}, headers={"Idempotency-Key": "k3"})
    assert bad.status_code == 422
    assert not IdempotencyRecord.objects.filter(key="k3").exists()


def test_a_key_older_than_a_day_is_forgotten(api, team):
    api.post("/tickets", team.token("admin"), json=TICKET, headers={"Idempotency-Key": "k4"})
    with time_machine.travel(timezone.now() + timedelta(hours=25)):
        api.post("/tickets", team.token("admin"), json=TICKET, headers={"Idempotency-Key": "k4"})
    assert Ticket.objects.count() == 2


def test_purging_removes_expired_records(api, team):
    api.post("/tickets", team.token("admin"), json=TICKET, headers={"Idempotency-Key": "k5"})
    assert purge_expired_records(timezone.now() + timedelta(hours=25)) == 1


def test_a_request_still_running_under_the_key_gets_409(api, team):
    IdempotencyRecord.objects.create(key="k6", owner=f"agent:{team.members['admin'].pk}", fingerprint="x")
    response = api.post("/tickets", team.token("admin"), json=TICKET, headers={"Idempotency-Key": "k6"})
    assert response.status_code == 409
    assert Ticket.objects.count() == 0
