"""CI stays honest: a missing Chromium, Dovecot, mail corpus, PostgreSQL or Redis fails a CI run.

Each scenario runs the real suite's own tests (or scripts/test.sh) in a child
process with one system dependency taken away: with CI set the run must fail,
without it the same test is skipped, as on a developer's laptop.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from xml.etree import ElementTree

import pytest

from tests.system_deps import require_system

ROOT = Path(__file__).resolve().parent.parent

# One test per system dependency, each needing it through the suite's real fixture or check.
NEEDS = {
    "chromium": "tests/browser/test_ticket_flow.py::test_agent_signs_in",
    "dovecot": "tests/channels/email/test_imap.py::test_the_password_is_stored_encrypted",
    "mail corpus": "tests/channels/email/test_conformance.py::test_at_least_95_percent_of_the_corpus_parses_as_expected",
}

# Loaded with -p in the child: points the dovecot fixture at an executable that does not exist.
HIDE_DOVECOT = '''
import sys


def pytest_runtest_setup(item):
    sys.modules["tests.channels.email.conftest"].DOVECOT = "{missing}"
'''


@dataclass
class ChildRun:
    returncode: int
    output: str
    outcomes: dict[str, tuple[str, str]]  # test name -> (outcome, message), from the JUnit report


def _run_without_system_deps(tmp: Path, ci: str) -> ChildRun:
    """The three tests above in a child pytest, with Chromium, Dovecot and the corpus all absent."""
    (tmp / "hide_dovecot.py").write_text(HIDE_DOVECOT.format(missing=tmp / "no-dovecot"))
    env = {
        **os.environ,
        "CI": ci,
        "COMPTOIR_CHROMIUM": str(tmp / "no-chromium"),
        "COMPTOIR_EMAIL_CORPUS": str(tmp / "no-corpus"),
        "PYTHONPATH": os.pathsep.join([str(tmp), str(ROOT)]),
        # Its own in-memory SQLite and no Redis: two xdist workers may run this child at once.
        "DATABASE_URL": "",
        "REDIS_URL": "",
    }
    env.pop("PYTEST_XDIST_WORKER", None)
    report = tmp / "report.xml"
    command = [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-n", "0", "-p", "hide_dovecot",
               f"--junitxml={report}", *NEEDS.values()]
    run = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    outcomes = {}
    for case in ElementTree.parse(report).iter("testcase"):
        results = [child for child in case if child.tag in ("failure", "error", "skipped")]
        outcome = results[0].tag if results else "passed"
        outcomes[case.get("name", "")] = (outcome, results[0].get("message", "") if results else "")
    return ChildRun(run.returncode, run.stdout + run.stderr, outcomes)


@pytest.fixture(scope="module")
def ci_run(tmp_path_factory) -> ChildRun:
    return _run_without_system_deps(tmp_path_factory.mktemp("ci"), ci="1")


@pytest.fixture(scope="module")
def laptop_run(tmp_path_factory) -> ChildRun:
    return _run_without_system_deps(tmp_path_factory.mktemp("laptop"), ci="")


def _outcome(run: ChildRun, name: str) -> tuple[str, str]:
    """How the test that needs `name` ended in the child run, and its message."""
    test_name = NEEDS[name].rsplit("::", 1)[1]
    assert test_name in run.outcomes, run.output[-3000:]
    return run.outcomes[test_name]


@pytest.mark.parametrize("name", sorted(NEEDS))
def test_in_ci_a_missing_system_dependency_fails_the_test(ci_run, name):
    outcome, message = _outcome(ci_run, name)
    assert outcome in ("failure", "error"), (outcome, message)
    assert f"{name} is missing" in message and "CI is set" in message


def test_in_ci_a_run_missing_system_dependencies_exits_with_failure(ci_run):
    assert ci_run.returncode == 1, ci_run.output[-3000:]


@pytest.mark.parametrize("name", sorted(NEEDS))
def test_outside_ci_a_missing_system_dependency_skips_the_test(laptop_run, name):
    outcome, message = _outcome(laptop_run, name)
    assert outcome == "skipped", (outcome, message)
    assert f"{name} is missing" in message


def test_outside_ci_a_run_missing_system_dependencies_still_passes(laptop_run):
    assert laptop_run.returncode == 0, laptop_run.output[-3000:]


@pytest.mark.parametrize(("ci", "fails"), [("1", True), ("true", True), ("", False), ("0", False), ("false", False)])
def test_the_ci_variable_decides_between_failure_and_skip(monkeypatch, ci, fails):
    monkeypatch.setenv("CI", ci)
    expected = pytest.fail.Exception if fails else pytest.skip.Exception
    with pytest.raises(expected, match="chromium is missing: not here"):
        require_system("chromium", "not here")


# scripts/test.sh ---------------------------------------------------------------------------------


def _closed_url(scheme: str) -> str:
    """A URL on a local port nobody listens on."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"{scheme}://postgres@127.0.0.1:{port}/test" if scheme == "postgres" else f"{scheme}://127.0.0.1:{port}/15"


def _make_test_in_ci(**env: str) -> subprocess.CompletedProcess[str]:
    """scripts/test.sh with CI set; it must stop at its service checks, long before the suite."""
    process = subprocess.Popen(["bash", "scripts/test.sh"], cwd=ROOT, env={**os.environ, "CI": "1", **env},
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)
    try:
        stdout, stderr = process.communicate(timeout=120)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)  # the session we started: the script and its children
        process.communicate()
        pytest.fail("scripts/test.sh went on past an unreachable service with CI set")
    return subprocess.CompletedProcess(process.args, process.returncode, stdout, stderr)


def test_in_ci_an_unreachable_postgresql_fails_make_test_before_the_suite_runs():
    result = _make_test_in_ci(COMPTOIR_TEST_POSTGRES_URL=_closed_url("postgres"))
    assert result.returncode == 1
    assert "PostgreSQL (COMPTOIR_TEST_POSTGRES_URL) is not reachable (CI is set: failing)" in result.stderr
    assert "==> Lint" not in result.stdout


def test_in_ci_an_unreachable_redis_fails_make_test_before_the_suite_runs():
    pg_url = os.environ.get("COMPTOIR_TEST_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/test")
    reachable = subprocess.run([sys.executable, "scripts/reachable.py", "postgres", pg_url], cwd=ROOT, check=False)
    if reachable.returncode != 0:
        require_system("postgresql", "scripts/test.sh checks PostgreSQL before Redis")
    result = _make_test_in_ci(COMPTOIR_TEST_REDIS_URL=_closed_url("redis"))
    assert result.returncode == 1
    assert "Redis (COMPTOIR_TEST_REDIS_URL) is not reachable (CI is set: failing)" in result.stderr
    assert "==> Lint" not in result.stdout
