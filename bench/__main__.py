"""`python -m bench`: fill a bench database per backend, run every suite, print and publish one table.

Each backend runs in a child process of its own (`--worker`), because Django is
configured once per process from environment variables. The parent records the
commit and the machine, writes bench/results/<date>-<commit>.json and the table
in docs/benchmarks.md (bench/report.py).
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import pkgutil
import subprocess
import sys
import time
import traceback
from pathlib import Path
from typing import Any

from bench import databases, machine, report

PROJECT_ROOT = Path(__file__).resolve().parent.parent
SIZE_VARIABLES = ("COMPTOIR_BENCH_EMAIL_MESSAGES",)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description="Comptoir benchmarks (see bench/README.md).")
    parser.add_argument("--tickets", type=int, default=100_000, help="fill the bench database to this many tickets (default 100000)")
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default=None,
                        help="backend(s); default both when PostgreSQL is reachable, else sqlite")
    parser.add_argument("--only", default="", help="comma-separated suite names (modules of bench/suites/)")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--out", default="", help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.worker:
        return run_worker(args)
    return run_parent(args, argv)


def run_parent(args: argparse.Namespace, argv: list[str] | None = None) -> int:
    suite_names(args.only)  # an unknown suite name stops here, before any database work
    # Taken before any work: the commit measured, and the machine's load as the run found it.
    started = time.gmtime()
    run_info: dict[str, Any] = {"commit": machine.commit(), "date": time.strftime("%Y-%m-%d", started),
                                "at": time.strftime("%Y-%m-%d %H:%M UTC", started), "machine": machine.describe()}
    reachable = databases.postgres_reachable()
    if args.db is None:
        backends = ["sqlite", "postgres"] if reachable else ["sqlite"]
    else:
        backends = ["sqlite", "postgres"] if args.db == "both" else [args.db]
    if "postgres" in backends and not reachable:
        if args.db == "postgres":
            print(f"PostgreSQL is not reachable at {databases.server_url()}.", file=sys.stderr)
            return 2
        print("PostgreSQL is not reachable: SQLite only.", file=sys.stderr)
        backends = ["sqlite"]

    rows_by_backend: dict[str, list[dict[str, Any]]] = {}
    versions: dict[str, str] = {}
    for backend in backends:
        print(f"==> {backend}: {args.tickets:,} tickets", file=sys.stderr, flush=True)
        if backend == "postgres":
            databases.ensure_postgres_database()
        out = databases.data_dir() / f"rows-{backend}.json"
        out.unlink(missing_ok=True)
        env = {**os.environ, **databases.backend_env(backend)}
        cmd = [sys.executable, "-m", "bench", "--worker", "--db", backend, "--tickets", str(args.tickets), "--out", str(out)]
        if args.only:
            cmd += ["--only", args.only]
        code = subprocess.call(cmd, env=env, cwd=PROJECT_ROOT)
        if code != 0 or not out.exists():
            print(f"!! the {backend} run failed (exit {code})", file=sys.stderr)
            rows_by_backend[backend] = []
            continue
        produced = json.loads(out.read_text())
        rows_by_backend[backend] = produced["rows"]
        versions[backend] = produced["database"]

    entries = report.merge(rows_by_backend)
    print()
    print(report.table(entries, backends))
    for entry in entries:
        for backend, error in entry.get("errors", {}).items():
            print(f"!! {entry['suite']} on {backend}: {error}")
    # The size knobs read from the environment belong to the command that reproduces the run.
    knobs = [f"{name}={os.environ[name]}" for name in SIZE_VARIABLES if os.environ.get(name)]
    command = " ".join([*knobs, "python -m bench", *(sys.argv[1:] if argv is None else argv)])
    run_info["databases"] = versions
    run_info["params"] = {"tickets": args.tickets, "backends": backends, "only": args.only, "command": command,
                          "email_messages": int(os.environ.get("COMPTOIR_BENCH_EMAIL_MESSAGES", "10000"))}
    path = report.save(entries, run_info)
    shown = str(path.relative_to(PROJECT_ROOT)) if path.is_relative_to(PROJECT_ROOT) else str(path)
    failed = [b for b, rows in rows_by_backend.items() if not rows]
    if failed:
        # Recorded, but a run that lost a backend does not replace the published table.
        print(f"\nSaved to {shown}; docs/benchmarks.md left as it was ({', '.join(failed)} failed)")
        return 1
    docs = report.write_docs(entries, run_info, shown)
    print(f"\nSaved to {shown}; table written into {docs.relative_to(PROJECT_ROOT) if docs.is_relative_to(PROJECT_ROOT) else docs}")
    return 0


def suite_names(only: str) -> list[str]:
    """Suite modules in bench/suites/, `core` first; restricted to `only` when given."""
    import bench.suites

    names = sorted(m.name for m in pkgutil.iter_modules(bench.suites.__path__) if not m.name.startswith("_"))
    names.sort(key=lambda n: (n != "core", n))
    wanted = {n.strip() for n in only.split(",") if n.strip()}
    unknown = wanted - set(names)
    if unknown:
        raise SystemExit(f"Unknown suite(s): {', '.join(sorted(unknown))}; available: {', '.join(names)}")
    return [n for n in names if not wanted or n in wanted]


def run_worker(args: argparse.Namespace) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "comptoir.settings")
    import django

    django.setup()
    from django.core.management import call_command

    from bench.context import BENCH_PASSWORD, BenchContext
    from bench.generate import fill
    from bench.machine import database_version

    names = suite_names(args.only)
    started = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    print(f"  migrated ({time.perf_counter() - started:.1f} s)", file=sys.stderr)
    staff = fill(args.tickets, password=BENCH_PASSWORD)
    env = dict(databases.backend_env(args.db))
    ctx = BenchContext(backend=args.db, tickets=args.tickets, agents=staff.agents, groups=staff.groups,
                       departments=staff.departments, env=env)
    rows: list[dict[str, Any]] = []
    for name in names:
        print(f"  suite {name} ...", file=sys.stderr, flush=True)
        t0 = time.perf_counter()
        try:
            run = getattr(importlib.import_module(f"bench.suites.{name}"), "run", None)
            if run is None:
                continue
            produced = list(run(ctx))
        except Exception as exc:
            traceback.print_exc()
            produced = [{"suite": name, "metric": "error", "value": None, "unit": "", "target": "",
                         "error": f"{type(exc).__name__}: {exc}"}]
        rows.extend(produced)
        print(f"  suite {name}: {len(produced)} rows ({time.perf_counter() - t0:.1f} s)", file=sys.stderr, flush=True)
    from django.db import connection

    Path(args.out).write_text(json.dumps({"database": database_version(connection), "rows": rows}, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
