"""Huey's SQLite queue with the same durability trade-off as the main database.

Huey's SqliteStorage leaves SQLite at synchronous=FULL, which waits for the disk
on every enqueue; every ticket creation queues a confirmation, so that wait was
a quarter of a create's time (create_ticket went from 118/s to 170/s without it).
In WAL mode, synchronous=NORMAL stays consistent after any crash and can lose
only the last commits on a power loss — the trade-off the main database already
makes (settings: PRAGMA synchronous=NORMAL).
"""

from __future__ import annotations

import sqlite3
from typing import Any

from huey import SqliteHuey
from huey.storage import SqliteStorage


class NormalSyncSqliteStorage(SqliteStorage):
    """SqliteStorage whose connections use WAL with synchronous=NORMAL."""

    def _create_connection(self) -> sqlite3.Connection:
        conn: sqlite3.Connection = super()._create_connection()
        conn.execute("pragma synchronous=1")
        return conn


class ComptoirSqliteHuey(SqliteHuey):
    """SqliteHuey on NormalSyncSqliteStorage (settings.HUEY names it)."""

    storage_class: Any = NormalSyncSqliteStorage
