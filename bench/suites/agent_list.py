"""The agent's ticket list: server time of /agent/tickets/ and of the views sidebar counts.

The list page is requested through Django's test Client (the whole stack:
middleware, session, view, template) against the bench database. The sidebar
counts and the dashboard are measured uncached too (the pages cache them for
30 s per agent); counts are one query of capped counts (COUNT over LIMIT 1000).
"""

from __future__ import annotations

from typing import Any

from bench.measure import latency_rows, time_calls

SUITE = "agent_list"
REPEAT = 60


def run(ctx: Any) -> list[dict[str, Any]]:
    from django.core.cache import cache
    from django.test import Client

    from comptoir.agent.lists import listing
    from comptoir.agent.lists.counting import capped_counts

    rows: list[dict[str, Any]] = []
    n = f"{ctx.tickets:,} tickets"
    for key in ("admin", "group_agent"):
        agent = ctx.agents[key]
        client = Client()
        client.force_login(agent)

        def get(path: str, client: Client = client) -> None:
            response = client.get(path)
            if response.status_code != 200:
                raise RuntimeError(f"{path} answered {response.status_code}")

        rows += latency_rows(SUITE, f"GET /agent/tickets/ ({key}, {n})", time_calls(lambda: get("/agent/tickets/"), REPEAT),
                             target_p95="<= 50 ms")
        rows += latency_rows(SUITE, f"GET /agent/tickets/?sort=priority ({key})",
                             time_calls(lambda: get("/agent/tickets/?sort=-priority"), REPEAT // 2))
        rows += latency_rows(SUITE, f"GET /agent/ dashboard, cached ({key})", time_calls(lambda: get("/agent/"), REPEAT // 2),
                             target_p95="<= 50 ms")

        def dashboard_uncached() -> None:
            cache.clear()
            get("/agent/")

        rows += latency_rows(SUITE, f"GET /agent/ dashboard, uncached ({key})", time_calls(dashboard_uncached, 10, warmup=1))

        views = listing.views_for(agent)

        def counts(agent: Any = agent, views: list[Any] = views) -> None:
            capped_counts({v.key: listing.view_tickets(agent, v) for v in views})

        rows += latency_rows(SUITE, f"sidebar counts, uncached ({key})", time_calls(counts, REPEAT // 2),
                             target_p95="<= 100 ms")
        cache.clear()
    return rows
