"""Robots are recognised, so the helpdesk never answers an out-of-office or a bounce."""

from __future__ import annotations

import pytest

from comptoir.channels.email.noise import is_auto_reply, parse_delivery_status
from comptoir.channels.email.parsing import parse_email


def mail(headers: str, body: str = "Hello\n") -> bytes:
    return f"From: someone@example.com\nTo: support@example.com\n{headers}\n\n{body}".encode()


def test_a_person_writing_is_not_an_auto_reply():
    parsed = parse_email(mail("Subject: My printer is on fire"))
    assert not parsed.is_auto_reply
    assert not parsed.is_bounce


def test_auto_submitted_auto_replied_is_an_auto_reply():
    assert parse_email(mail("Subject: Re: ticket\nAuto-Submitted: auto-replied")).is_auto_reply


def test_auto_submitted_no_is_a_person():
    assert not parse_email(mail("Subject: Re: ticket\nAuto-Submitted: no")).is_auto_reply


@pytest.mark.parametrize("header", ["X-Autoreply: yes", "X-Autorespond: Vacation", "Precedence: bulk", "Precedence: junk", "Precedence: list"])
def test_autoresponder_and_bulk_headers_are_auto_replies(header):
    assert parse_email(mail(f"Subject: Hello\n{header}")).is_auto_reply


@pytest.mark.parametrize(
    "subject",
    [
        "Out of Office: Your ticket #12",  # English
        "Automatic reply: Invoice",  # English (Outlook)
        "Réponse automatique : Facture",  # French
        "Absence du bureau jusqu'au 12 mars",  # French
        "Automatisch antwoord: Factuur",  # Dutch
        "Afwezig tot maandag",  # Dutch
        "Automatische Antwort: Rechnung",  # German
        "Abwesenheitsnotiz: Rechnung",  # German
    ],
)
def test_out_of_office_subjects_in_four_languages_are_auto_replies(subject):
    assert parse_email(mail(f"Subject: {subject}")).is_auto_reply


def test_an_absence_mentioned_mid_subject_is_not_enough_on_its_own():
    assert not is_auto_reply({"subject": "Question about absence days"})


def test_x_auto_response_suppress_makes_a_mid_subject_phrase_count():
    headers = {"subject": "RE: Automatic reply: invoice", "x-auto-response-suppress": "All"}
    assert is_auto_reply(headers)


def test_x_auto_response_suppress_alone_is_not_an_auto_reply():
    assert not is_auto_reply({"subject": "Meeting tomorrow", "x-auto-response-suppress": "All"})


DSN = b"""From: MAILER-DAEMON@mx.example.com (Mail Delivery System)
To: support@example.com
Subject: Undelivered Mail Returned to Sender
Auto-Submitted: auto-replied
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="dsn"

--dsn
Content-Description: Notification
Content-Type: text/plain; charset=us-ascii

I'm sorry to have to inform you that your message could not be delivered.

--dsn
Content-Description: Delivery report
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.example.com
Arrival-Date: Mon,  2 Mar 2026 10:00:00 +0100

Final-Recipient: rfc822; gone@example.org
Original-Recipient: rfc822;gone@example.org
Action: failed
Status: 5.1.1
Diagnostic-Code: smtp; 550 5.1.1 User unknown

Final-Recipient: rfc822; slow@example.org
Action: delayed
Status: 4.4.1

--dsn
Content-Description: Undelivered Message Headers
Content-Type: text/rfc822-headers

From: support@example.com
To: gone@example.org
Subject: [#42] Your request
Message-ID: <reply-42@helpdesk.example.com>

--dsn--
"""


def test_delivery_status_report_is_a_bounce():
    assert parse_email(DSN).is_bounce


def test_bounce_lists_only_the_failed_recipients():
    assert parse_email(DSN).bounce_recipients == ["gone@example.org"]


def test_bounce_points_at_the_message_that_failed():
    assert parse_email(DSN).bounced_message_id == "reply-42@helpdesk.example.com"


def test_bounce_keeps_its_report_parts_as_attachments():
    names = [a.filename for a in parse_email(DSN).attachments]
    assert names == ["Delivery report.txt", "Undelivered Message Headers.txt"]


def test_delay_notification_is_not_a_bounce():
    delayed = DSN.replace(b"Action: failed", b"Action: delayed")
    assert not parse_email(delayed).is_bounce


def test_mailer_daemon_without_report_is_a_bounce_with_exim_failed_recipients():
    raw = mail("Subject: Mail delivery failed\nX-Failed-Recipients: lost@example.org", "A message could not be delivered.\n")
    raw = raw.replace(b"From: someone@example.com", b"From: Mail Delivery System <Mailer-Daemon@mx.example.com>")
    parsed = parse_email(raw)
    assert parsed.is_bounce
    assert parsed.bounce_recipients == ["lost@example.org"]


def test_status_5xx_without_action_counts_as_failed():
    recipients, _actions = parse_delivery_status("Final-Recipient: rfc822; x@example.org\nStatus: 5.2.2\n")
    assert recipients == ["x@example.org"]
