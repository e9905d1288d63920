"""What a suite receives: the backend, the size, prepared agents and a way to serve the app."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

BENCH_PASSWORD = "bench-password"
PROJECT_ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    """A TCP port nobody listens on right now (the OS picks it)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class BenchContext:
    backend: str
    tickets: int
    agents: dict[str, Any]
    groups: list[Any] = field(default_factory=list)
    departments: list[Any] = field(default_factory=list)
    env: dict[str, str] = field(default_factory=dict)
    password: str = BENCH_PASSWORD

    @contextmanager
    def serve(self, workers: int = 2, timeout: float = 60.0) -> Iterator[str]:
        """Run `comptoir serve` on a free port against the bench database; yields the base URL."""
        port = free_port()
        env = {**os.environ, **self.env}
        process = subprocess.Popen(
            [sys.executable, "-m", "comptoir", "serve", "--host", "127.0.0.1", "--port", str(port), "--workers", str(workers)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            start_new_session=True,
            cwd=PROJECT_ROOT,
        )
        base_url = f"http://127.0.0.1:{port}"
        try:
            _wait_until_up(base_url, process, timeout)
            yield base_url
        finally:
            _stop(process)


def _wait_until_up(base_url: str, process: subprocess.Popen[bytes], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            error = process.stderr.read().decode(errors="replace") if process.stderr else ""
            raise RuntimeError(f"comptoir serve exited early ({process.returncode}): {error[-2000:]}")
        try:
            urllib.request.urlopen(base_url + "/", timeout=2)
            return
        except urllib.error.HTTPError:
            return  # it answered, even if with 3xx/4xx
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.2)
    _stop(process)
    raise RuntimeError(f"comptoir serve did not answer on {base_url} within {timeout:.0f}s")


def _stop(process: subprocess.Popen[bytes]) -> None:
    """Stop the server and its workers (it runs in a session of its own that we started)."""
    import signal

    if process.poll() is not None:
        return
    try:
        os.killpg(process.pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=5)
