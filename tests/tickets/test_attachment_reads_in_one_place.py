"""The edges never build their own attachment filter: they read files through queries.visible_attachments().

A second copy of the rule (one in an API router, one in an agent tab) is how
an internal note's file ends up in front of a customer the day one copy
changes and the other does not.
"""

from __future__ import annotations

import re
from pathlib import Path

import comptoir

EDGES = ("agent", "api", "portal", "admin_center")
OWN_QUERY = re.compile(r"\bAttachment\.objects\b|\.attachments\.(?:filter|exclude|get)\(")


def test_no_edge_queries_attachments_on_its_own():
    root = Path(comptoir.__file__).parent
    offenders = [
        f"{path.relative_to(root)}:{number}"
        for edge in EDGES
        for path in sorted((root / edge).rglob("*.py"))
        if "migrations" not in path.parts
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if OWN_QUERY.search(line)
    ]
    assert offenders == []
