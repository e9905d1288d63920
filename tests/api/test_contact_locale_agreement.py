"""The API and the agent's contact form accept the same languages and refuse the rest with the same error."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.factories import make_agent, make_contact

pytestmark = pytest.mark.django_db


def test_the_api_refuses_a_language_the_helpdesk_does_not_speak(api, team):
    contact = make_contact("lena@example.test")

    response = api.patch(f"/contacts/{contact.pk}", team.token("agent"), json={"locale": "de"})

    assert response.status_code == 422
    assert response.json()["error"]["fields"] == {"locale": "invalid"}
    contact.refresh_from_db()
    assert contact.locale == "en"


def test_the_agent_form_refuses_it_with_the_apis_message(api, team, client):
    contact = make_contact("lena@example.test", name="Lena")
    api_message = api.patch(f"/contacts/{contact.pk}", team.token("agent"), json={"locale": "de"}).json()["error"]["message"]
    client.force_login(make_agent())

    response = client.post(reverse("agent:contact-edit", args=[contact.pk]), {"name": "Lena", "locale": "de"})

    assert response.status_code == 422
    assert response.context["form"].errors["locale"] == [api_message]
    contact.refresh_from_db()
    assert contact.locale == "en"


def test_both_accept_a_language_of_the_helpdesk(api, team):
    contact = make_contact("lena@example.test")

    response = api.patch(f"/contacts/{contact.pk}", team.token("agent"), json={"locale": "nl"})

    assert response.status_code == 200
    assert response.json()["locale"] == "nl"
