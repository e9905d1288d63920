"""Check the email parser against a corpus of real-world mails with expected results.

Usage: ``python -m comptoir.channels.email.conformance CORPUS_DIR [-q] [--attachment-names]``

CORPUS_DIR is either one folder of raw mails + expectation files or a folder whose
sub-folders are such corpora (as ``../shared/corpus``). The corpus ships its own
checker, ``conformance.py``; when present we load its expectation reader and
comparison so our verdicts are exactly the corpus's, and feed it the JSON that
``comptoir parse-email`` prints (``ParsedEmail.to_json_dict``), computed in-process
instead of one subprocess per mail. The last line printed is ``N passed, M failed``.
"""

from __future__ import annotations

import argparse
import importlib.util
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

from comptoir.channels.email.parsing import EmailParseError, parse_email


def load_checker(corpus: Path) -> ModuleType:
    """The corpus's own checker module (conformance.py beside or above the mail folders)."""
    for folder in (corpus, corpus.parent):
        candidate = folder / "conformance.py"
        if candidate.is_file():
            spec = importlib.util.spec_from_file_location("_corpus_conformance", candidate)
            if spec is None or spec.loader is None:
                continue
            module = importlib.util.module_from_spec(spec)
            spec.loader.exec_module(module)
            return module
    raise SystemExit(f"no conformance.py checker found in {corpus} or its parent")


def parse_output(path: str) -> tuple[dict[str, Any] | None, str | None]:
    """What `comptoir parse-email PATH` would print, or the error it would report."""
    try:
        with open(path, "rb") as fh:
            raw = fh.read()
    except OSError as exc:
        return None, f"cannot read: {exc}"
    try:
        return parse_email(raw).to_json_dict(), None
    except EmailParseError as exc:
        return None, f"not an email: {exc}"


def collect_cases(checker: ModuleType, corpus: Path) -> list[tuple[str, str, dict[str, Any]]]:
    cases = list(checker.find_cases(str(corpus)))
    if cases:
        return cases
    for sub in sorted(p for p in corpus.iterdir() if p.is_dir()):
        cases.extend((f"{sub.name}/{stem}", raw, exp) for stem, raw, exp in checker.find_cases(str(sub)))
    return cases


def run(corpus: Path, *, attachment_names: bool = False, quiet: bool = False) -> tuple[int, int]:
    """Check every case; print failures (unless quiet) and the closing summary line."""
    checker = load_checker(corpus)
    passed = failed = 0
    for stem, raw, expected in collect_cases(checker, corpus):
        got, error = parse_output(raw)
        errors = [error] if error else checker.compare(expected, got, attachment_names)
        if errors:
            failed += 1
            if not quiet:
                print(f"FAIL {stem}")
                for line in errors:
                    print(f"    {line}")
        else:
            passed += 1
    print(f"{passed} passed, {failed} failed")
    return passed, failed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--attachment-names", action="store_true")
    parser.add_argument("-q", "--quiet", action="store_true")
    args = parser.parse_args(argv)
    if not args.corpus.is_dir():
        print(f"no corpus folder at {args.corpus}", file=sys.stderr)
        return 2
    _passed, failed = run(args.corpus, attachment_names=args.attachment_names, quiet=args.quiet)
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
