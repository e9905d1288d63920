"""Where each backend's bench database lives, and how a child process is pointed at it."""

from __future__ import annotations

import os
from pathlib import Path

BENCH_DB_NAME = os.environ.get("COMPTOIR_BENCH_DB_NAME", "comptoir_bench")
DEFAULT_POSTGRES_URL = "postgres://postgres@127.0.0.1:5432/postgres"


def data_dir() -> Path:
    """var/bench under the data directory (COMPTOIR_DATA_DIR, else ./var)."""
    base = Path(os.environ.get("COMPTOIR_DATA_DIR") or Path(__file__).resolve().parent.parent / "var")
    path = base.resolve() / "bench"
    path.mkdir(parents=True, exist_ok=True)
    return path


def server_url() -> str:
    """The PostgreSQL server's maintenance database URL (COMPTOIR_BENCH_POSTGRES_URL overrides)."""
    return os.environ.get("COMPTOIR_BENCH_POSTGRES_URL", DEFAULT_POSTGRES_URL)


def postgres_bench_url() -> str:
    base = server_url()
    return base.rsplit("/", 1)[0] + "/" + BENCH_DB_NAME


def postgres_reachable(timeout: int = 2) -> bool:
    try:
        import psycopg

        with psycopg.connect(server_url(), connect_timeout=timeout):
            return True
    except Exception:
        return False


def ensure_postgres_database() -> None:
    """Create the comptoir_bench database when it does not exist yet."""
    import psycopg

    with psycopg.connect(server_url(), autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (BENCH_DB_NAME,)).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{BENCH_DB_NAME}"')


def backend_env(backend: str) -> dict[str, str]:
    """Environment variables that make Django (and `comptoir serve`) use this backend's bench database."""
    directory = data_dir()
    env = {
        "DJANGO_SETTINGS_MODULE": "comptoir.settings",
        "COMPTOIR_HUEY_PATH": str(directory / f"huey-{backend}.sqlite3"),
        "COMPTOIR_MEDIA_ROOT": str(directory / "media"),
        "COMPTOIR_HUEY_IMMEDIATE": "0",
    }
    if backend == "sqlite":
        env["DATABASE_URL"] = ""
        env["COMPTOIR_SQLITE_PATH"] = str(directory / "bench-sqlite.sqlite3")
    elif backend == "postgres":
        env["DATABASE_URL"] = postgres_bench_url()
    else:
        raise ValueError(f"Unknown backend {backend!r}")
    return env
