"""The parser against real-world mails from other projects' suites (the shared corpus).

The corpus is third-party data kept outside the repository: it is found through
``COMPTOIR_EMAIL_CORPUS`` or ``../shared/corpus`` next to the repository (never a
path of one machine). When neither exists the test is skipped, and fails when CI
is set (tests/system_deps.py): `make test` must not go green without it.
"""

from __future__ import annotations

import os
from pathlib import Path

from comptoir.channels.email import conformance
from tests.system_deps import require_system

REPO_ROOT = Path(__file__).resolve().parents[3]


def corpus_dir() -> Path | None:
    configured = os.environ.get("COMPTOIR_EMAIL_CORPUS")
    candidate = Path(configured) if configured else REPO_ROOT.parent / "shared" / "corpus"
    return candidate if candidate.is_dir() else None


def test_at_least_95_percent_of_the_corpus_parses_as_expected(capsys):
    corpus = corpus_dir()
    if corpus is None:
        require_system("mail corpus", "no directory at COMPTOIR_EMAIL_CORPUS or ../shared/corpus")
    passed, failed = conformance.run(corpus, quiet=True)
    summary = capsys.readouterr().out.strip().splitlines()[-1]
    assert summary == f"{passed} passed, {failed} failed"
    assert passed + failed > 0
    assert passed / (passed + failed) >= 0.95, summary
