"""The parser against real-world mails from other projects' suites (the shared corpus).

The corpus is third-party data kept outside the repository: it is found through
``COMPTOIR_EMAIL_CORPUS`` or ``../shared/corpus`` next to the repository, and the
test is skipped when neither exists.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from comptoir.channels.email import conformance

REPO_ROOT = Path(__file__).resolve().parents[3]


def corpus_dir() -> Path | None:
    configured = os.environ.get("COMPTOIR_EMAIL_CORPUS")
    candidate = Path(configured) if configured else REPO_ROOT.parent / "shared" / "corpus"
    return candidate if candidate.is_dir() else None


@pytest.mark.skipif(corpus_dir() is None, reason="no mail corpus (set COMPTOIR_EMAIL_CORPUS)")
def test_at_least_95_percent_of_the_corpus_parses_as_expected(capsys):
    passed, failed = conformance.run(corpus_dir(), quiet=True)
    summary = capsys.readouterr().out.strip().splitlines()[-1]
    assert summary == f"{passed} passed, {failed} failed"
    assert passed + failed > 0
    assert passed / (passed + failed) >= 0.95, summary
