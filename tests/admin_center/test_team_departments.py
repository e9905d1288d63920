"""Departments and groups in the admin center: addresses, signatures per language, the default group, members."""

from __future__ import annotations

import pytest
from django.urls import reverse

from comptoir.channels.email.outbound import build_reply_email
from comptoir.core import actions as team
from comptoir.core.errors import ValidationFailed
from comptoir.core.models import AuditEntry, Department, Group, Role
from comptoir.tickets import actions
from tests.factories import make_agent, make_contact, make_department, make_group, make_ticket

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(client):
    agent = make_agent(role=Role.ADMIN, name="Alex Admin")
    client.force_login(agent)
    return agent


def department_data(**data):
    base = {"name": "Acme Belgique", "slug": "acme-be", "addresses": "help@acme.be\nbilling@acme.be", "from_name": "Acme",
            "default_locale": "fr", "send_confirmation": "on", "signature": "The Acme team",
            "signature_en": "", "signature_fr": "", "signature_nl": "", "default_group": ""}
    return {**base, **data}


def test_an_admin_adds_a_department_with_a_signature_per_language(client, admin):
    response = client.post(reverse("admin_center:department-new"),
                           department_data(signature_fr="L'équipe Acme", signature_nl="Het Acme-team"))

    assert response.status_code == 302, response.content.decode()[:1500]
    department = Department.objects.get(slug="acme-be")
    assert department.primary_address == "help@acme.be"
    assert department.signatures == {"fr": "L'équipe Acme", "nl": "Het Acme-team"}
    assert AuditEntry.objects.filter(kind="department.created", object_id=str(department.pk)).exists()


def test_a_reply_carries_the_signature_in_the_customers_language(admin):
    department = make_department("Acme Belgique", address="help@acme.be")
    team.update_department(department, {"signature": "The Acme team", "signatures": {"nl": "Het Acme-team"}}, actor=admin)
    ticket = make_ticket(department=department, contact=make_contact(locale="nl"), actor=admin)

    message = actions.add_reply(ticket, actor=admin, via="web", body_text="Dank u.")

    assert build_reply_email(message).body.endswith("-- \nHet Acme-team")


def test_a_language_without_its_own_signature_falls_back_to_the_default_one(admin):
    department = make_department("Acme Belgique", address="help@acme.be")
    team.update_department(department, {"signature": "The Acme team", "signatures": {"nl": "Het Acme-team"}}, actor=admin)
    ticket = make_ticket(department=department, contact=make_contact(locale="fr"), actor=admin)

    message = actions.add_reply(ticket, actor=admin, via="web", body_text="Merci.")

    assert build_reply_email(message).body.endswith("-- \nThe Acme team")


def test_a_new_ticket_without_a_group_lands_in_the_departments_default_group(admin):
    department = make_department()
    first_line = make_group("First line")
    team.update_department(department, {"default_group_id": first_line.pk}, actor=admin)

    ticket = make_ticket(department=department)

    assert ticket.group == first_line


def test_a_group_chosen_on_the_new_ticket_wins_over_the_default_group(admin):
    department = make_department()
    team.update_department(department, {"default_group_id": make_group("First line").pk}, actor=admin)
    billing = make_group("Billing")

    ticket = make_ticket(department=department, group=billing)

    assert ticket.group == billing


def test_another_brands_group_cannot_be_the_default_group(admin):
    belgium, france = make_department("Belgique"), make_department("France")
    french_team = team.create_group(name="Équipe FR", department_id=france.pk, actor=admin)

    with pytest.raises(ValidationFailed) as refusal:
        team.update_department(belgium, {"default_group_id": french_team.pk}, actor=admin)

    assert refusal.value.fields == {"default_group_id": "invalid"}


def test_the_department_form_shows_an_address_of_another_department_next_to_the_addresses(client, admin):
    make_department(address="help@acme.be")

    response = client.post(reverse("admin_center:department-new"), department_data())

    assert response.status_code == 422
    assert "help@acme.be is already an address of another department." in response.content.decode()


def test_an_admin_creates_a_group_with_its_members(client, admin):
    marie, sam = make_agent(name="Marie"), make_agent(name="Sam")

    client.post(reverse("admin_center:group-new"), {"name": "Billing", "department": "", "members": [marie.pk, sam.pk]})

    assert set(Group.objects.get(name="Billing").members.all()) == {marie, sam}


def test_the_lists_explain_themselves_when_empty(client, admin):
    groups = client.get(reverse("admin_center:groups")).content.decode()
    departments = client.get(reverse("admin_center:departments")).content.decode()

    assert "Add the first group" in groups
    assert "Add the first department" in departments


def test_deleting_a_group_keeps_its_tickets(client, admin):
    billing = make_group("Billing")
    ticket = make_ticket(group=billing)

    client.post(reverse("admin_center:group-delete", args=[billing.pk]))

    ticket.refresh_from_db()
    assert ticket.group is None
