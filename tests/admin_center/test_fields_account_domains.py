"""Account domains: new contacts writing from a linked domain join its account."""

from __future__ import annotations

import pytest
from django.urls import reverse

from comptoir.contacts.actions import find_or_create_contact
from comptoir.contacts.models import Account, AccountDomain
from comptoir.core.models import AuditEntry, Role
from tests.factories import make_agent

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(client):
    agent = make_agent(role=Role.ADMIN)
    client.force_login(agent)
    return agent


@pytest.fixture
def dupont():
    return Account.objects.create(name="Brasserie Dupont")


def link(client, account, domain, **extra):
    return client.post(reverse("admin_center:account-domains"), {"account": account.pk, "domain": domain, **extra})


def test_a_linked_domain_makes_new_contacts_join_the_account(client, admin, dupont):
    assert link(client, dupont, "@Dupont.BE").status_code == 302
    assert AccountDomain.objects.get().domain == "dupont.be"
    contact, _created = find_or_create_contact(email="marc@dupont.be", name="Marc")
    assert contact.account == dupont
    assert AuditEntry.objects.filter(kind="account_domain.added", actor_agent=admin).count() == 1


def test_a_domain_of_another_account_is_refused_naming_it(client, admin, dupont):
    AccountDomain.objects.create(account=Account.objects.create(name="Janssens"), domain="dupont.be")
    response = link(client, dupont, "dupont.be")
    assert response.status_code == 422
    assert "dupont.be already belongs to the account Janssens." in response.content.decode()
    assert AccountDomain.objects.get().account.name == "Janssens"


def test_a_free_mail_domain_needs_a_confirmation(client, admin, dupont):
    response = link(client, dupont, "gmail.com")
    assert response.status_code == 422
    assert "gmail.com is a free email provider" in response.content.decode()
    assert not AccountDomain.objects.exists()
    assert link(client, dupont, "gmail.com", allow_free_mail="on").status_code == 302
    assert AccountDomain.objects.get().domain == "gmail.com"


def test_something_that_is_no_domain_is_refused(client, admin, dupont):
    response = link(client, dupont, "not a domain")
    assert response.status_code == 422
    assert not AccountDomain.objects.exists()


def test_unlinking_keeps_the_contacts_already_in_the_account(client, admin, dupont):
    link(client, dupont, "dupont.be")
    contact, _created = find_or_create_contact(email="marc@dupont.be", name="Marc")
    row = AccountDomain.objects.get()
    assert client.post(reverse("admin_center:account-domains-delete", args=[row.pk])).status_code == 302
    assert not AccountDomain.objects.exists()
    contact.refresh_from_db()
    assert contact.account == dupont
    newcomer, _created = find_or_create_contact(email="lise@dupont.be", name="Lise")
    assert newcomer.account is None
    assert AuditEntry.objects.filter(kind="account_domain.removed").count() == 1


def test_the_page_explains_itself_when_empty(client, admin):
    assert "No domains linked yet." in client.get(reverse("admin_center:account-domains")).content.decode()
