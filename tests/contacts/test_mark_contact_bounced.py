"""mark_contact_bounced: the one way a bounce flags a contact's address."""

from __future__ import annotations

import pytest

from comptoir.contacts.actions import add_contact_identity, mark_contact_bounced
from comptoir.contacts.models import ContactIdentity, IdentityKind
from comptoir.core.actors import SYSTEM
from comptoir.core.models import Role
from comptoir.core.permissions import PermissionDenied
from tests.factories import make_agent, make_contact

pytestmark = pytest.mark.django_db


def _bouncing() -> list[str]:
    return sorted(ContactIdentity.objects.filter(bouncing=True).values_list("value", flat=True))


def test_only_the_address_that_bounced_is_flagged():
    casey = make_contact("casey@client.test")
    add_contact_identity(casey, IdentityKind.EMAIL, "casey@home.test", actor=SYSTEM)

    assert mark_contact_bounced(casey, "Casey@Client.test", actor=SYSTEM, via="email")

    assert _bouncing() == ["casey@client.test"]


def test_a_second_bounce_for_the_same_address_changes_nothing():
    casey = make_contact("casey@client.test")
    mark_contact_bounced(casey, "casey@client.test", actor=SYSTEM, via="email")

    assert not mark_contact_bounced(casey, "casey@client.test", actor=SYSTEM, via="email")


def test_another_contacts_address_is_not_flagged_through_this_contact():
    casey = make_contact("casey@client.test")
    make_contact("sam@client.test")

    assert not mark_contact_bounced(casey, "sam@client.test", actor=SYSTEM, via="email")
    assert _bouncing() == []


def test_a_light_agent_cannot_flag_an_address():
    casey = make_contact("casey@client.test")

    with pytest.raises(PermissionDenied):
        mark_contact_bounced(casey, "casey@client.test", actor=make_agent(role=Role.LIGHT_AGENT), via="web")
    assert _bouncing() == []
