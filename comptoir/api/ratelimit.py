"""Per-token request budget: a fixed one-minute window counted in the Django cache.

The cache is Redis when REDIS_URL is set, so every web worker shares the count;
with the default local-memory cache each process counts on its own.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.core.cache import cache

from comptoir.api.errors import RateLimited

WINDOW_SECONDS = 60


def spend_request(bucket: str, *, now: float | None = None) -> None:
    """Count one request for `bucket`; raise RateLimited once the window's budget is spent."""
    limit = int(getattr(settings, "API_RATE_LIMIT_PER_MINUTE", 0) or 0)
    if limit <= 0:
        return
    now = time.time() if now is None else now
    window = int(now // WINDOW_SECONDS)
    key = f"comptoir:api-rate:{bucket}:{window}"
    if cache.add(key, 1, timeout=WINDOW_SECONDS + 30):
        count = 1
    else:
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add() and incr()
            cache.set(key, 1, timeout=WINDOW_SECONDS + 30)
            count = 1
    if count > limit:
        retry_after = max(1, WINDOW_SECONDS - int(now % WINDOW_SECONDS))
        raise RateLimited(retry_after)
