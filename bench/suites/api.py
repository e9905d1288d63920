"""REST API throughput and latency against `comptoir serve` (granian), through real HTTP.

* tickets created per second through POST /api/v1/tickets by 4 concurrent clients;
* p50/p95 of GET /api/v1/tickets?status=open (first page, admin token) at N tickets.

The server runs with the per-token rate limit off (COMPTOIR_API_RATE_LIMIT=0):
the limit is a guard for production, not part of what is measured.
"""

from __future__ import annotations

import threading
import time
from typing import Any

from bench.measure import latency_rows, row, time_calls

SUITE = "api"
CLIENTS = 4
CREATES_PER_CLIENT = 150


def _create_tickets(base_url: str, token: str, client_no: int, errors: list[str]) -> None:
    import httpx

    with httpx.Client(base_url=base_url, headers={"Authorization": f"Bearer {token}"}, timeout=30) as client:
        for n in range(CREATES_PER_CLIENT):
            response = client.post("/api/v1/tickets", json={
                "subject": f"Bench ticket {client_no}-{n}",
                "description": "Created by the API benchmark.",
                "contact": {"email": f"bench-api-{client_no}-{n % 50}@example.test", "name": "Bench Customer"},
                "priority": "normal",
                "assignee_id": None,
            })
            if response.status_code != 201:
                errors.append(f"{response.status_code} {response.text[:200]}")


def run(ctx: Any) -> list[dict[str, Any]]:
    import httpx

    from comptoir.api.tokens import issue_token, revoke_token

    admin = ctx.agents["admin"]
    token_row, token = issue_token(admin, "bench api")
    previous = ctx.env.get("COMPTOIR_API_RATE_LIMIT")
    ctx.env["COMPTOIR_API_RATE_LIMIT"] = "0"
    rows: list[dict[str, Any]] = []
    try:
        with ctx.serve(workers=2) as base_url:
            with httpx.Client(base_url=base_url, headers={"Authorization": f"Bearer {token}"}) as warm:
                # The cold figure: the first list a freshly started server answers.
                started = time.perf_counter()
                warm.get("/api/v1/tickets?status=open").raise_for_status()
                first_list_ms = (time.perf_counter() - started) * 1000
            errors: list[str] = []
            threads = [threading.Thread(target=_create_tickets, args=(base_url, token, i, errors)) for i in range(CLIENTS)]
            start = time.perf_counter()
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            elapsed = time.perf_counter() - start
            if errors:
                raise RuntimeError(f"{len(errors)} creates failed, first: {errors[0]}")
            rows.append(row(SUITE, f"POST /api/v1/tickets creates/s ({CLIENTS} clients)", CLIENTS * CREATES_PER_CLIENT / elapsed, "/s", ">= 750 /s"))

            with httpx.Client(base_url=base_url, headers={"Authorization": f"Bearer {token}"}) as client:
                def list_open() -> None:
                    client.get("/api/v1/tickets?status=open").raise_for_status()

                # Steady state: every server thread's connection first plans (then prepares) the
                # list's statements; a long-running server has long done that (decision 0004).
                samples = time_calls(list_open, repeat=100, warmup=30, cold=False)
            rows += latency_rows(SUITE, f"GET /api/v1/tickets?status=open at {ctx.tickets} tickets", samples,
                                 target_p95="<= 30 ms", cold=first_list_ms)
    finally:
        if previous is None:
            ctx.env.pop("COMPTOIR_API_RATE_LIMIT", None)
        else:
            ctx.env["COMPTOIR_API_RATE_LIMIT"] = previous
        revoke_token(token_row)
    return rows
