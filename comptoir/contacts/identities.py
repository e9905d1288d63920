"""Normalising the ways customers reach us, so one person is found whatever the channel."""

from __future__ import annotations

from typing import TYPE_CHECKING

import phonenumbers
from django.conf import settings
from django.utils.translation import gettext as _
from email_validator import EmailNotValidError, ValidatedEmail, validate_email

from comptoir.core.errors import ValidationFailed

if TYPE_CHECKING:
    from comptoir.core.models import Department


def normalize_email(value: str) -> str:
    """The form an address is stored and looked up in: trimmed, lower-cased, IDN domain in Unicode.

    "ops@xn--caf-dma.example" and "Ops@CAFÉ.example" are one person. Lenient:
    text that is no address comes back trimmed and lower-cased, so lookups of
    odd headers still work (clean_email() is the check before storing).
    """
    text = (value or "").strip()
    try:
        return _validated(text).normalized.lower()
    except EmailNotValidError:
        return text.lower()


def _validated(value: str) -> ValidatedEmail:
    # Syntax only (no DNS: inbound mail and imports must not wait on lookups).
    # test_environment keeps ".test" (RFC 6761), which demo data and staging use;
    # "localhost" and dotless domains stay refused: mail to them never leaves.
    return validate_email(value, check_deliverability=False, test_environment=True)


def is_valid_email(value: str) -> bool:
    """Whether `value` is one usable address (email-validator's syntax rules, IDN and RFC 6531 included).

    Plus-addressing, internationalised domains and local parts are accepted;
    "a@", "@b", "a@b", "a b@c.example", "a@b@c.example" and display names are not.
    """
    if not value or value != value.strip():
        return False
    try:
        _validated(value)
    except EmailNotValidError:
        return False
    return True


def clean_email(value: str) -> str:
    """The normalised address, or ValidationFailed {"email": "invalid"} naming what was written."""
    text = (value or "").strip()
    if not is_valid_email(text):
        raise ValidationFailed(
            _("“%(address)s” is not a valid email address.") % {"address": text}, {"email": "invalid"}
        )
    return normalize_email(text)


def phone_region(department: Department | None = None) -> str | None:
    """The country a number without country code is read in: the department's, else the setting's."""
    region = (department.default_region if department is not None else "") or settings.COMPTOIR_DEFAULT_PHONE_REGION
    return region.strip().upper() or None


def normalize_phone(value: str, region: str | None = None) -> str:
    """The number in E.164 ("+32470123456"), so one phone is one identity however it was written.

    "0470 12 34 56" is read in `region` (see phone_region()); "+32 ..." and
    "0032 ..." carry their country. A number that is not a valid one (wrong
    length, unknown country, no country and no region) is refused with
    ValidationFailed {"phone": "invalid"} whose message repeats what was
    written, so the caller can show it back and nothing typed is lost.
    """
    raw = (value or "").strip()
    # "00" is the international prefix in the regions we serve; read it as "+"
    # even without a region, where phonenumbers would refuse it.
    text = "+" + raw[2:] if raw.startswith("00") else raw
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException as exc:
        raise _invalid_phone(raw, region) from exc
    if not phonenumbers.is_valid_number(number):
        raise _invalid_phone(raw, region)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def _invalid_phone(raw: str, region: str | None) -> ValidationFailed:
    if region is None and not raw.startswith(("+", "00")):
        message = _("“%(number)s” is not a phone number we can read: write it with its country code, e.g. +32 470 12 34 56.")
    else:
        message = _("“%(number)s” is not a valid phone number.")
    return ValidationFailed(message % {"number": raw}, {"phone": "invalid"})


def email_domain(email: str) -> str:
    return email.rsplit("@", 1)[-1].lower() if "@" in email else ""
