"""Password reset by email, followed to the end: the link sets a new password that signs in."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.urls import reverse

from tests.factories import make_agent

pytestmark = pytest.mark.django_db


def test_the_emailed_link_sets_a_new_password_that_signs_in(client):
    make_agent(email="marie@example.test", password="old-password-1")
    client.post(reverse("agent:password-reset"), {"email": "marie@example.test"})
    link = re.search(r"https?://[^/\s]+(/agent/password-reset/\S+/)", mail.outbox[0].body).group(1)
    form_page = client.get(link, follow=True)
    assert form_page.status_code == 200
    set_url = form_page.redirect_chain[-1][0] if form_page.redirect_chain else link
    done = client.post(set_url, {"new_password1": "Brand-new-pass-42", "new_password2": "Brand-new-pass-42"}, follow=True)
    assert done.status_code == 200
    assert done.redirect_chain and done.redirect_chain[-1][0] == reverse("agent:password-reset-complete")
    client.logout()
    signed_in = client.post(reverse("agent:login"), {"username": "marie@example.test", "password": "Brand-new-pass-42"})
    assert signed_in.status_code == 302


def test_an_unknown_address_gets_the_same_answer_and_no_mail(client):
    response = client.post(reverse("agent:password-reset"), {"email": "nobody@example.test"})
    assert response.status_code == 302
    assert response["Location"] == reverse("agent:password-reset-done")
    assert mail.outbox == []
