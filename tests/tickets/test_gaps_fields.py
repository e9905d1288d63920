"""Custom field gaps: stale dependent values, repeated multi-select choices, department-only fields."""

from __future__ import annotations

import pytest

from comptoir.core.actors import SYSTEM
from comptoir.core.errors import ValidationFailed
from comptoir.tickets import actions
from comptoir.tickets.models import CustomFieldDefinition, Ticket, TicketEvent
from tests.factories import make_department, make_ticket

pytestmark = pytest.mark.django_db


def _field(key, kind, **extra):
    return CustomFieldDefinition.objects.create(key=key, label=key.replace("_", " ").title(), kind=kind, **extra)


def _set(ticket, values):
    return actions.update_ticket(ticket, {"custom_fields": values}, actor=SYSTEM, via="system")


def _stored(ticket):
    return Ticket.objects.get(pk=ticket.pk).custom_fields


def _last_custom_fields_event(ticket):
    return TicketEvent.objects.filter(ticket=ticket, field="custom_fields").latest("id")


@pytest.fixture
def platform_and_version():
    platform = _field("platform", "dropdown", choices=["ios", "android"])
    version = _field("os_version", "dependent_dropdown", depends_on=platform,
                     choices={"ios": ["17", "18"], "android": ["14", "15"]})
    return platform, version


def test_changing_the_parent_clears_a_child_value_the_new_parent_does_not_offer(platform_and_version):
    ticket = make_ticket(custom_fields={"platform": "android", "os_version": "15"})

    _set(ticket, {"platform": "ios"})

    assert _stored(ticket) == {"platform": "ios"}
    event = _last_custom_fields_event(ticket)
    assert event.old_value == {"platform": "android", "os_version": "15"}
    assert event.new_value == {"platform": "ios"}
    assert event.data == {"cleared_dependents": ["os_version"]}


def test_changing_the_parent_and_child_together_keeps_the_new_child(platform_and_version):
    ticket = make_ticket(custom_fields={"platform": "android", "os_version": "15"})

    _set(ticket, {"platform": "ios", "os_version": "18"})

    assert _stored(ticket) == {"platform": "ios", "os_version": "18"}
    assert _last_custom_fields_event(ticket).data == {}


def test_a_child_invalid_for_the_new_parent_given_in_the_same_call_is_refused(platform_and_version):
    ticket = make_ticket(custom_fields={"platform": "android", "os_version": "15"})

    with pytest.raises(ValidationFailed) as err:
        _set(ticket, {"platform": "ios", "os_version": "14"})

    assert err.value.fields == {"os_version": "invalid"}
    assert _stored(ticket) == {"platform": "android", "os_version": "15"}


def test_clearing_the_parent_clears_its_child(platform_and_version):
    ticket = make_ticket(custom_fields={"platform": "android", "os_version": "15"})

    _set(ticket, {"platform": None})

    assert _stored(ticket) == {}
    assert _last_custom_fields_event(ticket).data == {"cleared_dependents": ["os_version"]}


def test_a_child_still_offered_under_the_new_parent_is_kept():
    region = _field("region", "dropdown", choices=["eu", "benelux"])
    _field("country", "dependent_dropdown", depends_on=region, choices={"eu": ["be", "fr"], "benelux": ["be", "nl"]})
    ticket = make_ticket(custom_fields={"region": "eu", "country": "be"})

    _set(ticket, {"region": "benelux"})

    assert _stored(ticket) == {"region": "benelux", "country": "be"}
    assert _last_custom_fields_event(ticket).data == {}


def test_clearing_a_child_also_clears_the_grandchild_that_depended_on_it(platform_and_version):
    _platform, version = platform_and_version
    _field("build", "dependent_dropdown", depends_on=version, choices={"15": ["AP3A"], "18": ["22A"]})
    ticket = make_ticket(custom_fields={"platform": "android", "os_version": "15", "build": "AP3A"})

    _set(ticket, {"platform": "ios"})

    assert _stored(ticket) == {"platform": "ios"}
    assert _last_custom_fields_event(ticket).data == {"cleared_dependents": ["os_version", "build"]}


def test_a_multi_select_stores_each_choice_once_in_the_order_given():
    _field("connectivity", "multi_select", choices=["wifi", "4g", "5g"])
    ticket = make_ticket()

    _set(ticket, {"connectivity": ["5g", "wifi", "5g", "wifi"]})

    assert _stored(ticket) == {"connectivity": ["5g", "wifi"]}


def test_a_multi_select_given_on_creation_is_deduplicated_too():
    _field("connectivity", "multi_select", choices=["wifi", "4g"])

    ticket = make_ticket(custom_fields={"connectivity": ["4g", "4g"]})

    assert _stored(ticket) == {"connectivity": ["4g"]}


def test_a_department_field_is_refused_on_a_ticket_without_department():
    _field("device_model", "text", department=make_department("Mobile apps"))
    ticket = make_ticket()

    with pytest.raises(ValidationFailed) as err:
        _set(ticket, {"device_model": "Pixel 8"})

    assert err.value.fields == {"device_model": "department"}
    assert err.value.message == "The field Device Model is only for tickets of Mobile apps; this ticket has no department."
    assert _stored(ticket) == {}


def test_a_department_field_is_refused_on_creation_without_department():
    _field("device_model", "text", department=make_department("Mobile apps"))

    with pytest.raises(ValidationFailed) as err:
        make_ticket(custom_fields={"device_model": "Pixel 8"})

    assert err.value.fields == {"device_model": "department"}
    assert not Ticket.objects.exists()


def test_a_department_field_is_refused_on_another_departments_ticket_and_named():
    mobile, finance = make_department("Mobile apps"), make_department("Finance")
    _field("device_model", "text", department=mobile)
    ticket = make_ticket(department=finance)

    with pytest.raises(ValidationFailed) as err:
        _set(ticket, {"device_model": "Pixel 8"})

    assert err.value.fields == {"device_model": "department"}
    assert err.value.message == "The field Device Model is only for tickets of Mobile apps, not of Finance."


def test_a_ticket_moved_to_another_department_can_clear_the_old_departments_field():
    mobile, finance = make_department("Mobile apps"), make_department("Finance")
    _field("device_model", "text", department=mobile)
    ticket = make_ticket(department=mobile, custom_fields={"device_model": "Pixel 8"})
    actions.update_ticket(ticket, {"department": finance}, actor=SYSTEM, via="system")

    _set(ticket, {"device_model": None})

    assert _stored(ticket) == {}


def test_moving_department_and_setting_its_field_in_one_call_is_accepted():
    mobile = make_department("Mobile apps")
    _field("device_model", "text", department=mobile)
    ticket = make_ticket()

    actions.update_ticket(ticket, {"department": mobile, "custom_fields": {"device_model": "Pixel 8"}},
                          actor=SYSTEM, via="system")

    assert _stored(ticket) == {"device_model": "Pixel 8"}
