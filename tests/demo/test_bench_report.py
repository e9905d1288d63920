"""The bench table puts each backend's figure for the same metric side by side."""

from __future__ import annotations

from bench.measure import latency_rows, percentile
from bench.report import merge, table


def test_rows_of_both_backends_share_one_line_per_metric():
    rows = {
        "sqlite": [{"suite": "core", "metric": "create", "value": 1200.0, "unit": "/s", "target": ">= 1500 /s"}],
        "postgres": [{"suite": "core", "metric": "create", "value": 900.0, "unit": "/s", "target": ">= 1500 /s"}],
    }

    entries = merge(rows)
    text = table(entries, ["sqlite", "postgres"])

    assert entries == [{"suite": "core", "metric": "create", "unit": "/s", "target": ">= 1500 /s",
                        "values": {"sqlite": 1200.0, "postgres": 900.0}}]
    assert "1,200 /s" in text.splitlines()[2] and "900 /s" in text.splitlines()[2]


def test_a_metric_missing_on_one_backend_shows_a_dash():
    entries = merge({"sqlite": [{"suite": "api", "metric": "p95", "value": 3.5, "unit": "ms", "target": ""}], "postgres": []})

    assert table(entries, ["sqlite", "postgres"]).splitlines()[2].split("|")[3].strip() == "-"


def test_p95_is_the_nearest_rank_of_the_samples():
    samples = [float(n) for n in range(1, 101)]

    assert percentile(samples, 95) == 95.0
    assert [r["metric"] for r in latency_rows("core", "list", samples, "<= 20 ms")] == ["list p50", "list p95"]
