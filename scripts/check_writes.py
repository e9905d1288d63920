"""The write-path contract: model writes happen in `actions` and `history` modules only.

DESIGN.md's first rule ("one write path") is checked here the way the import
contract checks the layering: mechanically, on every `make lint` and `make test`.
The check reads the source with `ast` (nothing is imported) and reports every
call of a model-writing method outside the places allowed to write:

- modules named `actions.py` or `history.py`, and any module inside an
  `actions/` package;
- migrations (data migrations seed rows);
- tests (they are not scanned: only the `comptoir` package is).

A model write is recognised by the method's name and its call shape, since the
receiver's type is unknown without importing: `bulk_create`, `bulk_update`,
`get_or_create` and `update_or_create` always; `save`, `create`, `update` and
`delete` when called with keyword arguments only, which is how Django's
`Model.save()`, `Manager.create(**fields)`, `QuerySet.update(**fields)` and
`.delete()` are called, while `dict.update(other)`, `cache.delete(key)` and
`storage.save(name, content)` take a positional argument.

Internal bookkeeping that is not domain data (intake state, delivery attempts,
idempotency records, caches, sessions...) is written where it is kept; each such
place is listed in ALLOWED below with the reason, as "path::function". An entry
that no longer matches any write fails the check too, so the list follows the
code instead of silently widening.

Run it: `python scripts/check_writes.py` from the repository root (exit status 1
and one line per finding when something is wrong). `--root DIR` checks another
tree (the tests feed it a temporary one).
"""

from __future__ import annotations

import argparse
import ast
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

PACKAGE = "comptoir"

# Always writes, whatever the arguments.
ALWAYS = frozenset({"bulk_create", "bulk_update", "get_or_create", "update_or_create"})
# Writes when called with keyword arguments only (see the module docstring).
KEYWORD_ONLY = frozenset({"save", "create", "update", "delete"})

# "path relative to the root::qualified name of the enclosing function" -> why it may write there.
ALLOWED: dict[str, str] = {
    # Not model writes at all: a template context is a dict, merged with keyword arguments.
    "comptoir/agent/workspace/ticket_tabs.py::ticket_tab": "dict.update on the template context, not a model",
    # Credentials and request bookkeeping of the API edge.
    "comptoir/api/tokens.py::issue_token": "API token row (a credential), issued by the token pages and `comptoir token`",
    "comptoir/api/tokens.py::authenticate_token": "last-used timestamp of a token, written at most once a minute on authentication",
    "comptoir/api/tokens.py::revoke_token": "revoking a credential (revoked_at); the token pages and command check who may",
    "comptoir/api/contact_merges.py::revoke_tokens_of_merged_contact":
        "after-commit subscriber revoking a merged contact's tokens (credential bookkeeping)",
    "comptoir/api/idempotency.py::claim_key": "idempotency record: claims an Idempotency-Key for one request",
    "comptoir/api/idempotency.py::store_answer": "idempotency record: stores the answer replayed for a repeated key",
    "comptoir/api/idempotency.py::purge_expired_records": "idempotency records past their lifetime are purged",
    # Webhooks: subscriptions are already action-shaped (actor, via, admin.settings checked);
    # deliveries are the outbound queue's own state.
    "comptoir/api/webhooks/subscriptions.py::create_subscription":
        "action-shaped (actor, via, admin.settings) in a module not named actions yet",
    "comptoir/api/webhooks/subscriptions.py::update_subscription":
        "action-shaped (actor, via, admin.settings) in a module not named actions yet",
    "comptoir/api/webhooks/subscriptions.py::delete_subscription":
        "action-shaped (actor, via, admin.settings) in a module not named actions yet",
    "comptoir/api/webhooks/delivery.py::queue_event": "delivery attempts queued for an event (outbound queue state)",
    "comptoir/api/webhooks/delivery.py::queue_test": "a test delivery queued for a subscription (outbound queue state)",
    "comptoir/api/webhooks/delivery.py::_claim": "a worker claims a due delivery (outbound queue state)",
    "comptoir/api/webhooks/delivery.py::attempt_delivery": "delivery attempt result: status, response, next retry",
    # The email channel's intake: the raw mail is stored first, then walks its states.
    "comptoir/channels/email/inbound.py::store_raw": "intake state: the raw mail stored before any processing (idempotent by hash)",
    "comptoir/channels/email/inbound.py::process_inbound": "intake state: the row's processing outcome",
    "comptoir/channels/email/inbound.py::_process_batch": "intake state: the outcome of each row of a batch",
    "comptoir/channels/email/inbound.py::retry_inbound": "intake state: a failed row queued again (admin.settings checked)",
    "comptoir/channels/email/inbound.py::release_inbound": "intake state: a held row released (admin.settings checked)",
    "comptoir/channels/email/imap.py::poll_mailbox": "mailbox polling state: last poll time and last error",
    # Sessions and notices.
    "comptoir/portal/signin.py::redeem_sign_in_token": "used-link record: a portal sign-in link works once",
    "comptoir/tickets/notifications.py::notify_mentioned": "in-app notices written by an after-commit subscriber of ticket events",
    "comptoir/tickets/notifications.py::notify_assigned": "in-app notices written by an after-commit subscriber of ticket events",
    "comptoir/casework/reminders.py::fire_due_reminders": "reminder delivery state (sent_at), so a reminder fires once",
    "comptoir/casework/reminders.py::_deliver": "the in-app notice a due reminder becomes",
    # Plumbing called by actions.
    "comptoir/tickets/attachments.py::store_attachments":
        "attachment rows stored for the message an action is writing, inside its transaction",
    "comptoir/core/models.py::AgentManager.create_user":
        "Django's user-manager contract (tests, third-party auth); the app creates agents with core.actions",
}


