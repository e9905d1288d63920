"""Views and rules select tickets by category, subcategory and product, in the database and in memory alike."""

from __future__ import annotations

import datetime as dt

import pytest

from comptoir.contacts import actions as contact_actions
from comptoir.core.errors import ValidationFailed
from comptoir.core.models import Role
from comptoir.tickets import actions
from comptoir.tickets.conditions import matches, parse, to_q
from comptoir.tickets.models import Ticket
from tests.factories import make_agent, make_ticket

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 3, 2, 12, 0, tzinfo=dt.UTC)


def cond(field, operator, value=None):
    return {"all": [{"field": field, "operator": operator, "value": value}]}


def chosen(conditions, tickets):
    """The subjects selected, checked to be the same through to_q and through matches."""
    in_db = set(Ticket.objects.filter(to_q(conditions, now=NOW)).filter(pk__in=[t.pk for t in tickets]).values_list("subject", flat=True))
    in_memory = {t.subject for t in tickets if matches(conditions, Ticket.objects.get(pk=t.pk), now=NOW)}
    assert in_db == in_memory, conditions
    return in_db


@pytest.fixture
def filed():
    admin = make_agent(role=Role.ADMIN)
    billing = actions.create_category(name="Billing", actor=admin, via="test")
    refunds = actions.create_category(name="Refunds", parent=billing, actor=admin, via="test")
    shipping = actions.create_category(name="Shipping", actor=admin, via="test")
    app = contact_actions.create_product(name="Mobile app", actor=admin, via="test")
    refund = make_ticket(subject="refund")
    actions.update_ticket(refund, {"category": billing, "subcategory": refunds, "product": app}, actor=admin, via="test")
    parcel = make_ticket(subject="parcel")
    actions.update_ticket(parcel, {"category": shipping}, actor=admin, via="test")
    unfiled = make_ticket(subject="unfiled")
    return {"billing": billing.pk, "refunds": refunds.pk, "shipping": shipping.pk, "app": app.pk,
            "tickets": [refund, parcel, unfiled]}


def test_category_is(filed):
    assert chosen(cond("category", "is", filed["billing"]), filed["tickets"]) == {"refund"}


def test_category_is_not_includes_tickets_without_one(filed):
    assert chosen(cond("category", "is_not", filed["billing"]), filed["tickets"]) == {"parcel", "unfiled"}


def test_category_in(filed):
    assert chosen(cond("category", "in", [filed["billing"], filed["shipping"]]), filed["tickets"]) == {"refund", "parcel"}


def test_category_present_and_absent(filed):
    assert chosen(cond("category", "is_set"), filed["tickets"]) == {"refund", "parcel"}
    assert chosen(cond("category", "is_not_set"), filed["tickets"]) == {"unfiled"}


def test_subcategory_is(filed):
    assert chosen(cond("subcategory", "is", filed["refunds"]), filed["tickets"]) == {"refund"}


def test_product_is_and_is_not(filed):
    assert chosen(cond("product", "is", filed["app"]), filed["tickets"]) == {"refund"}
    assert chosen(cond("product", "is_not", filed["app"]), filed["tickets"]) == {"parcel", "unfiled"}


def test_a_category_given_as_text_is_refused_with_its_path():
    with pytest.raises(ValidationFailed) as refused:
        parse(cond("category", "is", "billing"))
    assert refused.value.fields == {"all.0.value": "invalid"}
