"""Email channel data: IMAP mailboxes, every raw message received, and admin header rules.

Data only. The intake (inbound.py) writes InboundEmail rows; tickets change only
through comptoir.tickets.actions.
"""

from __future__ import annotations

import os
import re

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from comptoir.core.models import Department
from comptoir.tickets.models import Message, Ticket


class MailboxSecurity(models.TextChoices):
    SSL = "ssl", _("SSL/TLS")
    STARTTLS = "starttls", _("STARTTLS")
    NONE = "none", _("None (local servers only)")


class AfterProcessing(models.TextChoices):
    SEEN = "seen", _("Flag as seen")
    MOVE = "move", _("Move to a folder")


class Mailbox(models.Model):
    """An IMAP mailbox the worker polls; its mail becomes tickets of `department`.

    The password is kept encrypted (imap.encrypt_password) or read from the
    environment variable named in `password_env`, so it never sits in the
    database in clear text.
    """

    name = models.CharField(_("name"), max_length=120)
    department = models.ForeignKey(Department, null=True, blank=True, on_delete=models.SET_NULL, related_name="mailboxes")
    host = models.CharField(_("IMAP host"), max_length=255)
    port = models.PositiveIntegerField(_("port"), default=993)
    security = models.CharField(_("security"), max_length=10, choices=MailboxSecurity.choices, default=MailboxSecurity.SSL)
    username = models.CharField(_("user name"), max_length=255)
    password_encrypted = models.TextField(blank=True)
    password_env = models.CharField(_("password environment variable"), max_length=120, blank=True)
    folder = models.CharField(_("folder"), max_length=255, default="INBOX")
    after_processing = models.CharField(_("after processing"), max_length=8, choices=AfterProcessing.choices, default=AfterProcessing.SEEN)
    move_to_folder = models.CharField(_("move to folder"), max_length=255, blank=True)
    active = models.BooleanField(_("active"), default=True)
    last_polled_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("IMAP mailbox")
        verbose_name_plural = _("IMAP mailboxes")

    def __str__(self) -> str:
        return self.name

    def set_password(self, raw: str) -> None:
        from comptoir.channels.email.imap import encrypt_password

        self.password_encrypted = encrypt_password(raw) if raw else ""

    def get_password(self) -> str:
        """The clear password: from the named environment variable first, else decrypted."""
        from comptoir.channels.email.imap import decrypt_password

        if self.password_env:
            return os.environ.get(self.password_env, "")
        return decrypt_password(self.password_encrypted) if self.password_encrypted else ""


class InboundSource(models.TextChoices):
    IMAP = "imap", _("IMAP")
    SMTP = "smtp", _("SMTP")
    PIPE = "pipe", _("MTA pipe")


class InboundState(models.TextChoices):
    RECEIVED = "received", _("Received, waiting")
    INGESTED = "ingested", _("Ingested")
    FAILED = "failed", _("Failed")
    SPAM = "spam", _("Held as spam")
    SKIPPED = "skipped", _("Skipped")
    AUTO_REPLY = "auto_reply", _("Auto-reply")
    BOUNCE = "bounce", _("Bounce")


#: Longest Message-ID kept on an InboundEmail (real ones are far shorter; PostgreSQL refuses
#: index entries over about 2,700 bytes, and 255 characters of UTF-8 stay under 1,020).
HEADER_MESSAGE_ID_MAX = 255


