"""Timing helpers every suite uses, so numbers are measured and reported the same way.

Every series of timed calls also keeps its cold figure: the first call, made
right after the process's caches are emptied and its database connections
closed, as a freshly started worker meets it. Warm figures (p50/p95 after the
warm-up) say what a long-running server does; the cold one says what the first
request after a deploy or a restart costs. Both go into the table.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from typing import Any


class Samples(list[float]):
    """Milliseconds per warm call, plus `cold`: the first call with empty caches (None if not taken)."""

    cold: float | None = None


def row(suite: str, metric: str, value: float, unit: str, target: str = "", *, cold: float | None = None) -> dict[str, Any]:
    """One result row in the shape the runner expects (`cold` only when there is a cold figure)."""
    result: dict[str, Any] = {"suite": suite, "metric": metric, "value": float(value), "unit": unit, "target": target}
    if cold is not None:
        result["cold"] = float(cold)
    return result


def empty_caches() -> None:
    """Put the process back where it starts: no Django cache entries, no per-process caches, no connections."""
    from django.core.cache import cache
    from django.db import connections

    from comptoir.core.process_cache import clear_all

    cache.clear()
    clear_all()
    connections.close_all()


def time_calls(fn: Callable[[], Any], repeat: int, warmup: int = 3, *, cold: bool = True,
               clock: Callable[[], float] = time.perf_counter) -> Samples:
    """Milliseconds taken by each of `repeat` calls of fn, after `warmup` untimed calls.

    With `cold` (the default) the first warm-up call is timed after empty_caches()
    and kept as `samples.cold`; it is never mixed into the warm samples.
    `clock` (seconds) is there for tests.
    """
    samples = Samples()
    if cold:
        empty_caches()
        start = clock()
        fn()
        samples.cold = (clock() - start) * 1000
        warmup -= 1
    for _ in range(max(0, warmup)):
        fn()
    for _ in range(repeat):
        start = clock()
        fn()
        samples.append((clock() - start) * 1000)
    return samples


def percentile(samples: list[float], p: float) -> float:
    """The p-th percentile (0..100) by nearest rank; 0.0 for no samples."""
    if not samples:
        return 0.0
    ordered = sorted(samples)
    rank = max(1, math.ceil(p / 100 * len(ordered)))
    return ordered[rank - 1]


def latency_rows(suite: str, metric: str, samples: list[float], target_p95: str = "", *,
                 cold: float | None = None) -> list[dict[str, Any]]:
    """The p50 and p95 rows for a series of latencies in milliseconds, each with the series' cold figure.

    `cold` overrides the samples' own (a suite that knows a colder first call,
    such as the first request a freshly started server answers, passes it).
    """
    first = cold if cold is not None else getattr(samples, "cold", None)
    return [
        row(suite, f"{metric} p50", percentile(samples, 50), "ms", cold=first),
        row(suite, f"{metric} p95", percentile(samples, 95), "ms", target_p95, cold=first),
    ]
