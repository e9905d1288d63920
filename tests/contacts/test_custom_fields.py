"""Contact and account fields: defined by an admin, checked when set, audited."""

from __future__ import annotations

import pytest

from comptoir.contacts import actions
from comptoir.contacts.models import Account, Contact, ContactFieldKind, FieldTarget
from comptoir.core.errors import PermissionDenied, ValidationFailed
from comptoir.core.models import AuditEntry, Role
from comptoir.tickets.actions import merge_contacts
from tests.factories import make_agent, make_contact

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin():
    return make_agent(role=Role.ADMIN)


def field(admin, label="Numéro client", kind=ContactFieldKind.TEXT, target=FieldTarget.CONTACT, **extra):
    return actions.create_contact_field(target=target, label=label, kind=kind, actor=admin, via="admin", **extra)


def test_a_label_with_accents_gets_a_clean_key(admin):
    assert field(admin).key == "numero-client"


def test_the_admin_may_choose_the_key(admin):
    assert field(admin, key="customer_no").key == "customer_no"


def test_a_second_field_with_the_same_key_is_refused(admin):
    field(admin)
    with pytest.raises(ValidationFailed) as refused:
        field(admin, label="Numero client")
    assert refused.value.fields == {"key": "taken"}


def test_the_same_key_may_exist_once_for_contacts_and_once_for_accounts(admin):
    field(admin, label="Tier")
    assert field(admin, label="Tier", target=FieldTarget.ACCOUNT).key == "tier"


def test_creating_a_field_is_in_the_audit_log(admin):
    definition = field(admin)
    entry = AuditEntry.objects.get(kind="contact_field.created")
    assert (entry.object_id, entry.actor_agent, entry.via) == (str(definition.pk), admin, "admin")
    assert entry.changes["label"] == [None, "Numéro client"]


def test_an_agent_without_admin_settings_cannot_define_fields():
    with pytest.raises(PermissionDenied):
        field(make_agent(role=Role.AGENT))


def test_an_agent_records_a_customer_number_on_a_contact(admin):
    field(admin)
    contact = make_contact()
    actions.update_contact(contact, {"custom_fields": {"numero-client": " C-1042 "}}, actor=make_agent(), via="web")
    contact.refresh_from_db()
    assert contact.custom_fields == {"numero-client": "C-1042"}


def test_a_value_of_the_wrong_kind_is_refused_with_the_field_label(admin):
    field(admin, label="Seats", kind=ContactFieldKind.NUMBER)
    contact = make_contact()
    with pytest.raises(ValidationFailed) as refused:
        actions.update_contact(contact, {"custom_fields": {"seats": "many"}}, actor=admin, via="web")
    assert refused.value.message == "Invalid value for Seats."
    assert refused.value.fields == {"custom_fields.seats": "invalid"}


def test_a_deactivated_field_takes_no_new_values_but_keeps_the_old(admin):
    definition = field(admin)
    contact = make_contact()
    actions.update_contact(contact, {"custom_fields": {"numero-client": "C-7"}}, actor=admin, via="web")
    actions.deactivate_contact_field(definition, actor=admin, via="admin")
    with pytest.raises(ValidationFailed):
        actions.update_contact(contact, {"custom_fields": {"numero-client": "C-8"}}, actor=admin, via="web")
    contact.refresh_from_db()
    assert contact.custom_fields == {"numero-client": "C-7"}


def test_an_account_dropdown_accepts_only_its_choices(admin):
    field(admin, label="Tier", kind=ContactFieldKind.DROPDOWN, target=FieldTarget.ACCOUNT, choices=["gold", "silver"])
    account = Account.objects.create(name="Dupont")
    actions.update_account(account, custom_fields={"tier": "gold"}, actor=admin, via="web")
    with pytest.raises(ValidationFailed):
        actions.update_account(account, custom_fields={"tier": "platinum"}, actor=admin, via="web")
    account.refresh_from_db()
    assert account.custom_fields == {"tier": "gold"}


def test_removing_a_choice_still_held_says_how_many_hold_it(admin):
    definition = field(admin, label="Tier", kind=ContactFieldKind.DROPDOWN, target=FieldTarget.ACCOUNT, choices=["gold", "silver"])
    for name in ("Dupont", "Janssens"):
        Account.objects.create(name=name, custom_fields={"tier": "gold"})
    with pytest.raises(ValidationFailed) as refused:
        actions.update_contact_field(definition, {"choices": ["silver"]}, actor=admin, via="admin")
    assert refused.value.message == "The choice gold is still used by 2 records; change them first."
    definition.refresh_from_db()
    assert definition.choices == ["gold", "silver"]


def test_a_contact_field_key_is_not_an_account_field(admin):
    field(admin)
    account = Account.objects.create(name="Dupont")
    with pytest.raises(ValidationFailed):
        actions.update_account(account, custom_fields={"numero-client": "C-1"}, actor=admin, via="web")
    assert Contact.objects.count() == 0


def test_merging_a_duplicate_keeps_the_kept_contacts_values_and_fills_its_gaps(admin):
    field(admin)
    field(admin, label="Loyalty", kind=ContactFieldKind.TEXT)
    kept, duplicate = make_contact(), make_contact()
    Contact.objects.filter(pk=kept.pk).update(custom_fields={"numero-client": "C-1"})
    Contact.objects.filter(pk=duplicate.pk).update(custom_fields={"numero-client": "C-2", "loyalty": "gold"})
    kept.refresh_from_db()
    duplicate.refresh_from_db()
    merge_contacts(duplicate, kept, actor=admin, via="web")
    kept.refresh_from_db()
    assert kept.custom_fields == {"numero-client": "C-1", "loyalty": "gold"}
