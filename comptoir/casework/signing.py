"""Signed approve/reject links: tamper-proof, expiring, and single use through a DB nonce."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.urls import reverse

SALT = "comptoir.casework.approval-link"
LINK_MAX_AGE_SECONDS = 7 * 24 * 3600


class InvalidLink(Exception):
    """The link was tampered with, expired or malformed."""


@dataclass(frozen=True)
class LinkClaim:
    step_id: int
    nonce: str
    decision: str


def make_token(step_id: int, nonce: str, decision: str) -> str:
    return signing.dumps({"s": step_id, "n": nonce, "d": decision}, salt=SALT, compress=True)


def read_token(token: str, max_age: int = LINK_MAX_AGE_SECONDS) -> LinkClaim:
    """The claim inside `token`; raises InvalidLink when the signature or age is wrong."""
    try:
        data = signing.loads(token, salt=SALT, max_age=max_age)
        return LinkClaim(step_id=int(data["s"]), nonce=str(data["n"]), decision=str(data["d"]))
    except (signing.BadSignature, KeyError, TypeError, ValueError) as exc:
        raise InvalidLink(str(exc)) from exc


def decision_url(step_id: int, nonce: str, decision: str) -> str:
    """An absolute URL for the emailed link (BASE_URL + the confirmation page)."""
    return settings.BASE_URL + reverse("casework:approval-link", args=[make_token(step_id, nonce, decision)])
