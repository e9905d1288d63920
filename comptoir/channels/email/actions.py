"""The one way to change the email channel's settings: mailboxes, header rules, notification
templates and confirmation policies.

Admins ("admin.settings") change them from the admin center; every function
checks that, validates the row with the model's own rules (field lengths,
choices, a header rule's regular expression, a template's placeholders) and
writes inside one transaction together with its audit entry
(`core.history.record_change`). Mailbox passwords are stored encrypted, never
in clear, and never appear in the audit log.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext as _

from comptoir.channels.email.models import (
    ConfirmationPolicy,
    HeaderRule,
    Mailbox,
    NotificationTemplate,
)
from comptoir.channels.email.notification_templates import validate_template
from comptoir.channels.email.outbound import DEFAULT_CONFIRMED_CHANNELS, confirmed_channels
from comptoir.core.errors import ValidationFailed
from comptoir.core.history import record_change, snapshot
from comptoir.core.models import Department
from comptoir.core.permissions import require
from comptoir.tickets.models import Channel

SETTINGS = "admin.settings"
HEADER_RULE_FIELDS = {"name", "header", "pattern", "action", "active", "position"}
MAILBOX_FIELDS = {"name", "department", "host", "port", "security", "username", "password_env", "folder",
                  "after_processing", "move_to_folder", "active"}


def _unknown_keys(fields: dict[str, Any], allowed: set[str]) -> None:
    unknown = sorted(set(fields) - allowed)
    if unknown:
        raise ValidationFailed(_("These fields cannot be changed."), dict.fromkeys(unknown, "unknown"))


def _validated(row: Model) -> None:
    """The model's field and clean() rules, reported as ValidationFailed like every other action."""
    try:
        row.full_clean()
    except ValidationError as exc:
        errors = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
        first = next(iter(errors.values()))[0]
        raise ValidationFailed(first, {field: "invalid" for field in errors}) from exc


@transaction.atomic
def create_header_rule(*, actor: Any, via: str = "", **fields: Any) -> HeaderRule:
    """Add a rule that skips or holds as spam the mail whose header matches a regular expression."""
    require(actor, SETTINGS)
    _unknown_keys(fields, HEADER_RULE_FIELDS)
    rule = HeaderRule(**fields)
    _validated(rule)
    rule.save()
    record_change("header_rule.created", rule, actor=actor, via=via, after=snapshot(rule, HEADER_RULE_FIELDS))
    return rule


@transaction.atomic
def update_header_rule(rule: HeaderRule, *, actor: Any, via: str = "", **fields: Any) -> HeaderRule:
    """Change a header rule; mail already held keeps its state."""
    require(actor, SETTINGS)
    _unknown_keys(fields, HEADER_RULE_FIELDS)
    before = snapshot(rule, HEADER_RULE_FIELDS)
    for name, value in fields.items():
        setattr(rule, name, value)
    _validated(rule)
    rule.save()
    record_change("header_rule.updated", rule, actor=actor, via=via, before=before, after=snapshot(rule, HEADER_RULE_FIELDS))
    return rule


@transaction.atomic
def delete_header_rule(rule: HeaderRule, *, actor: Any, via: str = "") -> None:
    """Remove a header rule; mail already held keeps its state."""
    require(actor, SETTINGS)
    before = snapshot(rule, HEADER_RULE_FIELDS)
    record_change("header_rule.deleted", rule, actor=actor, via=via, before=before)
    rule.delete()


@transaction.atomic
def create_mailbox(*, password: str = "", actor: Any, via: str = "", **fields: Any) -> Mailbox:
    """Add an IMAP mailbox for the worker to poll; `password` is stored encrypted."""
    require(actor, SETTINGS)
    _unknown_keys(fields, MAILBOX_FIELDS)
    mailbox = Mailbox(**fields)
    if password:
        mailbox.set_password(password)
    _validated(mailbox)
    mailbox.save()
    record_change("mailbox.created", mailbox, actor=actor, via=via, after=snapshot(mailbox, MAILBOX_FIELDS))
    return mailbox


