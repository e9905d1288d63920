"""The one way to change the email channel's settings: IMAP mailboxes and header rules.

Admins ("admin.settings") add and remove them from the channel's settings page;
every function checks that, validates the row with the model's own rules
(field lengths, choices, a header rule's regular expression) and writes inside
one transaction. Mailbox passwords are stored encrypted, never in clear.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Model
from django.utils.translation import gettext as _

from comptoir.channels.email.models import HeaderRule, Mailbox
from comptoir.core.errors import ValidationFailed
from comptoir.core.permissions import require

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
    return rule


@transaction.atomic
def delete_header_rule(rule: HeaderRule, *, actor: Any, via: str = "") -> None:
    """Remove a header rule; mail already held keeps its state."""
    require(actor, SETTINGS)
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
    return mailbox


@transaction.atomic
def delete_mailbox(mailbox: Mailbox, *, actor: Any, via: str = "") -> None:
    """Stop polling a mailbox and forget it; mail already received stays (its intake rows lose the link)."""
    require(actor, SETTINGS)
    mailbox.delete()
