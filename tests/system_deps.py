"""The one place a test gives up because the machine lacks something (Chromium, Dovecot, the corpus).

On a developer's laptop a missing system package is a skip: the rest of the
suite is still worth running. In CI (the `CI` environment variable set, as every
CI service does) the same absence is a failure: a run where whole suites turned
into skips must not come out green. Every such check goes through
`require_system`, so no fixture can quietly keep skipping in CI.
"""

from __future__ import annotations

import os
from typing import NoReturn

import pytest

#: Values of CI that mean "not in CI" (someone exporting CI=false on a laptop).
_FALSE = {"", "0", "false", "no", "off"}


def in_ci() -> bool:
    """Whether this run is a CI run, where nothing the suite needs may be missing."""
    return os.environ.get("CI", "").strip().lower() not in _FALSE


def require_system(name: str, reason: str) -> NoReturn:
    """Stop the current test because `name` is missing: a failure in CI, a skip elsewhere."""
    message = f"{name} is missing: {reason}"
    if in_ci():
        pytest.fail(f"{message} (CI is set, so a missing system dependency fails the run)", pytrace=False)
    pytest.skip(message)
