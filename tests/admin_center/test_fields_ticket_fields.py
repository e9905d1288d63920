"""Ticket fields in the admin center: create every kind, options in three languages, dependent
options through the matrix, required to solve, and options still in use."""

from __future__ import annotations

import pytest
from django.urls import reverse

from comptoir.core.errors import ValidationFailed
from comptoir.core.models import AuditEntry, Role
from comptoir.tickets import actions
from comptoir.tickets.models import CustomFieldDefinition, FieldKind, Ticket
from tests.factories import make_agent, make_ticket

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(client):
    agent = make_agent(role=Role.ADMIN)
    client.force_login(agent)
    return agent


def post_new(client, **data):
    base = {"label": "", "key": "", "kind": "text", "options": "", "position": "0"}
    return client.post(reverse("admin_center:ticket-fields-new"), {**base, **data})


@pytest.fixture
def device(admin):
    return actions.create_custom_field(key="device", label="Device", kind=FieldKind.DROPDOWN, choices=["ios", "android"],
                                       actor=admin, via="admin")


@pytest.mark.parametrize("kind", [k for k in FieldKind.values if k not in ("dropdown", "multi_select", "dependent_dropdown")])
def test_an_admin_adds_a_field_of_each_plain_kind(client, admin, kind):
    response = post_new(client, label=f"Field {kind.replace('_', ' ')}", kind=kind)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert CustomFieldDefinition.objects.get(kind=kind).key == f"field-{kind.replace('_', '-')}"  # made from the label


def test_a_dropdown_takes_its_options_one_per_line_and_is_audited(client, admin):
    response = post_new(client, label="Plan", kind="dropdown", options="free\n pro \n\nfree\nenterprise")
    assert response.status_code == 302
    definition = CustomFieldDefinition.objects.get(key="plan")
    assert definition.choices == ["free", "pro", "enterprise"]
    entry = AuditEntry.objects.get(kind="ticket_field.created")
    assert (entry.actor_agent, entry.via, entry.object_repr) == (admin, "admin", "Plan")


def test_a_dropdown_without_options_is_refused_next_to_the_field(client, admin):
    response = post_new(client, label="Plan", kind="dropdown", options="")
    assert response.status_code == 422
    assert "A dropdown needs at least one choice." in response.content.decode()
    assert not CustomFieldDefinition.objects.exists()


def test_ticking_required_to_solve_requires_the_field_at_solve(client, admin):
    post_new(client, label="Resolution", kind="text", required_at_solve="on")
    assert CustomFieldDefinition.objects.get(key="resolution").required_in == ["solved"]


def test_an_agent_only_field_and_a_customer_field(client, admin):
    post_new(client, label="Internal note code", kind="text")
    post_new(client, label="Order number", kind="text", visible_to_customers="on", editable_by_customers="on")
    internal, customer = CustomFieldDefinition.objects.order_by("pk")
    assert (internal.visible_to_customers, internal.editable_by_customers) == (False, False)
    assert (customer.visible_to_customers, customer.editable_by_customers) == (True, True)


def test_a_field_customers_fill_in_but_cannot_see_is_refused_with_the_api_message(client, admin):
    response = post_new(client, label="Order number", kind="text", editable_by_customers="on")
    assert response.status_code == 422
    assert "A field customers can edit must be visible to them." in response.content.decode()


def test_removing_an_option_still_on_tickets_says_how_many(client, admin, device):
    for _ in range(2):
        make_ticket(custom_fields={"device": "android"})
    response = client.post(reverse("admin_center:ticket-fields-edit", args=[device.pk]),
                           {"label": "Device", "options": "ios", "position": "0"})
    assert response.status_code == 422
    assert "The option android is still used by 2 tickets; change them before removing the option." in response.content.decode()
    device.refresh_from_db()
    assert device.choices == ["ios", "android"]


def test_removing_an_unused_option_works(client, admin, device):
    make_ticket(custom_fields={"device": "ios"})
    response = client.post(reverse("admin_center:ticket-fields-edit", args=[device.pk]),
                           {"label": "Device", "options": "ios", "position": "0"})
    assert response.status_code == 302
    device.refresh_from_db()
    assert device.choices == ["ios"]


