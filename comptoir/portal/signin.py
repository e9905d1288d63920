"""Sign-in by emailed one-time link: signed, expiring and usable once.

The link carries a signed payload (contact id and a random nonce) with a
timestamp; nothing is stored when it is sent. Redeeming it checks the
signature and age, then records the nonce in UsedSignInLink — a unique
column, so a second use fails even when two requests race.
"""

from __future__ import annotations

import secrets

from django.core import signing
from django.db import IntegrityError, transaction

from comptoir.contacts.models import Contact
from comptoir.portal.models import UsedSignInLink

SALT = "comptoir.portal.sign-in"
LINK_MAX_AGE_SECONDS = 30 * 60


class SignInRefused(Exception):
    """The link is not valid; `reason` is "invalid", "expired" or "used"."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def make_sign_in_token(contact: Contact) -> str:
    """A token for `contact`'s sign-in link, valid LINK_MAX_AGE_SECONDS, once."""
    return signing.TimestampSigner(salt=SALT).sign_object({"c": contact.pk, "n": secrets.token_urlsafe(24)})


def redeem_sign_in_token(token: str, *, max_age: int = LINK_MAX_AGE_SECONDS) -> Contact:
    """The contact the token signs in, consuming it; raises SignInRefused otherwise."""
    try:
        payload = signing.TimestampSigner(salt=SALT).unsign_object(token, max_age=max_age)
    except signing.SignatureExpired as exc:
        raise SignInRefused("expired") from exc
    except signing.BadSignature as exc:
        raise SignInRefused("invalid") from exc
    contact_id = payload.get("c") if isinstance(payload, dict) else None
    contact = Contact.objects.filter(pk=contact_id).first() if isinstance(contact_id, int) else None
    if contact is None:
        raise SignInRefused("invalid")
    if contact.merged_into_id:
        contact = Contact.objects.filter(pk=contact.merged_into_id).first() or contact
    try:
        with transaction.atomic():
            UsedSignInLink.objects.create(nonce=str(payload.get("n", ""))[:64], contact=contact)
    except IntegrityError as exc:
        raise SignInRefused("used") from exc
    return contact
