"""Tag autocomplete in the properties panel completes the tag being typed and keeps the others."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.factories import make_agent, make_ticket

pytestmark = pytest.mark.django_db


def test_picking_a_suggestion_keeps_the_tags_already_typed(client):
    make_ticket(tags=["billing", "urgent", "upgrade"])
    client.force_login(make_agent())
    page = client.get(reverse("agent:tag-search"), {"q": "billing, ur"}).content.decode()
    assert '<option value="billing, urgent">' in page
    assert "upgrade" not in page


def test_a_tag_already_on_the_field_is_not_suggested_again(client):
    make_ticket(tags=["urgent", "upgrade"])
    client.force_login(make_agent())
    page = client.get(reverse("agent:tag-search"), {"q": "urgent, u"}).content.decode()
    assert '<option value="urgent, upgrade">' in page
    assert '"urgent, urgent"' not in page


def test_the_first_tag_is_suggested_alone(client):
    make_ticket(tags=["refund"])
    client.force_login(make_agent())
    page = client.get(reverse("agent:tag-search"), {"q": "re"}).content.decode()
    assert '<option value="refund">' in page
