"""Editing an account in the workspace goes through contacts.actions.update_account."""

from __future__ import annotations

import pytest
from django.urls import reverse

from comptoir.contacts import actions
from comptoir.contacts.models import Account
from comptoir.core.errors import Conflict, ValidationFailed
from comptoir.core.models import Role
from comptoir.core.permissions import PermissionDenied
from tests.factories import make_agent, make_contact

pytestmark = pytest.mark.django_db


def test_an_agent_renames_an_account_and_sets_its_domains(client):
    account = Account.objects.create(name="Acme")
    client.force_login(make_agent(Role.AGENT))

    response = client.post(reverse("agent:account-edit", args=[account.pk]),
                           {"name": "Acme Corp", "notes": "Pays yearly", "domains": "acme.test, @Acme-Corp.test"})

    assert response.status_code == 302 and response.url == reverse("agent:account", args=[account.pk])
    account.refresh_from_db()
    assert (account.name, account.notes) == ("Acme Corp", "Pays yearly")
    assert sorted(account.domains.values_list("domain", flat=True)) == ["acme-corp.test", "acme.test"]
    # The domain now brings new contacts into the account.
    assert make_contact("lea@acme-corp.test").account_id == account.pk


def test_the_form_shows_the_current_domains(client):
    account = actions.create_account(actor=make_agent(Role.ADMIN), via="web", name="Globex", domains=["globex.test"])
    client.force_login(make_agent())
    page = client.get(reverse("agent:account-edit", args=[account.pk]))
    assert page.status_code == 200 and b'value="globex.test"' in page.content


def test_a_name_taken_by_another_account_is_refused_on_the_form(client):
    Account.objects.create(name="Globex")
    account = Account.objects.create(name="Acme")
    client.force_login(make_agent())

    response = client.post(reverse("agent:account-edit", args=[account.pk]), {"name": "globex", "notes": "", "domains": ""})

    assert response.status_code == 422
    assert b"already exists" in response.content
    account.refresh_from_db()
    assert account.name == "Acme"


def test_a_domain_of_another_account_is_refused(client):
    actions.create_account(actor=make_agent(Role.ADMIN), via="web", name="Globex", domains=["globex.test"])
    account = Account.objects.create(name="Acme")
    client.force_login(make_agent())
    response = client.post(reverse("agent:account-edit", args=[account.pk]), {"name": "Acme", "notes": "", "domains": "globex.test"})
    assert response.status_code == 422
    assert not account.domains.exists()


def test_a_light_agent_cannot_edit_accounts(client):
    account = Account.objects.create(name="Acme")
    client.force_login(make_agent(Role.LIGHT_AGENT))
    response = client.post(reverse("agent:account-edit", args=[account.pk]), {"name": "Hacked", "notes": "", "domains": ""})
    assert response.status_code == 302
    account.refresh_from_db()
    assert account.name == "Acme"


def test_update_account_checks_permission_and_fields():
    account = Account.objects.create(name="Acme")
    with pytest.raises(PermissionDenied):
        actions.update_account(account, actor=make_agent(Role.LIGHT_AGENT), via="web", name="Other")
    with pytest.raises(ValidationFailed):
        actions.update_account(account, actor=make_agent(), via="web", owner="me")
    with pytest.raises(ValidationFailed):
        actions.update_account(account, actor=make_agent(), via="web", name="  ")
    Account.objects.create(name="Globex")
    with pytest.raises(Conflict):
        actions.update_account(account, actor=make_agent(), via="web", name="Globex")
    account.refresh_from_db()
    assert account.name == "Acme"


def test_contact_edit_still_goes_through_its_action(client):
    contact = make_contact("ana@example.test", name="Ana")
    client.force_login(make_agent())
    response = client.post(reverse("agent:contact-edit", args=[contact.pk]), {"name": "Ana Silva", "locale": "fr", "notes": ""})
    assert response.status_code == 302
    contact.refresh_from_db()
    assert (contact.name, contact.locale) == ("Ana Silva", "fr")
