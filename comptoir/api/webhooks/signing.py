"""HMAC-SHA256 signatures over the raw request body, as receivers verify them."""

from __future__ import annotations

import hashlib
import hmac
import secrets

SIGNATURE_HEADER = "X-Comptoir-Signature"
TIMESTAMP_HEADER = "X-Comptoir-Timestamp"
EVENT_HEADER = "X-Comptoir-Event"
DELIVERY_HEADER = "X-Comptoir-Delivery"


def new_secret() -> str:
    return "whsec_" + secrets.token_urlsafe(32)


def sign(secret: str, body: bytes) -> str:
    """The header value: `sha256=<hex of HMAC-SHA256(secret, body)>`."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def verify(secret: str, body: bytes, header: str) -> bool:
    """What a receiver does: recompute and compare in constant time."""
    return hmac.compare_digest(sign(secret, body), header or "")
