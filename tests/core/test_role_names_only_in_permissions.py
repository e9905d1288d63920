"""Role names are compared in one place only: core/permissions.py.

Code asks `can(actor, capability)`; querysets that pick agents by what they may
do filter on `role__in=roles_with(capability)`. A check written against a role
name anywhere else ("is this agent an admin?") drifts from the capability map
the day a role gains or loses a capability. This test reads every module of
the package with `ast` and fails on such a comparison, so the next one cannot land.

What counts as comparing a role name:
  - `Role.OWNER` (any member) inside a comparison or a `match` case:
    `agent.role == Role.ADMIN`, `agent.role in (Role.OWNER, Role.ADMIN)`, `Role.OWNER in roles`;
  - a role's string value compared with something called `role`:
    `agent.role == "admin"`, `changes["role"] != "owner"`;
  - a role name in a query lookup: `filter(role=Role.SUPERVISOR)`, `Q(role__in=("owner", "admin"))`,
    `exclude(assignee__role="light_agent")`;
  - any of these through a name bound to role names: `EXPORT_ROLES = (Role.OWNER, Role.ADMIN)`
    then `agent.role in EXPORT_ROLES` or `filter(role__in=EXPORT_ROLES)`.
Assigning a role is not comparing one: `Agent(role=Role.OWNER)`, `agent.role = Role.OWNER`,
`create_agent(..., role=Role.AGENT)` are fine everywhere.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from comptoir.core.models import Role

PACKAGE = Path(__file__).resolve().parents[2] / "comptoir"
ROLE_VALUES = frozenset(str(role.value) for role in Role)
# Calls whose keyword arguments are lookups (conditions), not values to store.
LOOKUP_CALLS = frozenset({"filter", "exclude", "get", "get_or_create", "update_or_create", "Q", "When"})
ROLE_LOOKUP = re.compile(r"^(?:\w+__)?role(?:__\w+)?$")

# Where a role name may be compared, and why.
ALLOWED = {
    "core/permissions.py": "the role -> capability map itself",
}


def _is_role_member(node: ast.AST) -> bool:
    """`Role.OWNER`, `Role.ADMIN`...: an attribute of the name `Role`."""
    return isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "Role"


def _is_role_string(node: ast.AST) -> bool:
    return isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value in ROLE_VALUES


def _names_a_role(node: ast.AST, *, strings: bool) -> bool:
    """True when `node` is (or is a tuple/list/set made of) a Role member, or a role string if `strings`."""
    if isinstance(node, (ast.Tuple, ast.List, ast.Set)):
        return any(_names_a_role(element, strings=strings) for element in node.elts)
    return _is_role_member(node) or (strings and _is_role_string(node))


def _role_aliases(tree: ast.AST) -> frozenset[str]:
    """Names assigned nothing but role names: `EXPORT_ROLES = (Role.OWNER, Role.ADMIN)`, `BOSS = "owner"`."""
    aliases = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign):
            targets, value = node.targets, node.value
        elif isinstance(node, ast.AnnAssign) and node.value is not None:
            targets, value = [node.target], node.value
        else:
            continue
        elements = value.elts if isinstance(value, (ast.Tuple, ast.List, ast.Set)) else [value]
        if elements and all(_is_role_member(e) or _is_role_string(e) for e in elements):
            aliases.update(t.id for t in targets if isinstance(t, ast.Name))
    return frozenset(aliases)


def _is_about_role(node: ast.AST) -> bool:
    """`x.role`, a variable `role`, or `something["role"]`."""
    if isinstance(node, ast.Attribute):
        return node.attr == "role"
    if isinstance(node, ast.Name):
        return node.id == "role"
    if isinstance(node, ast.Subscript):
        return isinstance(node.slice, ast.Constant) and node.slice.value == "role"
    return False


def _call_name(call: ast.Call) -> str:
    if isinstance(call.func, ast.Attribute):
        return call.func.attr
    if isinstance(call.func, ast.Name):
        return call.func.id
    return ""


def role_name_comparisons(source: str) -> list[int]:
    """Line numbers in `source` where a role name is compared (see the module docstring)."""
    found: list[int] = []
    tree = ast.parse(source)
    aliases = _role_aliases(tree)

    def is_alias(node: ast.AST) -> bool:
        return isinstance(node, ast.Name) and node.id in aliases

    for node in ast.walk(tree):
        if isinstance(node, ast.Compare):
            operands = [node.left, *node.comparators]
            about_role = any(_is_about_role(operand) for operand in operands)
            if any(_names_a_role(operand, strings=about_role) or (about_role and is_alias(operand))
                   for operand in operands):
                found.append(node.lineno)
        elif isinstance(node, ast.match_case):
            if any(_is_role_member(n) for n in ast.walk(node.pattern)):
                found.append(node.pattern.lineno)
        elif isinstance(node, ast.Call):
            is_lookup_call = _call_name(node) in LOOKUP_CALLS
            for keyword in node.keywords:
                name = keyword.arg or ""
                if not ROLE_LOOKUP.match(name) or not (is_lookup_call or "__" in name):
                    continue
                if _names_a_role(keyword.value, strings=True) or is_alias(keyword.value):
                    found.append(keyword.value.lineno)
    return sorted(found)


def _modules() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if "migrations" not in p.relative_to(PACKAGE).parts)


def test_no_module_compares_a_role_name_outside_the_permissions_map():
    offenders = []
    for path in _modules():
        relative = path.relative_to(PACKAGE).as_posix()
        if relative in ALLOWED:
            continue
        for line in role_name_comparisons(path.read_text(encoding="utf-8")):
            offenders.append(f"comptoir/{relative}:{line}")
    assert offenders == [], (
        "Role names compared outside core/permissions.py; ask can(actor, capability) "
        "or filter on role__in=roles_with(capability) instead:\n" + "\n".join(offenders)
    )


def test_every_allowed_module_still_exists():
    """An allow-list entry for a module that moved would silently allow nothing, or hide its successor."""
    assert [name for name in ALLOWED if not (PACKAGE / name).is_file()] == []


@pytest.mark.parametrize("snippet", [
    "if agent.role == Role.ADMIN:\n    pass",
    "ok = agent.role in (Role.OWNER, Role.ADMIN)",
    "ok = Role.OWNER in roles",
    "ok = actor.role != 'owner'",
    "ok = changes['role'] == 'supervisor'",
    "ok = role not in ['admin', 'owner']",
    "qs = Agent.objects.filter(role=Role.SUPERVISOR)",
    "qs = Agent.objects.exclude(role='light_agent')",
    "q = Q(role__in=(Role.OWNER, Role.ADMIN))",
    "qs = Ticket.objects.filter(assignee__role='admin')",
    "match agent.role:\n    case Role.OWNER:\n        pass",
    "EXPORT_ROLES = (Role.OWNER, Role.ADMIN)\nok = actor.role not in EXPORT_ROLES",
    "BOSSES = ['owner', 'admin']\nqs = Agent.objects.filter(role__in=BOSSES)",
], ids=["eq-member", "in-tuple", "member-in", "ne-string", "subscript", "not-in-list", "filter",
        "exclude-string", "q-in", "related-lookup", "match", "named-tuple", "named-list-lookup"])
def test_the_check_catches_a_role_name_comparison(snippet):
    assert role_name_comparisons(snippet) != []


@pytest.mark.parametrize("snippet", [
    "agent = Agent.objects.create(email='a@example.test', role=Role.OWNER)",
    "agent.role = Role.OWNER",
    "agent = make_agent(role=Role.LIGHT_AGENT)",
    "AGENTS = [('Sophie', Role.OWNER), ('Pieter', Role.SUPERVISOR)]",
    "ok = can(agent, 'admin.settings')",
    "qs = Agent.objects.filter(role__in=roles_with('approval.decide'))",
    "ok = 'owner' in changes",
    "ok = kind == 'admin'",
], ids=["create", "assign", "factory", "catalog", "capability", "roles-with", "other-owner", "other-admin"])
def test_the_check_leaves_assignments_and_capability_checks_alone(snippet):
    assert role_name_comparisons(snippet) == []


def test_the_check_flags_the_line_of_a_violation_hidden_in_a_module():
    module = (
        '"""A module that slipped through review."""\n'
        "from comptoir.core.models import Role\n"
        "\n"
        "def may_export(agent):\n"
        "    return agent.is_active and agent.role in (Role.OWNER, Role.ADMIN, Role.SUPERVISOR)\n"
    )
    assert role_name_comparisons(module) == [5]
