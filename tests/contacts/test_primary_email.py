"""A contact carries its primary email, kept current by the contacts actions, and prints without a query."""

from __future__ import annotations

import pytest

from comptoir.contacts.actions import add_contact_identity, find_or_create_contact
from comptoir.contacts.models import Contact, IdentityKind
from comptoir.core.actors import SYSTEM
from comptoir.core.models import Role
from comptoir.tickets import actions
from tests.factories import make_agent

pytestmark = pytest.mark.django_db


def test_an_unnamed_sender_is_shown_by_address_without_a_query(django_assert_num_queries):
    find_or_create_contact(email="No.Name@Client.test")
    contact = Contact.objects.get()
    with django_assert_num_queries(0):
        assert str(contact) == "no.name@client.test"


def test_a_named_contact_is_shown_by_name():
    contact, _created = find_or_create_contact(email="lena@client.test", name="Lena Peeters")
    assert str(contact) == "Lena Peeters"


def test_a_caller_known_only_by_phone_is_an_unnamed_contact_with_its_number(django_assert_num_queries):
    created, _ = find_or_create_contact(phone="+32 470 12 34 56")
    contact = Contact.objects.get()
    with django_assert_num_queries(0):
        assert str(contact) == f"Unnamed contact #{created.pk}"
    assert contact.primary_email is None


def test_a_caller_who_later_writes_gets_that_address_as_primary_email():
    caller, _ = find_or_create_contact(phone="+32 470 12 34 56")
    same, created = find_or_create_contact(phone="+32 470 12 34 56", email="jan@client.test")
    assert same == caller and not created
    assert Contact.objects.get(pk=caller.pk).primary_email == "jan@client.test"


def test_a_second_address_does_not_replace_the_primary_one():
    contact, _ = find_or_create_contact(email="lena@client.test")
    add_contact_identity(contact, IdentityKind.EMAIL, "lena.home@example.org", actor=make_agent(role=Role.ADMIN))
    assert Contact.objects.get(pk=contact.pk).primary_email == "lena@client.test"


def test_an_address_added_by_an_agent_to_a_phone_contact_becomes_primary():
    contact, _ = find_or_create_contact(phone="+32 470 12 34 56")
    add_contact_identity(contact, IdentityKind.EMAIL, "Jan@Client.test", actor=make_agent(role=Role.ADMIN))
    assert contact.primary_email == "jan@client.test"
    assert Contact.objects.get(pk=contact.pk).primary_email == "jan@client.test"


def test_merging_a_phone_contact_into_a_mail_contact_keeps_the_kept_address():
    by_mail, _ = find_or_create_contact(email="omar@client.test", name="Omar")
    by_other_mail, _ = find_or_create_contact(email="omar.b@example.org")
    actions.merge_contacts(by_other_mail, by_mail, actor=SYSTEM, via="web")
    assert Contact.objects.get(pk=by_mail.pk).primary_email == "omar@client.test"
    assert Contact.objects.get(pk=by_other_mail.pk).primary_email is None


def test_merging_into_a_contact_without_email_gives_it_the_duplicates_address():
    by_phone, _ = find_or_create_contact(phone="+32 470 99 88 77")
    by_mail, _ = find_or_create_contact(email="omar@client.test")
    actions.merge_contacts(by_mail, by_phone, actor=SYSTEM, via="web")
    kept = Contact.objects.get(pk=by_phone.pk)
    assert kept.primary_email == "omar@client.test"
    assert str(kept) == "omar@client.test"
