"""Notification templates: an admin rewrites what customers receive, safely, in their language."""

from __future__ import annotations

import pytest
from django.core import mail

from comptoir.casework.actions.approvals import request_approval
from comptoir.casework.actions.resolution import save_resolution
from comptoir.channels.email import actions as email_actions
from comptoir.channels.email.models import NotificationEvent, NotificationTemplate
from comptoir.channels.email.notification_templates import builtin_template, locale_chain, preview
from comptoir.core.errors import PermissionDenied, ValidationFailed
from comptoir.core.models import AuditEntry, HelpdeskSettings, Role
from comptoir.tickets import actions
from tests.factories import make_agent, make_contact, make_department, make_ticket

pytestmark = pytest.mark.django_db

CONFIRMATION = NotificationEvent.CONFIRMATION


def _save(admin, event=CONFIRMATION, locale="en", subject="[#{{ticket.number}}] Got it", body="Hi {{contact.first_name}}", **kw):
    return email_actions.save_notification_template(
        event=event, locale=locale, subject=subject, body_text=body, actor=admin, via="admin", **kw)


def _refusal(admin, **kw) -> ValidationFailed:
    with pytest.raises(ValidationFailed) as caught:
        _save(admin, **kw)
    return caught.value


@pytest.fixture
def admin():
    return make_agent(role=Role.ADMIN)


def _new_ticket(capture, contact, department=None, channel="email"):
    with capture(execute=True):
        return make_ticket(contact=contact, department=department, channel=channel, subject="Parcel lost")


# --- refused at save time, next to the field -------------------------------------------------------

def test_a_template_with_a_syntax_error_is_refused_on_its_field(admin):
    error = _refusal(admin, body="Hello {{ contact.first_name ")
    assert error.fields == {"body_text": "syntax"}
    assert not NotificationTemplate.objects.exists()


def test_an_unknown_placeholder_is_refused_with_the_list_of_known_ones(admin):
    error = _refusal(admin, subject="Ticket {{ticket.password}}")
    assert error.fields == {"subject": "placeholder"}
    assert "{{ticket.password}}" in error.message
    assert "{{ticket.number}}" in error.message


def test_a_tag_that_would_include_another_template_is_refused(admin):
    error = _refusal(admin, body="{% include 'agent/base.html' %}")
    assert error.fields == {"body_text": "tag"}


def test_a_load_tag_is_refused(admin):
    assert _refusal(admin, body="{% load static %}{% static 'x' %}").fields == {"body_text": "syntax"}


def test_a_placeholder_of_another_event_is_refused(admin):
    """{{resolution.text}} exists for the "solved" mail only; the confirmation has no resolution."""
    assert _refusal(admin, body="{{resolution.text}}").fields == {"body_text": "placeholder"}


def test_a_filter_outside_the_short_list_is_refused(admin):
    assert _refusal(admin, body="{{ticket.subject|safe}}").fields == {"body_text": "filter"}


def test_an_agent_without_the_settings_capability_cannot_save_a_template():
    with pytest.raises(PermissionDenied):
        _save(make_agent(role=Role.AGENT))


def test_saving_a_template_is_in_the_audit_log(admin):
    template = _save(admin, body="Hi")
    entry = AuditEntry.objects.get(kind="notification_template.created")
    assert entry.actor_agent == admin
    assert entry.via == "admin"
    assert entry.object_id == str(template.pk)
    assert entry.changes["subject"] == [None, "[#{{ticket.number}}] Got it"]


# --- rendering -------------------------------------------------------------------------------------

def test_every_built_in_wording_is_a_valid_template_in_every_language():
    for event in NotificationEvent.values:
        for locale in ("en", "fr", "nl"):
            subject, body = builtin_template(event, locale)
            preview(event, locale, subject, body)  # raises when a built-in would be refused


