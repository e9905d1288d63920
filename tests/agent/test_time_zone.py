"""Dates on the ticket page are shown in the signed-in agent's own time zone."""

from __future__ import annotations

import zoneinfo

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format

from tests.factories import make_agent, make_ticket

pytestmark = pytest.mark.django_db


def shown(moment, zone: str, language: str) -> str:
    with translation.override(language):
        return date_format(timezone.localtime(moment, zoneinfo.ZoneInfo(zone)), "SHORT_DATETIME_FORMAT")


def test_an_agent_in_tokyo_reads_the_creation_time_in_tokyo_time(client):
    ticket = make_ticket()
    client.force_login(make_agent(time_zone="Asia/Tokyo", locale="en"))
    page = client.get(reverse("agent:ticket", args=[ticket.number])).content.decode()
    assert shown(ticket.created_at, "Asia/Tokyo", "en") in page
    assert shown(ticket.created_at, "UTC", "en") not in page


def test_a_colleague_in_brussels_reads_the_same_ticket_in_brussels_time(client):
    ticket = make_ticket()
    client.force_login(make_agent(time_zone="Europe/Brussels", locale="fr"))
    page = client.get(reverse("agent:ticket", args=[ticket.number])).content.decode()
    assert shown(ticket.created_at, "Europe/Brussels", "fr") in page