@transaction.atomic
def update_mailbox(mailbox: Mailbox, *, password: str = "", actor: Any, via: str = "", **fields: Any) -> Mailbox:
    """Change a mailbox; an empty `password` keeps the stored one, a new one is stored encrypted."""
    require(actor, SETTINGS)
    _unknown_keys(fields, MAILBOX_FIELDS)
    before = snapshot(mailbox, MAILBOX_FIELDS)
    for name, value in fields.items():
        setattr(mailbox, name, value)
    if password:
        mailbox.set_password(password)
    _validated(mailbox)
    mailbox.save()
    after = snapshot(mailbox, MAILBOX_FIELDS)
    if password:
        # The audit log says the password changed, never what it is (snapshot leaves secrets out).
        before["password"], after["password"] = "old", "new"
    record_change("mailbox.updated", mailbox, actor=actor, via=via, before=before, after=after)
    return mailbox


@transaction.atomic
def delete_mailbox(mailbox: Mailbox, *, actor: Any, via: str = "") -> None:
    """Stop polling a mailbox and forget it; mail already received stays (its intake rows lose the link)."""
    require(actor, SETTINGS)
    record_change("mailbox.deleted", mailbox, actor=actor, via=via, before=snapshot(mailbox, MAILBOX_FIELDS))
    mailbox.delete()


TEMPLATE_FIELDS = ("event", "locale", "subject", "body_text", "active")


def _check_locale(locale: str) -> None:
    if locale not in {code for code, _name in settings.LANGUAGES}:
        raise ValidationFailed(_("Choose one of the helpdesk's languages."), {"locale": "invalid"})


@transaction.atomic
def save_notification_template(
    *, event: str, locale: str, subject: str, body_text: str, active: bool = True, actor: Any, via: str = "",
) -> NotificationTemplate:
    """Write the wording of `event` in `locale` (created or replaced); customers get it from the next mail on.

    Refused with the reason next to `subject` or `body_text` when the template has
    a syntax error, a tag, or a placeholder that the event does not offer.
    """
    require(actor, SETTINGS)
    _check_locale(locale)
    subject, body_text = subject.strip(), body_text.strip() + "\n"
    if not subject:
        raise ValidationFailed(_("A notification needs a subject."), {"subject": "required"})
    if not body_text.strip():
        raise ValidationFailed(_("A notification needs a body."), {"body_text": "required"})
    validate_template(event, subject, body_text)
    template = NotificationTemplate.objects.select_for_update().filter(event=event, locale=locale).first()
    before = snapshot(template, TEMPLATE_FIELDS) if template is not None else None
    if template is None:
        template = NotificationTemplate(event=event, locale=locale)
    template.subject, template.body_text, template.active = subject, body_text, active
    template.updated_at = timezone.now()
    _validated(template)
    template.save()
    kind = "notification_template.updated" if before is not None else "notification_template.created"
    record_change(kind, template, actor=actor, via=via, before=before, after=snapshot(template, TEMPLATE_FIELDS))
    return template


@transaction.atomic
def reset_notification_template(template: NotificationTemplate, *, actor: Any, via: str = "") -> None:
    """Forget an admin's wording: customers get the built-in wording of that event and language again."""
    require(actor, SETTINGS)
    record_change("notification_template.deleted", template, actor=actor, via=via,
                  before=snapshot(template, TEMPLATE_FIELDS))
    template.delete()


@transaction.atomic
def set_confirmation_channels(department: Department, channels: list[str], *, actor: Any, via: str = "") -> ConfirmationPolicy:
    """Choose which channels' new tickets of `department` get a confirmation mail.

    `Department.send_confirmation` stays the master switch; this only chooses among channels.
    """
    require(actor, SETTINGS)
    unknown = sorted(set(channels) - set(Channel.values))
    if unknown:
        raise ValidationFailed(_("Unknown channel: %(channels)s.") % {"channels": ", ".join(unknown)}, {"channels": "invalid"})
    chosen = [c for c in Channel.values if c in set(channels)]
    policy = ConfirmationPolicy.objects.select_for_update().filter(department=department).first()
    if policy is None:
        policy = ConfirmationPolicy(department=department, channels=list(DEFAULT_CONFIRMED_CHANNELS))
    before = {"channels": sorted(policy.channels)}
    policy.channels = chosen
    policy.save()
    record_change("confirmation_policy.updated", department, actor=actor, via=via, before=before,
                  after={"channels": sorted(chosen)}, object_type="confirmationpolicy")
    transaction.on_commit(_forget_cached_policies)
    return policy


def _forget_cached_policies() -> None:
    confirmed_channels.clear()
