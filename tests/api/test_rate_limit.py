"""Per-token rate limiting: a fixed one-minute window, 429 with Retry-After."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def test_the_request_after_the_budget_gets_429_with_retry_after(api, team, settings):
    settings.API_RATE_LIMIT_PER_MINUTE = 3
    statuses = [api.get("/tickets", team.token("agent")).status_code for _ in range(4)]
    assert statuses[:3] == [200, 200, 200]
    last = api.get("/tickets", team.token("agent"))
    assert last.status_code == 429
    assert 1 <= int(last["Retry-After"]) <= 60
    assert last.json()["error"]["code"] == "rate_limited"


def test_each_token_has_its_own_budget(api, team, settings):
    settings.API_RATE_LIMIT_PER_MINUTE = 2
    for _ in range(3):
        api.get("/tickets", team.token("agent"))
    assert api.get("/tickets", team.token("supervisor")).status_code == 200


def test_a_new_window_restores_the_budget(team, settings):
    from comptoir.api.errors import RateLimited
    from comptoir.api.ratelimit import spend_request

    settings.API_RATE_LIMIT_PER_MINUTE = 1
    bucket = f"test:{team.token('agent')}"
    spend_request(bucket, now=6000.0)
    with pytest.raises(RateLimited):
        spend_request(bucket, now=6030.0)
    spend_request(bucket, now=6061.0)
