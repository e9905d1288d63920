"""Ticket form per department: the admin picks and orders the fields; the agent's new-ticket form follows."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from comptoir.core.errors import ValidationFailed
from comptoir.core.models import AuditEntry, Role
from comptoir.tickets.actions.fields_catalog import set_form_layout
from comptoir.tickets.form_layouts import fields_on_form
from comptoir.tickets.models import CustomFieldDefinition, FieldKind, Ticket, TicketFormLayout
from tests.factories import make_agent, make_department

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(client):
    agent = make_agent(role=Role.ADMIN)
    client.force_login(agent)
    return agent


@pytest.fixture
def mobile():
    return make_department("Mobile apps")


@pytest.fixture
def fields(mobile):
    order = CustomFieldDefinition.objects.create(key="order-number", label="Order number", kind=FieldKind.TEXT, position=0,
                                                 visible_to_customers=True, editable_by_customers=True)
    device = CustomFieldDefinition.objects.create(key="device", label="Device", kind=FieldKind.DROPDOWN, choices=["ios"], position=1)
    app = CustomFieldDefinition.objects.create(key="app-version", label="App version", kind=FieldKind.TEXT, position=2, department=mobile)
    return order, device, app


def shown_keys(body: str) -> list[str]:
    return re.findall(r'name="cf_([-\w]+)"', body)


def test_without_a_layout_the_form_shows_every_field_that_applies(client, admin, mobile, fields):
    body = client.get(reverse("agent:ticket-new"), {"department": mobile.pk}).content.decode()
    assert shown_keys(body) == ["order-number", "device", "app-version"]


def test_the_admin_picks_and_orders_the_fields_of_a_department(client, admin, mobile, fields):
    response = client.post(reverse("admin_center:form-layouts-edit", args=[mobile.pk]), {
        "show-app-version": "on", "order-app-version": "1",
        "show-order-number": "on", "order-order-number": "2",
        "order-device": "3",  # numbered but not ticked: not shown
    })
    assert response.status_code == 302
    assert TicketFormLayout.objects.get(department=mobile).field_keys == ["app-version", "order-number"]
    body = client.get(reverse("agent:ticket-new"), {"department": mobile.pk}).content.decode()
    assert shown_keys(body) == ["app-version", "order-number"]
    entry = AuditEntry.objects.get(kind="ticket_form.updated")
    assert entry.changes == {"field_keys": [None, ["app-version", "order-number"]]}


def test_another_department_keeps_its_own_form(client, admin, mobile, fields):
    set_form_layout(mobile, ["device"], actor=admin, via="admin")
    other = make_department("Finance")
    body = client.get(reverse("agent:ticket-new"), {"department": other.pk}).content.decode()
    assert shown_keys(body) == ["order-number", "device"]


def test_a_ticket_created_from_the_form_keeps_only_the_layouts_fields(client, admin, mobile, fields):
    set_form_layout(mobile, ["device"], actor=admin, via="admin")
    response = client.post(reverse("agent:ticket-new"), {
        "contact_email": "lea@example.test", "subject": "App crashes", "department": mobile.pk, "channel": "phone",
        "priority": "2", "type": "question", "cf_device": "ios", "cf_order-number": "A-1",
    })
    assert response.status_code == 302
    assert Ticket.objects.get().custom_fields == {"device": "ios"}


def test_a_field_of_another_department_cannot_be_put_on_the_form(admin, fields):
    finance = make_department("Finance")
    with pytest.raises(ValidationFailed) as refused:
        set_form_layout(finance, ["app-version"], actor=admin, via="admin")
    assert refused.value.fields == {"field_keys": "unknown"}


def test_the_customer_form_keeps_the_fields_customers_fill_in(admin, mobile, fields):
    set_form_layout(mobile, ["device", "order-number"], actor=admin, via="admin")
    assert [d.key for d in fields_on_form(mobile, customer=True)] == ["order-number"]


def test_a_field_deactivated_after_the_layout_disappears_from_the_form(admin, mobile, fields):
    set_form_layout(mobile, ["device", "order-number"], actor=admin, via="admin")
    CustomFieldDefinition.objects.filter(key="device").update(active=False)
    assert [d.key for d in fields_on_form(mobile)] == ["order-number"]
