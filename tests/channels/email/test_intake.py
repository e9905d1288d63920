"""Email intake: new tickets, contacts, CCs, departments, attachments, idempotency, failed intake."""

from __future__ import annotations

import pytest

from comptoir.channels.email.inbound import ingest_raw, process_inbound, store_raw
from comptoir.channels.email.models import InboundEmail, InboundState
from comptoir.contacts.models import ContactIdentity
from comptoir.tickets.models import Attachment, Message, Ticket
from tests.channels.email.conftest import build_mail

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def test_a_new_email_opens_a_ticket_for_its_department(department):
    row = ingest_raw(build_mail(), source="pipe")

    assert row.state == InboundState.INGESTED
    ticket = Ticket.objects.get()
    assert (ticket.subject, ticket.channel, ticket.department) == ("The app crashes on start", "email", department)
    assert "crashes when I open it" in ticket.messages.get().body_text
    assert row.ticket == ticket and row.created_ticket


def test_the_sender_becomes_a_contact_with_their_display_name(department):
    ingest_raw(build_mail(sender="Élodie Martin <Elodie@Client.test>"), source="pipe")

    identity = ContactIdentity.objects.get(value="elodie@client.test")
    assert identity.contact.name == "Élodie Martin"
    assert Ticket.objects.get().contact == identity.contact


def test_a_known_contact_is_found_by_any_of_their_addresses(department):
    from comptoir.contacts.models import IdentityKind
    from tests.factories import make_contact

    contact = make_contact(email="casey@client.test")
    ContactIdentity.objects.create(contact=contact, kind=IdentityKind.EMAIL, value="casey.home@example.org")

    ingest_raw(build_mail(sender="casey.home@example.org"), source="pipe")

    assert Ticket.objects.get().contact == contact


def test_ccd_people_follow_the_ticket_but_our_own_addresses_do_not(department):
    department.addresses.create(email="sales@acme.test")
    ingest_raw(build_mail(cc="Boss <boss@client.test>, sales@acme.test"), source="pipe")

    ticket = Ticket.objects.get()
    assert [c.primary_email for c in ticket.cc_contacts.all()] == ["boss@client.test"]


def test_the_same_message_delivered_twice_is_stored_and_ingested_once(department):
    raw = build_mail()
    ingest_raw(raw, source="imap")
    again, created = store_raw(raw, source="smtp")

    assert not created
    assert InboundEmail.objects.count() == 1
    assert Ticket.objects.count() == 1
    assert process_inbound(again.pk) == InboundState.INGESTED
    assert Message.objects.count() == 1


def test_a_copy_with_other_trace_headers_but_the_same_message_id_is_skipped(department):
    raw = build_mail(message_id="<same@client.test>")
    ingest_raw(raw, source="imap")
    row = ingest_raw(b"Received: from relay.example by mx\r\n" + raw, source="smtp")

    assert row.state == InboundState.SKIPPED
    assert Message.objects.count() == 1


def test_attachments_are_kept_on_the_message(department):
    ingest_raw(build_mail(attachments=[("invoice.pdf", b"%PDF-1.4 invoice", "application/pdf")]), source="pipe")

    attachment = Attachment.objects.get()
    assert attachment.name == "invoice.pdf"
    assert attachment.message == Message.objects.get()


def test_inline_images_point_at_their_stored_attachment(department):
    from email.message import EmailMessage

    msg = EmailMessage()
    msg["From"] = "casey@client.test"
    msg["To"] = "help@acme.test"
    msg["Subject"] = "Screenshot"
    msg["Message-ID"] = "<inline@client.test>"
    msg.set_content("See the screenshot.")
    msg.add_alternative('<p>See:</p><img src="cid:shot1@client.test">', subtype="html")
    msg.get_payload()[1].add_related(PNG, maintype="image", subtype="png", cid="<shot1@client.test>", filename="shot.png")

    row = ingest_raw(msg.as_bytes(), source="pipe")

    assert row.state == InboundState.INGESTED, row.error
    attachment = Attachment.objects.get()
    html = Message.objects.get().body_html
    assert "cid:" not in html
    assert f"/agent/attachments/{attachment.pk}/" in html
    assert attachment.is_inline


def test_unparseable_input_is_kept_as_failed_intake_with_the_error(department):
    row = ingest_raw(b"\x00\x01 not an email at all", source="pipe")

    assert row.state == InboundState.FAILED
    assert row.error
    assert bytes(InboundEmail.objects.get().raw) == b"\x00\x01 not an email at all"
    assert Ticket.objects.count() == 0


def test_a_failed_message_does_not_block_the_next_one(department):
    ingest_raw(b"\x00garbage", source="pipe")
    row = ingest_raw(build_mail(), source="pipe")

    assert row.state == InboundState.INGESTED


def test_mail_without_a_known_address_still_becomes_a_ticket_without_department(db):
    row = ingest_raw(build_mail(to="someone@elsewhere.test"), source="pipe")

    assert row.state == InboundState.INGESTED
    assert Ticket.objects.get().department is None


def test_new_contacts_get_the_department_language(department):
    department.default_locale = "fr"
    department.save()

    ingest_raw(build_mail(sender="jeanne@client.test"), source="pipe")

    assert Ticket.objects.get().contact.locale == "fr"


def test_mail_through_an_unknown_alias_does_not_make_the_alias_a_follower(department):
    ingest_raw(build_mail(to="support-alias@acme-old.test", cc="boss@client.test"), source="pipe")

    assert [c.primary_email for c in Ticket.objects.get().cc_contacts.all()] == ["boss@client.test"]


def test_nul_characters_in_a_message_do_not_stop_it(department):
    raw = build_mail(subject="Broken\x00subject", body="Line one\x00line two").replace(b"Broken", b"Broken\x00")

    row = ingest_raw(raw, source="pipe")

    assert row.state == InboundState.INGESTED
    assert "\x00" not in Ticket.objects.get().subject
