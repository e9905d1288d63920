"""The bench data is as messy as real data: unnamed senders and long threads, so N+1s show in the figures."""

from __future__ import annotations

import io

import phonenumbers
import pytest
from django.db.models import Count

from bench.generate import fill
from comptoir.contacts.models import Contact, ContactIdentity
from comptoir.tickets.models import Ticket

pytestmark = pytest.mark.django_db(transaction=False)


@pytest.fixture
def _filled():
    fill(500, out=io.StringIO())


def test_a_share_of_contacts_has_no_name_but_their_address(_filled):
    unnamed = Contact.objects.filter(name="")
    assert 0.3 < unnamed.count() / Contact.objects.count() < 0.5
    assert not unnamed.filter(primary_email__isnull=True).exists()
    contact = unnamed.first()
    assert str(contact) == contact.identities.get(kind="email").value


def test_some_tickets_have_threads_of_more_than_30_messages(_filled):
    long_threads = Ticket.objects.annotate(n=Count("messages")).filter(n__gt=30)
    assert long_threads.count() >= 3


def test_generated_phones_are_valid_e164_numbers(_filled):
    phones = list(ContactIdentity.objects.filter(kind="phone").values_list("value", flat=True))
    assert phones
    assert all(phonenumbers.is_valid_number(phonenumbers.parse(p)) for p in phones)
