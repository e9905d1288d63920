"""Custom field values: each kind validated and normalised by the actions, per department."""

from __future__ import annotations

import pytest

from comptoir.core.actors import SYSTEM
from comptoir.core.errors import ValidationFailed
from comptoir.tickets import actions
from comptoir.tickets.models import CustomFieldDefinition, Status, Ticket
from tests.factories import make_department, make_ticket

pytestmark = pytest.mark.django_db


def _field(key, kind, **extra):
    return CustomFieldDefinition.objects.create(key=key, label=key.replace("_", " ").title(), kind=kind, **extra)


def _set(ticket, values):
    return actions.update_ticket(ticket, {"custom_fields": values}, actor=SYSTEM, via="system")


VALID = [
    ("text", {}, "Pixel 8", "Pixel 8"),
    ("long_text", {}, "line 1\nline 2", "line 1\nline 2"),
    ("number", {}, "42", 42),
    ("decimal", {}, 19.99, "19.99"),
    ("date", {}, "2026-03-02", "2026-03-02"),
    ("checkbox", {}, "yes", True),
    ("checkbox", {}, "off", False),
    ("dropdown", {"choices": ["ios", "android"]}, "android", "android"),
    ("multi_select", {"choices": ["wifi", "4g", "5g"]}, ["wifi", "5g"], ["wifi", "5g"]),
    ("multi_select", {"choices": ["wifi", "4g"]}, "4g", ["4g"]),
]


@pytest.mark.parametrize(("kind", "extra", "given", "stored"), VALID)
def test_valid_values_are_stored_normalised(kind, extra, given, stored):
    _field("value", kind, **extra)
    ticket = make_ticket()
    _set(ticket, {"value": given})
    assert Ticket.objects.get(pk=ticket.pk).custom_fields == {"value": stored}


INVALID = [
    ("text", {}, "x" * 501),
    ("number", {}, "forty-two"),
    ("number", {}, True),
    ("decimal", {}, "1,5"),
    ("date", {}, "02/03/2026"),
    ("checkbox", {}, "maybe"),
    ("dropdown", {"choices": ["ios", "android"]}, "windows"),
    ("multi_select", {"choices": ["wifi", "4g"]}, ["wifi", "satellite"]),
]


@pytest.mark.parametrize(("kind", "extra", "given"), INVALID)
def test_invalid_values_are_refused_with_the_field_named(kind, extra, given):
    _field("value", kind, **extra)
    ticket = make_ticket()
    with pytest.raises(ValidationFailed) as err:
        _set(ticket, {"value": given})
    assert err.value.fields == {"value": "invalid"}
    assert "Value" in err.value.message
    assert Ticket.objects.get(pk=ticket.pk).custom_fields == {}


def test_dependent_dropdown_accepts_only_options_under_the_parent_value():
    platform = _field("platform", "dropdown", choices=["ios", "android"])
    _field("os_version", "dependent_dropdown", depends_on=platform,
           choices={"ios": ["17", "18"], "android": ["14", "15"]})
    ticket = make_ticket()

    _set(ticket, {"platform": "android", "os_version": "15"})
    assert Ticket.objects.get(pk=ticket.pk).custom_fields == {"platform": "android", "os_version": "15"}

    with pytest.raises(ValidationFailed) as err:
        _set(ticket, {"os_version": "18"})  # an iOS version under android
    assert err.value.fields == {"os_version": "invalid"}

    _set(ticket, {"platform": "ios", "os_version": "18"})
    assert Ticket.objects.get(pk=ticket.pk).custom_fields == {"platform": "ios", "os_version": "18"}


def test_none_clears_a_value_and_other_values_stay():
    _field("device", "text")
    _field("app_version", "text")
    ticket = make_ticket(custom_fields={"device": "Pixel 8", "app_version": "2.3"})
    _set(ticket, {"device": None})
    assert Ticket.objects.get(pk=ticket.pk).custom_fields == {"app_version": "2.3"}


def test_unknown_and_inactive_fields_are_refused():
    _field("retired", "text", active=False)
    ticket = make_ticket()
    with pytest.raises(ValidationFailed) as err:
        _set(ticket, {"retired": "x", "invented": "y"})
    assert err.value.fields == {"retired": "unknown", "invented": "unknown"}


def test_a_field_of_another_department_is_refused():
    mobile, finance = make_department("Mobile"), make_department("Finance")
    _field("device", "text", department=mobile)
    assert make_ticket(department=mobile, custom_fields={"device": "Pixel"}).custom_fields == {"device": "Pixel"}
    with pytest.raises(ValidationFailed) as err:
        make_ticket(department=finance, custom_fields={"device": "Pixel"})
    assert err.value.fields == {"device": "department"}


def test_create_ticket_in_a_status_enforces_its_required_fields():
    _field("invoice_number", "text", required_in=["pending"])
    pending = Status.objects.get(name="Pending")
    with pytest.raises(ValidationFailed) as err:
        actions.create_ticket(actor=SYSTEM, via="web", subject="Billing", contact_email="b@example.test",
                              status=pending)
    assert err.value.fields == {"invoice_number": "required"}
    assert not Ticket.objects.exists()
    ticket = actions.create_ticket(actor=SYSTEM, via="web", subject="Billing", contact_email="b@example.test",
                                   status=pending, custom_fields={"invoice_number": "F-2026-001"})
    assert ticket.status_category == "pending"


def test_required_fields_do_not_block_other_statuses():
    _field("root_cause", "long_text", required_in=["solved", "closed"])
    ticket = make_ticket(status="pending")
    assert ticket.status_category == "pending"
    with pytest.raises(ValidationFailed):
        actions.update_ticket(ticket, {"status": "closed"}, actor=SYSTEM, via="system")


@pytest.mark.parametrize(("kind", "given"), [("number", 4.7), ("decimal", "NaN"), ("decimal", "Infinity")])
def test_numbers_are_never_silently_rounded_or_made_infinite(kind, given):
    _field("value", kind)
    ticket = make_ticket()
    with pytest.raises(ValidationFailed) as err:
        _set(ticket, {"value": given})
    assert err.value.fields == {"value": "invalid"}


def test_a_whole_float_is_a_valid_number():
    _field("seats", "number")
    ticket = make_ticket()
    _set(ticket, {"seats": 12.0})
    assert Ticket.objects.get(pk=ticket.pk).custom_fields == {"seats": 12}