def test_without_a_template_the_confirmation_keeps_its_built_in_wording(django_capture_on_commit_callbacks):
    ticket = _new_ticket(django_capture_on_commit_callbacks, make_contact(email="lea@client.test", name="Léa Dubois"))
    sent = mail.outbox[-1]
    assert sent.subject == f"[#{ticket.number}] We received your request: Parcel lost"
    assert sent.body.startswith("Hello Léa Dubois,\n\nThank you for contacting us.")
    assert f"reference #{ticket.number}." in sent.body


def test_the_confirmation_fills_in_the_placeholders(admin, settings, django_capture_on_commit_callbacks):
    settings.BASE_URL = "https://desk.acme.test"
    HelpdeskSettings.objects.update_or_create(pk=1, defaults={"name": "Acme Care"})
    _save(admin, subject="{{helpdesk.name}}: request {{ticket.number}}",
          body="Dear {{contact.first_name}}, your request “{{ticket.subject}}” is {{ticket.portal_url}}")
    ticket = _new_ticket(django_capture_on_commit_callbacks, make_contact(email="lea@client.test", name="Léa Dubois"))

    sent = mail.outbox[-1]
    assert sent.subject == f"[#{ticket.number}] Acme Care: request {ticket.number}"  # the tag is kept for threading
    assert sent.body == f"Dear Léa, your request “Parcel lost” is https://desk.acme.test/help/requests/{ticket.number}/\n"


def test_a_missing_value_renders_empty(admin, django_capture_on_commit_callbacks):
    _save(admin, body="Hello {{contact.first_name}}! Agent: {{agent.name}}.")
    _new_ticket(django_capture_on_commit_callbacks, make_contact(email="anon@client.test", name=""))
    assert mail.outbox[-1].body == "Hello ! Agent: .\n"


def test_customer_text_is_never_read_as_a_template(admin, django_capture_on_commit_callbacks):
    _save(admin, body="About: {{ticket.subject}}")
    with django_capture_on_commit_callbacks(execute=True):
        make_ticket(contact=make_contact(email="x@client.test"), channel="email", subject="{{ticket.number}} {% now 'Y' %}")
    assert mail.outbox[-1].body == "About: {{ticket.number}} {% now 'Y' %}\n"


def test_an_inactive_template_leaves_the_built_in_wording(admin, django_capture_on_commit_callbacks):
    _save(admin, body="Custom", active=False)
    _new_ticket(django_capture_on_commit_callbacks, make_contact(email="lea@client.test", name="Léa"))
    assert mail.outbox[-1].body.startswith("Hello Léa,")


# --- language ---------------------------------------------------------------------------------------

def test_the_customer_gets_the_template_in_their_language(admin, django_capture_on_commit_callbacks):
    _save(admin, locale="en", body="English")
    _save(admin, locale="nl", body="Nederlands")
    _new_ticket(django_capture_on_commit_callbacks, make_contact(email="jan@client.test", name="Jan", locale="nl"))
    assert mail.outbox[-1].body == "Nederlands\n"


def test_without_their_language_the_department_default_language_is_used(admin, django_capture_on_commit_callbacks):
    department = make_department(address="aide@acme.test")
    department.default_locale = "fr"
    department.save()
    _save(admin, locale="en", body="English")
    _save(admin, locale="fr", body="Français")
    _new_ticket(django_capture_on_commit_callbacks, make_contact(email="jan@client.test", name="Jan", locale="nl"), department)
    assert mail.outbox[-1].body == "Français\n"


def test_then_english(admin, django_capture_on_commit_callbacks):
    _save(admin, locale="en", body="English")
    _new_ticket(django_capture_on_commit_callbacks, make_contact(email="jan@client.test", name="Jan", locale="nl"))
    assert mail.outbox[-1].body == "English\n"


def test_the_language_chain_has_no_repeats():
    assert locale_chain("fr", "fr") == ["fr", "en"]
    assert locale_chain("nl", None) == ["nl", "en"]
    assert locale_chain("", "fr") == ["fr", "en"]


