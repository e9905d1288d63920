"""No edge builds its own "signed-in active agent" gate: core/access.py is the only one.

Four copies of that check had drifted apart (one let any signed-in user through,
one tested a role instead of a capability). This test reads the package with
`ast` and fails when a module other than core/access.py reaches for Django's
own gate pieces, which is how a copy starts.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "comptoir"
GATE_PIECES = frozenset({
    "login_required", "user_passes_test", "permission_required", "redirect_to_login",
    "LoginRequiredMixin", "UserPassesTestMixin", "PermissionRequiredMixin",
})
THE_GATE = "core/access.py"


def gate_pieces_used(source: str) -> list[tuple[int, str]]:
    """(line, name) of every import or use of a gate piece in `source`."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom):
            found += [(node.lineno, alias.name) for alias in node.names if alias.name in GATE_PIECES]
        elif isinstance(node, ast.Attribute) and node.attr in GATE_PIECES:
            found.append((node.lineno, node.attr))
    return found


def test_only_core_access_uses_djangos_gate_pieces():
    offenders = []
    for path in sorted(PACKAGE.rglob("*.py")):
        relative = path.relative_to(PACKAGE).as_posix()
        if relative == THE_GATE or "migrations" in path.parts:
            continue
        offenders += [f"comptoir/{relative}:{line} {name}" for line, name in gate_pieces_used(path.read_text(encoding="utf-8"))]
    assert offenders == [], "Use comptoir.core.access.agent_required instead:\n" + "\n".join(offenders)


def test_the_check_sees_a_copied_gate():
    copied = (
        "from django.contrib.auth.decorators import login_required\n"
        "from django.contrib.auth import views\n"
        "def gate(request):\n"
        "    return views.redirect_to_login(request.path)\n"
    )
    assert gate_pieces_used(copied) == [(1, "login_required"), (4, "redirect_to_login")]
