"""Channels › Notification templates and Confirmations in the admin center."""

from __future__ import annotations

import pytest

from comptoir.channels.email.models import ConfirmationPolicy, NotificationTemplate
from comptoir.core.models import AuditEntry, Role
from tests.factories import make_agent, make_department

pytestmark = pytest.mark.django_db

TEMPLATES = "/agent/admin/channels/notifications/"
CONFIRMATIONS = "/agent/admin/channels/confirmations/"


@pytest.fixture
def admin(client):
    agent = make_agent(role=Role.ADMIN)
    client.force_login(agent)
    return agent


def test_the_list_shows_every_event_in_every_language_as_built_in(client, admin):
    page = client.get(TEMPLATES).content.decode()
    for event in ("confirmation", "reply", "solved", "approval", "csat"):
        for locale in ("en", "fr", "nl"):
            assert f'href="{TEMPLATES}{event}/{locale}/"' in page
    assert page.count(">Built-in<") == 15


def test_the_editor_starts_from_todays_built_in_wording(client, admin):
    page = client.get(f"{TEMPLATES}confirmation/en/").content.decode()
    assert "[#{{ticket.number}}] We received your request: {{ticket.subject}}" in page
    assert "{{contact.first_name}}" in page  # the placeholder list
    assert "[#1234] We received your request: My order has not arrived" in page  # the preview of a sample ticket


def test_saving_a_template_from_the_editor(client, admin):
    response = client.post(f"{TEMPLATES}confirmation/fr/", {
        "subject": "Demande {{ticket.number}} reçue", "body_text": "Bonjour {{contact.first_name}}", "active": "on"})

    assert response.status_code == 302
    template = NotificationTemplate.objects.get()
    assert (template.event, template.locale, template.subject, template.active) == (
        "confirmation", "fr", "Demande {{ticket.number}} reçue", True)
    assert AuditEntry.objects.filter(kind="notification_template.created", actor_agent=admin, via="admin").exists()


def test_an_unknown_placeholder_is_refused_next_to_the_body(client, admin):
    response = client.post(f"{TEMPLATES}confirmation/en/", {"subject": "Hi", "body_text": "{{ticket.secret}}"},
                           HTTP_HX_REQUEST="true")
    page = response.content.decode()
    assert response.status_code == 422
    assert 'id="id_body_text_error"' in page
    assert "Unknown placeholder {{ticket.secret}}" in page
    assert not NotificationTemplate.objects.exists()


def test_the_live_preview_renders_what_is_typed_in_the_chosen_language(client, admin):
    response = client.post(f"{TEMPLATES}reply/nl/preview/", {
        "subject": "Re: {{ticket.subject}}", "body_text": "Hallo {{contact.first_name}},\n\n{{message.body}}"},
        HTTP_HX_REQUEST="true")
    page = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="preview-body">Hallo Camille,' in page
    assert NotificationTemplate.objects.count() == 0


def test_the_live_preview_shows_a_refusal_instead_of_a_mail(client, admin):
    page = client.post(f"{TEMPLATES}confirmation/en/preview/", {"subject": "x", "body_text": "{% include 'x' %}"}).content.decode()
    assert "Only placeholders" in page


def test_going_back_to_the_built_in_wording(client, admin):
    client.post(f"{TEMPLATES}csat/en/", {"subject": "How did we do?", "body_text": "{{survey.url}}", "active": "on"})
    assert client.post(f"{TEMPLATES}csat/en/reset/").status_code == 302
    assert not NotificationTemplate.objects.exists()
    assert AuditEntry.objects.filter(kind="notification_template.deleted").exists()


def test_an_unknown_event_or_language_is_not_found(client, admin):
    assert client.get(f"{TEMPLATES}birthday/en/").status_code == 404
    assert client.get(f"{TEMPLATES}confirmation/de/").status_code == 404


def test_confirmations_show_the_default_channels_per_department(client, admin):
    department = make_department(name="Cards")
    page = client.get(CONFIRMATIONS).content.decode()
    assert "Cards" in page
    assert f'id="confirm-{department.pk}-phone" checked' in page
    assert f'id="confirm-{department.pk}-chat"' in page
    assert f'id="confirm-{department.pk}-chat" checked' not in page


def test_confirmations_without_departments_explain_the_default(client, admin):
    assert "No departments yet." in client.get(CONFIRMATIONS).content.decode()


def test_an_admin_turns_phone_confirmations_off_for_a_department(client, admin):
    department = make_department(name="Cards")
    response = client.post(CONFIRMATIONS, {"department": department.pk, "channels": ["email", "web"]})
    assert response.status_code == 302
    assert ConfirmationPolicy.objects.get(department=department).channels == ["email", "web"]


def test_an_unknown_channel_is_refused_on_the_page(client, admin):
    department = make_department(name="Cards")
    response = client.post(CONFIRMATIONS, {"department": department.pk, "channels": ["pigeon"]})
    assert response.status_code == 422
    assert "pigeon" in response.content.decode()
    assert not ConfirmationPolicy.objects.exists()