def test_with_no_template_at_all_the_built_in_wording_is_in_the_customers_language(django_capture_on_commit_callbacks):
    _new_ticket(django_capture_on_commit_callbacks, make_contact(email="lea@client.test", name="Léa", locale="fr"))
    subject, _body = builtin_template(CONFIRMATION, "fr")
    assert subject != builtin_template(CONFIRMATION, "en")[0]  # the French catalogue translates it
    assert mail.outbox[-1].subject.startswith(subject.split("{{")[0])


# --- reply and solved ------------------------------------------------------------------------------

def test_a_reply_template_wraps_the_agents_reply_and_escapes_the_html(admin, django_capture_on_commit_callbacks):
    _save(admin, event=NotificationEvent.REPLY, subject="Re: {{ticket.subject}}",
          body="Hello {{contact.first_name}},\n\n{{message.body}}\n\n{{agent.name}} <{{helpdesk.name}}>")
    ticket = _new_ticket(django_capture_on_commit_callbacks, make_contact(email="lea@client.test", name="Léa Dubois"))
    mail.outbox.clear()
    agent = make_agent(name="Marie Dupont")
    with django_capture_on_commit_callbacks(execute=True):
        actions.add_reply(ticket, actor=agent, via="web", body_text="Please reinstall the app.")

    sent = mail.outbox[-1]
    assert sent.subject == f"[#{ticket.number}] Re: Parcel lost"
    assert sent.body == "Hello Léa,\n\nPlease reinstall the app.\n\nMarie Dupont <Comptoir>\n"
    html = sent.alternatives[0][0]
    assert "Marie Dupont &lt;Comptoir&gt;" in html
    assert "Please reinstall the app." in html


def test_a_solved_template_replaces_the_resolution_mail(admin, django_capture_on_commit_callbacks):
    _save(admin, event=NotificationEvent.SOLVED, subject="Solved: {{ticket.subject}}",
          body="{{contact.first_name}}, {{resolution.text}}")
    agent = make_agent()
    ticket = make_ticket(actor=agent, contact=make_contact(email="lea@client.test", name="Léa Dubois"), subject="Parcel lost")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        save_resolution(ticket, "we refunded you.", actor=agent, via="web", email_contact=True)

    sent = mail.outbox[-1]
    assert sent.subject == f"[#{ticket.number}] Solved: Parcel lost"
    assert sent.body == "Léa, we refunded you.\n"


def test_an_approval_template_rewords_the_approvers_mail_keeping_the_links(admin, django_capture_on_commit_callbacks):
    _save(admin, event=NotificationEvent.APPROVAL, subject="Please decide on #{{ticket.number}}",
          body="{{agent.name}}, {{approval.requester}} asks: {{approval.reason}}\nYes: {{approval.approve_url}}")
    requester, approver = make_agent(name="Rita Requester"), make_agent(role=Role.SUPERVISOR, name="Sam Supervisor")
    ticket = make_ticket(subject="Refund 400 EUR", actor=requester)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        request_approval(ticket, [approver], "Refund above my limit", actor=requester, via="web")

    sent = mail.outbox[-1]
    assert (sent.to, sent.subject) == ([approver.email], f"Please decide on #{ticket.number}")
    first, link = sent.body.splitlines()
    assert first == "Sam Supervisor, Rita Requester asks: Refund above my limit"
    assert link.startswith("Yes: http") and "/agent/casework/approvals/link/" in link


# --- preview ---------------------------------------------------------------------------------------

def test_the_preview_renders_a_sample_ticket_in_the_chosen_language():
    shown = preview(CONFIRMATION, "fr", "#{{ticket.number}} {{ticket.subject}}", "Bonjour {{contact.first_name}}")
    assert shown.subject.startswith("#1234 ")
    assert shown.text == "Bonjour Camille"


def test_the_preview_refuses_what_saving_would_refuse():
    with pytest.raises(ValidationFailed):
        preview(CONFIRMATION, "en", "ok", "{{nope}}")
