"""The write-path contract (scripts/check_writes.py): model writes only in actions and history modules.

Like the import contract, it must fail on a deliberate breach and pass on the
real tree; these tests feed it small trees and the repository itself.
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "scripts" / "check_writes.py"


def _load_checker():
    spec = importlib.util.spec_from_file_location("check_writes", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["check_writes"] = module
    spec.loader.exec_module(module)
    return module


check_writes = _load_checker()


def _tree(tmp_path: Path, files: dict[str, str]) -> Path:
    for relative, source in files.items():
        path = tmp_path / "comptoir" / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(source), encoding="utf-8")
    return tmp_path


def test_a_view_that_updates_tickets_itself_fails_the_check(tmp_path):
    root = _tree(tmp_path, {"agent/views.py": """
        def close_all(request):
            Ticket.objects.filter(assignee=request.user).update(status_category="closed")
    """})

    problems = check_writes.check(root, allowed={})

    assert problems == ["comptoir/agent/views.py:3: .update() in close_all writes outside an actions module"]


@pytest.mark.parametrize("call", [
    "saved.save()",
    "Status.objects.create(name='x', category='new')",
    "view.delete()",
    "Tag.objects.bulk_create(tags)",
    "Tag.objects.bulk_update(tags, ['name'])",
    "Product.objects.get_or_create(name=name)",
    "Product.objects.update_or_create(name=name, defaults={})",
    "contact.save(update_fields=['name'])",
])
def test_every_kind_of_model_write_is_caught(tmp_path, call):
    root = _tree(tmp_path, {"portal/views.py": f"def handle(request):\n    {call}\n"})

    assert len(check_writes.check(root, allowed={})) == 1


@pytest.mark.parametrize("call", [
    "context.update(other)",  # a dict merged with another
    "cache.delete('key')",  # a cache entry
    "default_storage.save(name, content)",  # a file
    "request.session.pop('x', None)",
])
def test_calls_that_only_look_like_writes_pass(tmp_path, call):
    root = _tree(tmp_path, {"portal/views.py": f"def handle(request):\n    {call}\n"})

    assert check_writes.check(root, allowed={}) == []


def test_actions_history_and_migrations_may_write(tmp_path):
    write = "def f(ticket):\n    ticket.save()\n"
    root = _tree(tmp_path, {
        "contacts/actions.py": write,
        "tickets/actions/create.py": write,
        "tickets/history.py": write,
        "tickets/migrations/0002_seed.py": write,
    })

    assert check_writes.check(root, allowed={}) == []


def test_an_allowed_write_passes_and_a_stale_allowance_fails(tmp_path):
    root = _tree(tmp_path, {"api/idempotency.py": "def claim_key(key):\n    Record.objects.create(key=key)\n"})

    assert check_writes.check(root, allowed={"comptoir/api/idempotency.py::claim_key": "bookkeeping"}) == []
    stale = check_writes.check(root, allowed={
        "comptoir/api/idempotency.py::claim_key": "bookkeeping",
        "comptoir/api/gone.py::vanished": "moved away",
    })
    assert stale == ["comptoir/api/gone.py::vanished: allow-list entry matches no write any more; remove it"]


def test_every_allowance_says_why():
    assert all(reason.strip() for reason in check_writes.ALLOWED.values())


def test_the_real_tree_passes():
    result = subprocess.run([sys.executable, str(SCRIPT)], cwd=ROOT, capture_output=True, text=True, check=False)

    assert result.returncode == 0, result.stderr


def test_the_command_fails_with_one_line_per_write(tmp_path):
    root = _tree(tmp_path, {"agent/views.py": "def v(request):\n    SavedView.objects.filter(pk=1).delete()\n"})

    result = subprocess.run([sys.executable, str(SCRIPT), "--root", str(root)], capture_output=True, text=True, check=False)

    assert result.returncode == 1
    assert "comptoir/agent/views.py:2: .delete() in v writes outside an actions module" in result.stderr
