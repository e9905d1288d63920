"""Per-process memory of rarely changing rows (statuses, departments, webhook subscriptions).

Hot paths such as ticket creation read these on every call; a query each time
was a third of a create's cost. Entries expire after a few seconds, so a change
made by another process (another web worker, the background worker) is seen
shortly after, and at once in the process that made it, which calls clear().
"""

from __future__ import annotations

import functools
import time
from collections.abc import Callable, Hashable
from typing import Any, Generic, ParamSpec, TypeVar

P = ParamSpec("P")
R = TypeVar("R")

_all_caches: list[ProcessCache[Any, Any]] = []


class ProcessCache(Generic[P, R]):
    """A function's results kept for `seconds` per argument tuple."""

    def __init__(self, fn: Callable[P, R], seconds: float) -> None:
        self.fn = fn
        self.seconds = seconds
        self.entries: dict[Hashable, tuple[R, float]] = {}
        functools.update_wrapper(self, fn)
        _all_caches.append(self)

    def __call__(self, *args: P.args, **kwargs: P.kwargs) -> R:
        key = (args, tuple(sorted(kwargs.items())))
        now = time.monotonic()
        hit = self.entries.get(key)
        if hit is not None and hit[1] > now:
            return hit[0]
        value = self.fn(*args, **kwargs)
        self.entries[key] = (value, now + self.seconds)
        return value

    def clear(self) -> None:
        self.entries.clear()


def process_cached(seconds: float) -> Callable[[Callable[P, R]], ProcessCache[P, R]]:
    """Decorator: remember the function's result per arguments for `seconds` in this process."""

    def wrap(fn: Callable[P, R]) -> ProcessCache[P, R]:
        return ProcessCache(fn, seconds)

    return wrap


def clear_all() -> None:
    """Forget every cached entry (tests call it between tests; a rolled-back row must not linger)."""
    for cache in _all_caches:
        cache.clear()
