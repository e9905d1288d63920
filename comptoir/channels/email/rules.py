"""What the intake refuses before a message reaches a ticket: loops, header rules, floods.

Each check returns a verdict (state + reason) or None; inbound.py applies the
first verdict found. The checks only read.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache

from django.conf import settings
from django.utils import timezone

from comptoir.channels.email.models import HeaderAction, HeaderRule, InboundEmail, InboundState
from comptoir.channels.email.parsing import ParsedEmail
from comptoir.core.models import SupportAddress

LOOP_HEADER = "X-Comptoir-Loop"


@dataclass(frozen=True)
class Verdict:
    state: str
    reason: str


def instance_id() -> str:
    """This installation's identity, stamped on every outbound mail (X-Comptoir-Loop).

    COMPTOIR_INSTANCE_ID when set, else derived from SECRET_KEY, so two helpdesks
    mailing each other still talk while one never re-ingests its own mail.
    """
    configured = getattr(settings, "COMPTOIR_INSTANCE_ID", "")
    if configured:
        return str(configured)
    return hashlib.sha256(b"comptoir.instance:" + settings.SECRET_KEY.encode()).hexdigest()[:16]


def our_addresses() -> set[str]:
    """Every support address (lower-cased); mail from them is ours and never ingested."""
    return {a.lower() for a in SupportAddress.objects.values_list("email", flat=True)}


def check_loop(parsed: ParsedEmail, ours: set[str]) -> Verdict | None:
    stamp = parsed.headers.get(LOOP_HEADER.lower(), "")
    if stamp and stamp.strip() == instance_id():
        return Verdict(InboundState.SKIPPED, "own outbound mail (X-Comptoir-Loop)")
    if parsed.from_email and parsed.from_email.lower() in ours:
        return Verdict(InboundState.SKIPPED, "sent from one of our support addresses")
    return None


@lru_cache(maxsize=256)
def _compiled(pattern: str) -> re.Pattern[str] | None:
    try:
        return re.compile(pattern, re.IGNORECASE)
    except re.error:
        return None


def active_header_rules() -> list[HeaderRule]:
    return list(HeaderRule.objects.filter(active=True))


def check_header_rules(parsed: ParsedEmail, rules: list[HeaderRule]) -> Verdict | None:
    """The first active rule whose header is present and matches its pattern (empty = any value)."""
    for rule in rules:
        value = parsed.headers.get(rule.header.strip().lower())
        if value is None:
            continue
        regex = _compiled(rule.pattern) if rule.pattern else None
        if rule.pattern and (regex is None or not regex.search(value)):
            continue
        state = InboundState.SKIPPED if rule.action == HeaderAction.SKIP else InboundState.SPAM
        return Verdict(state, f"header rule: {rule.name}")
    return None


def new_tickets_per_hour_limit() -> int:
    return int(getattr(settings, "EMAIL_NEW_TICKETS_PER_SENDER_PER_HOUR", 20))


def check_sender_rate(from_email: str, *, now: datetime | None = None, recent: dict[str, int] | None = None) -> Verdict | None:
    """More than the hourly limit of new tickets from one address: hold the rest as spam.

    `recent` is a batch's memory of the counts (sender -> new tickets in the last hour):
    a sender's count is read once, and the intake adds the tickets it opens, so a
    batch does not count the same sender's mail again for every message.
    """
    limit = new_tickets_per_hour_limit()
    if not from_email or limit <= 0:
        return None
    sender = from_email.lower()
    count = recent.get(sender) if recent is not None else None
    if count is None:
        since = (now or timezone.now()) - timedelta(hours=1)
        count = InboundEmail.objects.filter(from_email=sender, received_at__gte=since, created_ticket=True).count()
        if recent is not None:
            recent[sender] = count
    if count >= limit:
        return Verdict(InboundState.SPAM, f"more than {limit} new tickets in an hour from this address")
    return None
