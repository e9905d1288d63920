"""Normalising the ways customers reach us, so one person is found whatever the channel."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator
from django.utils.translation import gettext as _

from comptoir.core.errors import ValidationFailed

_PHONE_JUNK = re.compile(r"[^\d+]")


def normalize_email(value: str) -> str:
    return value.strip().lower()


# Django's validator without its "localhost" exception: a customer's address
# needs a domain with a dot, or mail to it would never leave this machine.
_EMAIL_VALIDATOR = EmailValidator(allowlist=[])
# Internationalised local parts (jérôme@…, RFC 6531) that Django's ASCII pattern refuses.
_UNICODE_LOCAL_PART = re.compile(r"^[\w!#$%&'*+/=?^`{|}~-]+(\.[\w!#$%&'*+/=?^`{|}~-]+)*$")


def is_valid_email(value: str) -> bool:
    """Whether `value` is one usable address: one @, no spaces, a local part and a dotted domain.

    Internationalised domains and local parts and plus-addressing are accepted;
    "a@", "@b", "a@b", "a b@c.example" and "a@b@c.example" are not.
    """
    if not value or any(ch.isspace() for ch in value) or value.count("@") != 1:
        return False
    local, domain = value.split("@")
    if not local or not domain:
        return False
    # Check the domain with an ASCII stand-in for a non-ASCII local part, then that part on its own.
    ascii_local = local if local.isascii() else "x"
    try:
        _EMAIL_VALIDATOR(f"{ascii_local}@{domain}")
    except ValidationError:
        return False
    return local.isascii() or bool(_UNICODE_LOCAL_PART.match(local))


def clean_email(value: str) -> str:
    """The normalised address, or ValidationFailed {"email": "invalid"} when it cannot be one."""
    email = normalize_email(value or "")
    if not is_valid_email(email):
        raise ValidationFailed(_("Invalid email address."), {"email": "invalid"})
    return email


def normalize_phone(value: str) -> str:
    """Keep digits and a leading +; "00" international prefixes become "+"."""
    digits = _PHONE_JUNK.sub("", value.strip())
    if digits.startswith("00"):
        digits = "+" + digits[2:]
    return digits


def email_domain(email: str) -> str:
    return email.rsplit("@", 1)[-1].lower() if "@" in email else ""
