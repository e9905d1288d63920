"""Contact and account fields from the admin center to the agent's contact and account pages."""

from __future__ import annotations

import pytest
from django.urls import reverse

from comptoir.contacts import actions
from comptoir.contacts.models import (
    Account,
    Contact,
    ContactFieldDefinition,
    ContactFieldKind,
    FieldTarget,
)
from comptoir.core.models import AuditEntry, Role
from tests.factories import make_agent, make_contact

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(client):
    agent = make_agent(role=Role.ADMIN)
    client.force_login(agent)
    return agent


def new_field(client, url_name="admin_center:contact-fields-new", **data):
    base = {"label": "", "key": "", "kind": "text", "label_en": "", "label_fr": "", "label_nl": "", "options": "", "position": "0"}
    return client.post(reverse(url_name), {**base, **data})


def test_an_admin_adds_numero_client_and_gets_a_clean_key(client, admin):
    response = new_field(client, label="Numéro client", label_en="Customer number", label_nl="Klantnummer")
    assert response.status_code == 302
    definition = ContactFieldDefinition.objects.get()
    assert (definition.target, definition.key) == (FieldTarget.CONTACT, "numero-client")
    assert definition.label_translations == {"en": "Customer number", "nl": "Klantnummer"}
    assert AuditEntry.objects.filter(kind="contact_field.created", actor_agent=admin, via="admin").count() == 1


def test_a_duplicate_key_is_refused_next_to_the_key(client, admin):
    new_field(client, label="Numéro client")
    response = new_field(client, label="Numero client")
    assert response.status_code == 422
    assert "A field with the key numero-client already exists." in response.content.decode()
    assert ContactFieldDefinition.objects.count() == 1


def test_an_account_field_lands_on_accounts(client, admin):
    assert new_field(client, "admin_center:account-fields-new", label="Tier", kind="dropdown", options="gold\nsilver").status_code == 302
    definition = ContactFieldDefinition.objects.get()
    assert (definition.target, definition.choices) == (FieldTarget.ACCOUNT, ["gold", "silver"])


def test_the_agent_sees_the_customer_number_on_the_contact_page_in_their_language(client, admin):
    actions.create_contact_field(target=FieldTarget.CONTACT, label="Numéro client", kind=ContactFieldKind.TEXT,
                                 label_translations={"en": "Customer number"}, actor=admin, via="admin")
    contact = make_contact()
    Contact.objects.filter(pk=contact.pk).update(custom_fields={"numero-client": "C-1042"})
    body = client.get(reverse("agent:contact", args=[contact.pk]), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Customer number" in body
    assert 'data-custom-field="numero-client">C-1042<' in body


def test_the_agent_edits_the_customer_number_on_the_contact_form(client, admin):
    actions.create_contact_field(target=FieldTarget.CONTACT, label="Numéro client", kind=ContactFieldKind.TEXT, actor=admin, via="admin")
    contact = make_contact(name="Léa")
    response = client.post(reverse("agent:contact-edit", args=[contact.pk]),
                           {"name": "Léa", "locale": "fr", "notes": "", "cf_numero-client": "C-77"})
    assert response.status_code == 302
    contact.refresh_from_db()
    assert contact.custom_fields == {"numero-client": "C-77"}


def test_a_wrong_number_on_the_account_form_is_shown_next_to_the_field(client, admin):
    actions.create_contact_field(target=FieldTarget.ACCOUNT, label="Seats", kind=ContactFieldKind.NUMBER, actor=admin, via="admin")
    account = Account.objects.create(name="Dupont")
    response = client.post(reverse("agent:account-edit", args=[account.pk]), {"name": "Dupont", "notes": "", "domains": "", "cf_seats": "many"})
    assert response.status_code == 422
    assert "Invalid value for Seats." in response.content.decode()
    account.refresh_from_db()
    assert account.custom_fields == {}


def test_the_account_page_shows_its_fields(client, admin):
    actions.create_contact_field(target=FieldTarget.ACCOUNT, label="Tier", kind=ContactFieldKind.TEXT, actor=admin, via="admin")
    account = Account.objects.create(name="Dupont", custom_fields={"tier": "gold"})
    body = client.get(reverse("agent:account", args=[account.pk])).content.decode()
    assert 'data-custom-field="tier">gold<' in body


def test_deactivating_a_field_hides_it_from_the_contact_page(client, admin):
    definition = actions.create_contact_field(target=FieldTarget.CONTACT, label="Numéro client", kind=ContactFieldKind.TEXT,
                                              actor=admin, via="admin")
    contact = make_contact()
    Contact.objects.filter(pk=contact.pk).update(custom_fields={"numero-client": "C-1042"})
    assert client.post(reverse("admin_center:contact-fields-delete", args=[definition.pk])).status_code == 302
    assert "C-1042" not in client.get(reverse("agent:contact", args=[contact.pk])).content.decode()


def test_the_lists_have_helpful_empty_states(client, admin):
    assert "No contact fields yet." in client.get(reverse("admin_center:contact-fields")).content.decode()
    assert "No account fields yet." in client.get(reverse("admin_center:account-fields")).content.decode()
