"""Normalising the ways customers reach us, so one person is found whatever the channel."""

from __future__ import annotations

import re

_PHONE_JUNK = re.compile(r"[^\d+]")


def normalize_email(value: str) -> str:
    return value.strip().lower()


def normalize_phone(value: str) -> str:
    """Keep digits and a leading +; "00" international prefixes become "+"."""
    digits = _PHONE_JUNK.sub("", value.strip())
    if digits.startswith("00"):
        digits = "+" + digits[2:]
    return digits


def email_domain(email: str) -> str:
    return email.rsplit("@", 1)[-1].lower() if "@" in email else ""