def test_the_api_refuses_removing_an_option_in_use_too(admin, device):
    make_ticket(custom_fields={"device": "android"})
    with pytest.raises(ValidationFailed) as refused:
        actions.update_custom_field(device, {"choices": ["ios"]}, actor=admin, via="api")
    assert refused.value.fields == {"choices": "in_use"}


def test_option_labels_in_english_french_and_dutch(client, admin, device):
    response = client.post(reverse("admin_center:ticket-fields-options", args=[device.pk]), {
        "label-0-en": "iPhone", "label-0-fr": "iPhone", "label-0-nl": "iPhone",
        "label-1-en": "Android phone", "label-1-fr": "Téléphone Android", "label-1-nl": "",
    })
    assert response.status_code == 302
    device.refresh_from_db()
    assert device.choice_labels == {"ios": {"en": "iPhone", "fr": "iPhone", "nl": "iPhone"},
                                    "android": {"en": "Android phone", "fr": "Téléphone Android"}}
    assert device.choices == ["ios", "android"]  # the stored values do not change
    assert AuditEntry.objects.filter(kind="ticket_field.options_translated").count() == 1


def test_a_dependent_field_starts_with_every_option_under_every_parent_value(client, admin, device):
    response = post_new(client, label="Model", kind="dependent_dropdown", parent=str(device.pk), options="iphone-15\npixel-8")
    assert response.status_code == 302
    model = CustomFieldDefinition.objects.get(key="model")
    assert model.depends_on == device
    assert model.choices == {"ios": ["iphone-15", "pixel-8"], "android": ["iphone-15", "pixel-8"]}


def test_the_matrix_says_which_options_apply_under_each_parent_value(client, admin, device):
    post_new(client, label="Model", kind="dependent_dropdown", parent=str(device.pk), options="iphone-15\npixel-8")
    model = CustomFieldDefinition.objects.get(key="model")
    # Columns follow the parent's options: 0 = ios, 1 = android.
    response = client.post(reverse("admin_center:ticket-fields-dependencies", args=[model.pk]),
                           {"map-0": ["iphone-15"], "map-1": ["pixel-8"], "new_option": "galaxy-s24"})
    assert response.status_code == 302
    model.refresh_from_db()
    assert model.choices == {"ios": ["iphone-15", "galaxy-s24"], "android": ["pixel-8", "galaxy-s24"]}
    ticket = make_ticket(custom_fields={"device": "android", "model": "pixel-8"})
    with pytest.raises(ValidationFailed):
        actions.update_ticket(ticket, {"custom_fields": {"model": "iphone-15"}}, actor=admin, via="web")


def test_the_matrix_refuses_unticking_a_pair_tickets_hold(client, admin, device):
    post_new(client, label="Model", kind="dependent_dropdown", parent=str(device.pk), options="iphone-15\npixel-8")
    model = CustomFieldDefinition.objects.get(key="model")
    make_ticket(custom_fields={"device": "android", "model": "pixel-8"})
    response = client.post(reverse("admin_center:ticket-fields-dependencies", args=[model.pk]),
                           {"map-0": ["iphone-15"], "map-1": ["iphone-15"]})
    assert response.status_code == 422
    assert "The option pixel-8 is still used by 1 ticket" in response.content.decode()
    model.refresh_from_db()
    assert model.choices["android"] == ["iphone-15", "pixel-8"]


def test_deactivating_keeps_values_on_tickets(client, admin, device):
    ticket = make_ticket(custom_fields={"device": "ios"})
    response = client.post(reverse("admin_center:ticket-fields-delete", args=[device.pk]))
    assert response.status_code == 302
    device.refresh_from_db()
    assert not device.active
    assert Ticket.objects.get(pk=ticket.pk).custom_fields == {"device": "ios"}
    assert AuditEntry.objects.filter(kind="ticket_field.deactivated", object_id=str(device.pk)).exists()


def test_the_list_has_a_helpful_empty_state(client, admin):
    body = client.get(reverse("admin_center:ticket-fields")).content.decode()
    assert "No ticket fields yet." in body
    assert reverse("admin_center:ticket-fields-new") in body
