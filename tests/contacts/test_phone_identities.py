"""Phone identities are stored in E.164, national numbers read in the department's region.

"0470 12 34 56" dialled in Belgium and "+32 470 12 34 56" are one person; a
number that cannot be one is refused with the input repeated, never stored.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from comptoir.contacts.actions import add_contact_identity, find_contact, find_or_create_contact
from comptoir.contacts.identities import normalize_phone
from comptoir.contacts.models import Contact, ContactIdentity, IdentityKind
from comptoir.core.actions import update_department
from comptoir.core.actors import SYSTEM
from comptoir.core.errors import ValidationFailed
from comptoir.core.models import Role
from comptoir.tickets import actions
from comptoir.tickets.models import Ticket
from tests.factories import make_agent, make_contact, make_department

pytestmark = pytest.mark.django_db


def _department(region):
    return update_department(make_department(), {"default_region": region}, actor=make_agent(role=Role.ADMIN))


@pytest.fixture(autouse=True)
def _no_default_region(settings):
    settings.COMPTOIR_DEFAULT_PHONE_REGION = ""


@pytest.mark.parametrize(("region", "written", "e164"), [
    ("BE", "0470 12 34 56", "+32470123456"),
    ("BE", "0470/12.34.56", "+32470123456"),
    ("BE", "+32 470 12 34 56", "+32470123456"),
    ("BE", "+32 (0)470 12 34 56", "+32470123456"),
    ("BE", "0032 470 12 34 56", "+32470123456"),
    ("FR", "06 12 34 56 78", "+33612345678"),
    ("FR", "06.12.34.56.78", "+33612345678"),
    ("FR", "+33 6 12 34 56 78", "+33612345678"),
    ("FR", "0033 6 12 34 56 78", "+33612345678"),
    ("NL", "06-12345678", "+31612345678"),
    ("NL", "06 1234 5678", "+31612345678"),
    ("NL", "+31 6 1234 5678", "+31612345678"),
    ("NL", "0031 6 12345678", "+31612345678"),
    ("NL", "020 794 1234", "+31207941234"),
])
def test_numbers_are_stored_in_e164_whatever_their_spacing(region, written, e164):
    contact, created = find_or_create_contact(phone=written, department=_department(region))
    assert created
    assert list(contact.identities.values_list("value", flat=True)) == [e164]


def test_a_national_and_an_international_call_from_belgium_are_one_contact():
    belgium = _department("BE")
    first = actions.create_ticket(actor=SYSTEM, via="phone", subject="Call 1", contact_phone="0470 12 34 56", department=belgium)
    second = actions.create_ticket(actor=SYSTEM, via="phone", subject="Call 2", contact_phone="+32 470 12 34 56", department=belgium)
    assert first.contact == second.contact
    assert Contact.objects.count() == 1


def test_a_foreign_number_written_with_its_country_code_stays_foreign():
    contact, _created = find_or_create_contact(phone="+33 6 12 34 56 78", department=_department("BE"))
    assert contact.identities.get().value == "+33612345678"


def test_the_same_national_digits_are_different_people_in_france_and_in_the_netherlands():
    assert normalize_phone("06 12 34 56 78", "FR") == "+33612345678"
    assert normalize_phone("06 12 34 56 78", "NL") == "+31612345678"


def test_a_department_without_region_uses_the_configured_default(settings):
    settings.COMPTOIR_DEFAULT_PHONE_REGION = "FR"
    contact, _created = find_or_create_contact(phone="06 12 34 56 78", department=_department(""))
    assert contact.identities.get().value == "+33612345678"
    assert find_contact(phone="+33 6 12 34 56 78") == contact


def test_a_national_number_without_any_region_is_refused_with_a_hint():
    with pytest.raises(ValidationFailed) as err:
        find_or_create_contact(phone="0470 12 34 56")
    assert err.value.fields == {"phone": "invalid"}
    assert "0470 12 34 56" in err.value.message and "+32 470 12 34 56" in err.value.message
    assert not Contact.objects.exists()


@pytest.mark.parametrize("written", ["0470 12 34", "+32 470 12 34 56 78 90", "call me", "12"])
def test_an_invalid_number_is_refused_and_repeated_in_the_error(written):
    with pytest.raises(ValidationFailed) as err:
        find_or_create_contact(phone=written, department=_department("BE"))
    assert err.value.fields == {"phone": "invalid"}
    assert f"“{written}”" in err.value.message
    assert not Contact.objects.exists() and not ContactIdentity.objects.exists()


def test_an_invalid_number_creates_no_ticket():
    with pytest.raises(ValidationFailed):
        actions.create_ticket(actor=SYSTEM, via="phone", subject="Call", contact_phone="0470 12 34", department=_department("BE"))
    assert not Ticket.objects.exists()


def test_an_agent_adds_a_national_number_read_in_the_departments_region():
    contact = make_contact(email="anne@client.test")
    identity = add_contact_identity(contact, IdentityKind.PHONE, "06 12 34 56 78", actor=make_agent(role=Role.ADMIN),
                                    department=_department("FR"))
    assert (identity.contact, identity.value) == (contact, "+33612345678")


def test_the_api_refuses_an_invalid_number_and_says_which(api):
    from tests.factories import make_token

    token = make_token(make_agent(role=Role.ADMIN))
    response = api.post("/contacts", token, json={"name": "Noor", "phone": "+32 470 12"})
    assert response.status_code == 422
    assert "+32 470 12" in response.content.decode()
    assert not Contact.objects.exists()


def test_the_new_ticket_form_keeps_an_invalid_number_and_says_why(client):
    client.force_login(make_agent())
    response = client.post(reverse("agent:ticket-new"), {"contact_phone": "0470 12 34", "subject": "Crash",
                                                         "channel": "phone", "priority": "2", "type": "question",
                                                         "department": _department("BE").pk})
    page = response.content.decode()
    assert response.status_code == 422
    assert "“0470 12 34” is not a valid phone number." in page
    assert 'value="0470 12 34"' in page
    assert not Ticket.objects.exists()
