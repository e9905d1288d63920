"""Timing helpers every suite uses, so numbers are measured and reported the same way."""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from typing import Any


def row(suite: str, metric: str, value: float, unit: str, target: str = "") -> dict[str, Any]:
    """One result row in the shape the runner expects."""
    return {"suite": suite, "metric": metric, "value": float(value), "unit": unit, "target": target}


def time_calls(fn: Callable[[], Any], repeat: int, warmup: int = 3) -> list[float]:
    """Milliseconds taken by each of `repeat` calls of fn, after `warmup` untimed calls."""
    for _ in range(warmup):
        fn()
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def percentile(samples: list[float], p: float) -> float:
    """The p-th percentile (0..100) by nearest rank; 0.0 for no samples."""
    if not samples:
        return 0.0
    ordered = sorted(samples)
    rank = max(1, math.ceil(p / 100 * len(ordered)))
    return ordered[rank - 1]


def latency_rows(suite: str, metric: str, samples: list[float], target_p95: str = "") -> list[dict[str, Any]]:
    """The p50 and p95 rows for a series of latencies in milliseconds."""
    return [
        row(suite, f"{metric} p50", percentile(samples, 50), "ms"),
        row(suite, f"{metric} p95", percentile(samples, 95), "ms", target_p95),
    ]
