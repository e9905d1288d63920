"""The task queue: SQLite storage by default, Redis when REDIS_URL is set, immediate in tests.

Configured by settings.HUEY; tasks import `huey` from here and `comptoir worker`
runs the consumer, which finds every app's tasks.py.
"""

from huey.contrib.djhuey import HUEY as huey

__all__ = ["huey"]
