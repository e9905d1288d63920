"""What a figure was measured on: the commit, the machine and the database servers.

A benchmark figure without its commit and machine cannot be checked or
compared, so the runner records these next to every run (bench/results/ and
docs/benchmarks.md) rather than anyone typing them by hand.
"""

from __future__ import annotations

import os
import platform
import subprocess
from pathlib import Path
from typing import Any

PROJECT_ROOT = Path(__file__).resolve().parent.parent
# Files the bench itself writes: changing them does not make the measured code "modified".
OUTPUTS = ("docs/benchmarks.md", "bench/results")


def _git(*args: str) -> str:
    try:
        done = subprocess.run(["git", *args], cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=30, check=True)
    except (OSError, subprocess.SubprocessError):
        return ""
    return done.stdout.strip()


def commit() -> dict[str, Any]:
    """The measured commit, and whether tracked files differed from it (outputs of the bench excepted)."""
    full = _git("rev-parse", "HEAD")
    changes = _git("status", "--porcelain", "--untracked-files=no", "--", ".", *(f":!{p}" for p in OUTPUTS))
    return {"hash": full or "unknown", "short": full[:10] if full else "unknown", "modified": bool(changes)}


def _first_line_value(path: str, key: str) -> str:
    try:
        for line in Path(path).read_text(encoding="utf-8", errors="replace").splitlines():
            name, _, value = line.partition(":")
            if name.strip() == key:
                return value.strip()
    except OSError:
        pass
    return ""


def cpu_model() -> str:
    return _first_line_value("/proc/cpuinfo", "model name") or platform.processor() or platform.machine()


def memory_gib() -> float | None:
    """Total memory in GiB, from /proc/meminfo (None where there is no such file)."""
    total_kib = _first_line_value("/proc/meminfo", "MemTotal").removesuffix("kB").strip()
    return round(int(total_kib) / 1024**2, 1) if total_kib.isdigit() else None


def describe() -> dict[str, Any]:
    """The machine as the run found it, including its load when the run started (a shared machine shows it)."""
    try:
        load = [round(x, 2) for x in os.getloadavg()]
    except OSError:
        load = []
    return {
        "cpu": cpu_model(),
        "cores": os.cpu_count(),
        "memory_gib": memory_gib(),
        "python": platform.python_version(),
        "os": f"{platform.system()} {platform.release()}",
        "load_average_at_start": load,
    }


def database_version(connection: Any) -> str:
    """The server (or library) version of a Django connection, e.g. "SQLite 3.40.1" or "PostgreSQL 15.8"."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT sqlite_version()")
            return f"SQLite {cursor.fetchone()[0]}"
        if connection.vendor == "postgresql":
            cursor.execute("SHOW server_version")
            return f"PostgreSQL {cursor.fetchone()[0].split()[0]}"
    return connection.vendor
