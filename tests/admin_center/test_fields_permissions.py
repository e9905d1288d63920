"""Every page and button of the fields section needs "admin.settings": others get 403 on GET and POST."""

from __future__ import annotations

import pytest
from django.urls import reverse

from comptoir.contacts.models import Account, AccountDomain, ContactFieldDefinition, FieldTarget
from comptoir.core.models import Role
from comptoir.tickets.models import CustomFieldDefinition, FieldKind
from tests.factories import make_agent, make_department

pytestmark = pytest.mark.django_db


@pytest.fixture
def urls(db):
    department = make_department()
    parent = CustomFieldDefinition.objects.create(key="device", label="Device", kind=FieldKind.DROPDOWN, choices=["ios", "android"])
    child = CustomFieldDefinition.objects.create(key="model", label="Model", kind=FieldKind.DEPENDENT_DROPDOWN, depends_on=parent,
                                                 choices={"ios": ["iphone-15"], "android": ["pixel-8"]})
    contact_field = ContactFieldDefinition.objects.create(target=FieldTarget.CONTACT, key="numero-client", label="Numéro client", kind="text")
    account_field = ContactFieldDefinition.objects.create(target=FieldTarget.ACCOUNT, key="tier", label="Tier", kind="text")
    domain = AccountDomain.objects.create(account=Account.objects.create(name="Dupont"), domain="dupont.test")
    return [
        reverse("admin_center:ticket-fields"),
        reverse("admin_center:ticket-fields-new"),
        reverse("admin_center:ticket-fields-edit", args=[parent.pk]),
        reverse("admin_center:ticket-fields-delete", args=[parent.pk]),
        reverse("admin_center:ticket-fields-restore", args=[parent.pk]),
        reverse("admin_center:ticket-fields-options", args=[parent.pk]),
        reverse("admin_center:ticket-fields-dependencies", args=[child.pk]),
        reverse("admin_center:form-layouts"),
        reverse("admin_center:form-layouts-edit", args=[department.pk]),
        reverse("admin_center:contact-fields"),
        reverse("admin_center:contact-fields-new"),
        reverse("admin_center:contact-fields-edit", args=[contact_field.pk]),
        reverse("admin_center:contact-fields-delete", args=[contact_field.pk]),
        reverse("admin_center:account-fields"),
        reverse("admin_center:account-fields-new"),
        reverse("admin_center:account-fields-edit", args=[account_field.pk]),
        reverse("admin_center:account-fields-delete", args=[account_field.pk]),
        reverse("admin_center:account-domains"),
        reverse("admin_center:account-domains-delete", args=[domain.pk]),
    ]


@pytest.mark.parametrize("role", [Role.AGENT, Role.SUPERVISOR, Role.LIGHT_AGENT])
def test_an_agent_without_admin_settings_gets_403_everywhere(client, urls, role):
    client.force_login(make_agent(role=role))
    for url in urls:
        assert client.get(url).status_code == 403, url
        assert client.post(url, {"label": "x", "kind": "text", "domain": "evil.test"}).status_code == 403, url


def test_nothing_changed_after_the_refusals(client, urls):
    client.force_login(make_agent(role=Role.LIGHT_AGENT))
    for url in urls:
        client.post(url, {"label": "x", "kind": "text"})
    assert CustomFieldDefinition.objects.filter(active=True).count() == 2
    assert ContactFieldDefinition.objects.count() == 2
    assert AccountDomain.objects.count() == 1


def test_an_admin_opens_every_page(client, urls):
    client.force_login(make_agent(role=Role.ADMIN))
    pages = [u for u in urls if not u.endswith(("/delete/", "/restore/"))]
    for url in pages:
        assert client.get(url).status_code == 200, url