@dataclass(frozen=True)
class Write:
    """One model-writing call found outside the write path."""

    path: str
    line: int
    method: str
    where: str

    @property
    def key(self) -> str:
        return f"{self.path}::{self.where}"

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: .{self.method}() in {self.where} writes outside an actions module"


def may_write(relative: Path) -> bool:
    """Whether a module belongs to the write path (actions, history) or is a migration."""
    parts = relative.parts
    if "migrations" in parts[:-1]:
        return True
    if "actions" in parts[:-1]:
        return True
    return relative.stem in ("actions", "history")


def is_write(call: ast.Call) -> str | None:
    """The write method this call names, or None when it is not a model write."""
    if not isinstance(call.func, ast.Attribute):
        return None
    method = call.func.attr
    if method in ALWAYS:
        return method
    if method in KEYWORD_ONLY and not call.args:
        return method
    return None


class _Finder(ast.NodeVisitor):
    def __init__(self, path: str) -> None:
        self.path = path
        self.scope: list[str] = []
        self.found: list[Write] = []

    def _enter(self, node: ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef) -> None:
        self.scope.append(node.name)
        self.generic_visit(node)
        self.scope.pop()

    visit_FunctionDef = _enter
    visit_AsyncFunctionDef = _enter
    visit_ClassDef = _enter

    def visit_Call(self, node: ast.Call) -> None:
        method = is_write(node)
        if method is not None:
            self.found.append(Write(self.path, node.lineno, method, ".".join(self.scope) or "<module>"))
        self.generic_visit(node)


def find_writes(root: Path) -> list[Write]:
    """Every model write in `root`/comptoir outside the write path, allowed or not."""
    found: list[Write] = []
    for path in sorted((root / PACKAGE).rglob("*.py")):
        relative = path.relative_to(root)
        if may_write(relative):
            continue
        finder = _Finder(relative.as_posix())
        finder.visit(ast.parse(path.read_text(encoding="utf-8"), filename=str(path)))
        found.extend(finder.found)
    return found


def check(root: Path, allowed: dict[str, str] | None = None) -> list[str]:
    """The problems: writes not allowed, and allow-list entries that match no write any more."""
    allowed = ALLOWED if allowed is None else allowed
    writes = find_writes(root)
    problems = [str(w) for w in writes if w.key not in allowed]
    used = {w.key for w in writes}
    problems += [f"{key}: allow-list entry matches no write any more; remove it" for key in sorted(set(allowed) - used)]
    return problems


def _lines(problems: list[str]) -> Iterator[str]:
    yield from problems
    yield (
        f"{len(problems)} problem(s). Move the write into an actions module (fn(..., *, actor, via)), "
        "or, for internal bookkeeping only, add it with its reason to ALLOWED in scripts/check_writes.py."
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--root", type=Path, default=Path(__file__).resolve().parent.parent,
                        help="the repository root holding the comptoir package")
    args = parser.parse_args(argv)
    problems = check(args.root)
    if problems:
        print("\n".join(_lines(problems)), file=sys.stderr)
        return 1
    print("Write path: every model write is in an actions module or allowed.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
