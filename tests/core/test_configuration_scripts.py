"""The variables of `make run`, `make test` and `make bench` are documented too, not only the app's.

tests/test_configuration_docs.py checks what comptoir/ reads; an operator also
meets the scripts, the benchmarks and the test suite's own knobs.
"""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
SHELL_VAR = re.compile(r"\$\{([A-Z][A-Z0-9_]+)[:}-]")
MAKE_VAR = re.compile(r"^(?:export\s+)?([A-Z][A-Z0-9_]+)\s*\?=", re.MULTILINE)
PYTHON_VAR = re.compile(r"""os\.environ(?:\.get\(|\[)\s*["']([A-Z][A-Z0-9_]+)["']""")
# Set inside the scripts for the commands they call, not read from the operator.
# Set by the tools themselves (pytest-xdist, apt), or documented in the main table.
INTERNAL = {"DATABASE_URL", "REDIS_URL", "DEBIAN_FRONTEND", "PYTEST_XDIST_WORKER"}


def _documented() -> set[str]:
    return set(re.findall(r"`([A-Z][A-Z0-9_]+)`", (ROOT / "docs" / "configuration.md").read_text(encoding="utf-8")))


def test_script_and_makefile_variables_are_documented():
    used = set(MAKE_VAR.findall((ROOT / "Makefile").read_text(encoding="utf-8")))
    for script in (ROOT / "scripts").glob("*.sh"):
        used |= set(SHELL_VAR.findall(script.read_text(encoding="utf-8")))
    used -= INTERNAL | {"BIN", "VENV", "STAMP", "CORPUS"}
    assert {"COMPTOIR_ADMIN_EMAIL", "COMPTOIR_TEST_JOBS"} <= used, "the scan found too little; the patterns are broken"
    assert sorted(used - _documented()) == []


def test_benchmark_and_test_suite_variables_are_documented():
    used: set[str] = set()
    for folder in ("bench", "tests"):
        for path in (ROOT / folder).rglob("*.py"):
            used |= set(PYTHON_VAR.findall(path.read_text(encoding="utf-8")))
    assert "COMPTOIR_BENCH_DB_NAME" in used, "the scan found too little; the pattern is broken"
    assert sorted(used - INTERNAL - _documented()) == []
