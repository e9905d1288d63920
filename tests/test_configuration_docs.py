"""Every environment variable the code reads is documented in docs/configuration.md."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
READ = re.compile(r"""(?:os\.environ\.get|env_bool|env_int|env_str|os\.getenv|os\.environ\[)\(?\s*["']([A-Z][A-Z0-9_]+)["']""")


def test_every_environment_variable_is_documented():
    used = set()
    for path in (ROOT / "comptoir").rglob("*.py"):
        used |= set(READ.findall(path.read_text(encoding="utf-8")))
    documented = set(re.findall(r"`([A-Z][A-Z0-9_]+)`", (ROOT / "docs" / "configuration.md").read_text(encoding="utf-8")))
    assert used, "the scan found no variables; the pattern is broken"
    assert sorted(used - documented) == []
