"""Views and rules can target customers by their contact and account fields: `contact.custom.<key>`."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from comptoir.contacts.models import Account, Contact
from comptoir.tickets.conditions import matches, to_q
from comptoir.tickets.models import Status, StatusCategory, Ticket
from tests.factories import make_contact, make_ticket

NOW = dt.datetime(2026, 3, 2, 12, 0, tzinfo=dt.UTC)


def cond(field, operator, value=None):
    return {"all": [{"field": field, "operator": operator, "value": value}]}


def selected(conditions):
    return set(Ticket.objects.filter(to_q(conditions, now=NOW)).values_list("pk", flat=True))


def both(conditions, ticket):
    """In memory and in the database; they must agree."""
    ticket = Ticket.objects.select_related("contact", "account").get(pk=ticket.pk)
    in_memory = matches(conditions, ticket, now=NOW)
    assert in_memory == (ticket.pk in selected(conditions)), conditions
    return in_memory


def test_a_view_finds_the_tickets_of_one_customer_number(db):
    known = make_contact()
    Contact.objects.filter(pk=known.pk).update(custom_fields={"numero-client": "C-1042"})
    other = make_contact()
    theirs, not_theirs = make_ticket(contact=known), make_ticket(contact=other)
    condition = cond("contact.custom.numero-client", "is", "C-1042")
    assert both(condition, theirs)
    assert not both(condition, not_theirs)


def test_a_contact_without_the_field_matches_is_not_and_is_not_set(db):
    ticket = make_ticket(contact=make_contact())
    assert both(cond("contact.custom.numero-client", "is_not", "C-1042"), ticket)
    assert both(cond("contact.custom.numero-client", "is_not_set"), ticket)
    assert not both(cond("contact.custom.numero-client", "is_set"), ticket)


def test_an_account_field_targets_the_tickets_of_premium_companies(db):
    premium = Account.objects.create(name="Brasserie Dupont", custom_fields={"tier": "premium"})
    contact = make_contact()
    Contact.objects.filter(pk=contact.pk).update(account=premium)
    contact.refresh_from_db()
    ticket = make_ticket(contact=contact)
    assert ticket.account_id == premium.pk
    assert both(cond("account.custom.tier", "is", "premium"), ticket)


def test_a_ticket_without_an_account_satisfies_account_negations_only(db):
    ticket = make_ticket(contact=make_contact())
    assert ticket.account_id is None
    assert both(cond("account.custom.tier", "is_not", "premium"), ticket)
    assert both(cond("account.custom.tier", "not_in", ["premium", "gold"]), ticket)
    assert not both(cond("account.custom.tier", "is", "premium"), ticket)
    assert not both(cond("account.custom.tier", "contains", "prem"), ticket)


def test_a_bad_key_is_refused():
    from comptoir.core.errors import ValidationFailed
    from comptoir.tickets.conditions import parse

    with pytest.raises(ValidationFailed):
        parse(cond("contact.custom.numéro client", "is", "x"))


# --- property: in memory and in the database agree ------------------------------------

VALUES = [None, "C-1", "C-2", ""]
TIERS = [None, "premium", "basic", ""]


@st.composite
def ticket_specs(draw):
    return {"number": draw(st.sampled_from(VALUES)), "has_account": draw(st.booleans()), "tier": draw(st.sampled_from(TIERS))}


def _leaf():
    contact_ops = st.sampled_from(["is", "is_not", "contains", "not_contains"])
    return st.one_of(
        st.builds(lambda op, v: {"field": "contact.custom.number", "operator": op, "value": v}, contact_ops, st.sampled_from(["C-1", "C-2", "X"])),
        st.builds(lambda op, v: {"field": "contact.custom.number", "operator": op, "value": v},
                  st.sampled_from(["in", "not_in"]), st.lists(st.sampled_from(["C-1", "C-2", "X"]), min_size=1, max_size=2)),
        st.builds(lambda op: {"field": "contact.custom.number", "operator": op}, st.sampled_from(["is_set", "is_not_set"])),
        st.builds(lambda op, v: {"field": "account.custom.tier", "operator": op, "value": v}, contact_ops, st.sampled_from(["premium", "basic", "gold"])),
        st.builds(lambda op, v: {"field": "account.custom.tier", "operator": op, "value": v},
                  st.sampled_from(["in", "not_in"]), st.lists(st.sampled_from(["premium", "basic"]), min_size=1, max_size=2)),
        st.builds(lambda op: {"field": "account.custom.tier", "operator": op}, st.sampled_from(["is_set", "is_not_set"])),
    )


conditions_strategy = st.fixed_dictionaries(
    {}, optional={"all": st.lists(_leaf(), max_size=2), "any": st.lists(_leaf(), max_size=2)}
)


@pytest.fixture
def status(db):
    return Status.objects.filter(category=StatusCategory.OPEN).first()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(specs=st.lists(ticket_specs(), min_size=1, max_size=5), conditions=conditions_strategy)
def test_matches_and_to_q_agree_on_contact_and_account_fields(status, specs, conditions):
    with transaction.atomic():
        ids = []
        for index, spec in enumerate(specs):
            account = None
            if spec["has_account"]:
                account = Account.objects.create(
                    name=f"Account {index}", custom_fields={} if spec["tier"] is None else {"tier": spec["tier"]}
                )
            contact = Contact.objects.create(
                name=f"Contact {index}", account=account,
                custom_fields={} if spec["number"] is None else {"number": spec["number"]},
            )
            ticket = Ticket.objects.create(
                number=800000 + index, subject="Help", status=status, status_category=status.category,
                contact=contact, account=account,
            )
            ids.append(ticket.pk)
        loaded = list(Ticket.objects.filter(pk__in=ids).select_related("contact", "account"))
        expected = {t.pk for t in loaded if matches(conditions, t, now=NOW)}
        got = set(Ticket.objects.filter(pk__in=ids).filter(to_q(conditions, now=NOW)).values_list("pk", flat=True))
        transaction.set_rollback(True)
    assert got == expected