class InboundEmail(models.Model):
    """One raw message as it arrived, stored before anything else happens to it.

    `sha256` of the raw bytes is unique: the same message delivered twice (an
    IMAP re-poll, an MTA retry) is stored once. Processing flips `state` from
    "received" in the same transaction that writes the ticket message, so a
    crash leaves either nothing or everything, and a restart picks up the
    "received" rows.
    """

    raw = models.BinaryField()
    sha256 = models.CharField(max_length=64, unique=True)
    header_message_id = models.CharField(max_length=998, blank=True)
    source = models.CharField(max_length=8, choices=InboundSource.choices)
    mailbox = models.ForeignKey(Mailbox, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    envelope_to = models.JSONField(default=list, blank=True)
    received_at = models.DateTimeField(default=timezone.now)
    state = models.CharField(max_length=12, choices=InboundState.choices, default=InboundState.RECEIVED)
    error = models.TextField(blank=True)
    from_email = models.CharField(max_length=254, blank=True)
    subject = models.CharField(max_length=250, blank=True)
    created_ticket = models.BooleanField(default=False)
    released = models.BooleanField(default=False)
    attempts = models.PositiveSmallIntegerField(default=0)
    processed_at = models.DateTimeField(null=True, blank=True)
    ticket = models.ForeignKey(Ticket, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    message = models.ForeignKey(Message, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-received_at", "-id"]
        verbose_name = _("inbound email")
        verbose_name_plural = _("inbound emails")
        indexes = [
            # The worker picks up "received" rows in arrival order; admin lists filter by state.
            models.Index(fields=["state", "id"], name="inbound_state"),
            # The per-sender rate limit counts recent new tickets from one address.
            models.Index(fields=["from_email", "received_at"], name="inbound_sender_recent"),
            # The ticket page links each message to its raw original by Message-ID. Values are
            # kept to HEADER_MESSAGE_ID_MAX characters so that a hostile id always fits an index entry.
            models.Index(fields=["header_message_id"], name="inbound_message_id"),
        ]

    def __str__(self) -> str:
        return f"{self.subject or self.header_message_id or self.sha256[:12]} ({self.state})"


class HeaderAction(models.TextChoices):
    SKIP = "skip", _("Skip (drop silently)")
    SPAM = "spam", _("Hold as spam")


class HeaderRule(models.Model):
    """An admin rule: mail whose `header` matches `pattern` (a regular expression; empty =
    the header is present at all) is skipped or held as spam before it reaches a ticket."""

    name = models.CharField(_("name"), max_length=120)
    header = models.CharField(_("header"), max_length=120)
    pattern = models.CharField(_("pattern"), max_length=500, blank=True)
    action = models.CharField(_("action"), max_length=8, choices=HeaderAction.choices, default=HeaderAction.SPAM)
    active = models.BooleanField(_("active"), default=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("header rule")
        verbose_name_plural = _("header rules")

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        try:
            re.compile(self.pattern)
        except re.error as exc:
            raise ValidationError({"pattern": _("Not a valid regular expression: %(error)s") % {"error": exc}}) from exc


class NotificationEvent(models.TextChoices):
    """What a customer-facing mail is about; each has built-in wording used while no template overrides it."""

    CONFIRMATION = "confirmation", _("Confirmation of a new request")
    REPLY = "reply", _("Agent reply")
    SOLVED = "solved", _("Request solved")
    APPROVAL = "approval", _("Approval requested")
    CSAT = "csat", _("Satisfaction survey")


class NotificationTemplate(models.Model):
    """An admin's wording of one notification in one language; no row means the built-in wording.

    Subject and body hold placeholders such as ``{{ticket.number}}``, checked at
    save time by notification_templates.validate_template and rendered in a
    sandbox (no tags, a fixed context).
    """

    event = models.CharField(_("event"), max_length=20, choices=NotificationEvent.choices)
    locale = models.CharField(_("language"), max_length=8)
    subject = models.CharField(_("subject"), max_length=250)
    body_text = models.TextField(_("body"))
    active = models.BooleanField(_("active"), default=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["event", "locale"]
        verbose_name = _("notification template")
        verbose_name_plural = _("notification templates")
        constraints = [models.UniqueConstraint(fields=["event", "locale"], name="notification_template_event_locale")]

    def __str__(self) -> str:
        return f"{self.get_event_display()} ({self.locale})"


class ConfirmationPolicy(models.Model):
    """Which channels' new tickets get a confirmation in one department (no row: the default channels).

    `Department.send_confirmation` stays the master switch; this narrows or
    widens it per channel. Kept in the email channel, which sends confirmations.
    """

    department = models.OneToOneField(Department, on_delete=models.CASCADE, related_name="confirmation_policy")
    channels = models.JSONField(_("channels"), default=list, blank=True)

    class Meta:
        verbose_name = _("confirmation policy")
        verbose_name_plural = _("confirmation policies")

    def __str__(self) -> str:
        return str(self.department)
