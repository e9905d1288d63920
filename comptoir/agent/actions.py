"""The one way to change saved views: create, update (including who owns it), delete.

Saved views live in the agent app (docs/decisions/0001). The rules about who
may keep or share a view are here and nowhere else, so the view form, a future
API and the tests all meet the same ones:

- an agent with "view.personal" keeps personal views, which only they see and edit;
- a shared view (no owner) is made, changed and deleted with "view.shared";
- sharing a personal view gives it to every agent (the owner is cleared);
- un-sharing a shared view makes it the personal view of whoever un-shared it:
  a shared view has no owner to give it back to, and it must not vanish.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from comptoir.agent.lists.columns import COLUMNS, GROUPINGS, SORTABLE
from comptoir.agent.models import SavedView
from comptoir.core.errors import ValidationFailed
from comptoir.core.history import record_change, snapshot
from comptoir.core.models import Agent
from comptoir.core.permissions import PermissionDenied, can, require
from comptoir.tickets import conditions as condition_language

VIEW_FIELDS = {"name", "conditions", "columns", "sort", "group_by", "shared"}
# Shared views are team configuration, so their changes are audited; personal views are not.
AUDITED = ("name", "conditions", "columns", "sort", "group_by")


def _audit_state(view: SavedView) -> dict[str, Any]:
    return {**snapshot(view, AUDITED), "shared": view.owner_id is None}


def may_edit_view(actor: Any, view: SavedView) -> bool:
    """Owners edit their personal views; shared views need the view.shared capability."""
    if view.owner_id is None:
        return can(actor, "view.shared")
    return view.owner_id == getattr(actor, "pk", None) and can(actor, "view.personal")


def _clean(view: SavedView, changes: dict[str, Any]) -> None:
    """Validate and apply every change but "shared"; raises ValidationFailed on the first bad one."""
    unknown = sorted(set(changes) - VIEW_FIELDS)
    if unknown:
        raise ValidationFailed(_("These fields cannot be changed."), dict.fromkeys(unknown, "unknown"))
    if "name" in changes:
        name = changes["name"].strip() if isinstance(changes["name"], str) else ""
        if not name:
            raise ValidationFailed(_("This field cannot be empty."), {"name": "required"})
        if len(name) > SavedView._meta.get_field("name").max_length:  # type: ignore[operator]
            raise ValidationFailed(_("This value is too long."), {"name": "too_long"})
        view.name = name
    if "conditions" in changes:
        # The one condition language: a stored view must compile, now and for every reader.
        condition_language.parse(changes["conditions"])
        view.conditions = changes["conditions"]
    if "columns" in changes:
        columns = changes["columns"]
        if not isinstance(columns, list) or not columns or any(c not in COLUMNS for c in columns):
            raise ValidationFailed(_("This value is not one of the choices."), {"columns": "invalid"})
        view.columns = list(dict.fromkeys(columns))
    if "sort" in changes:
        sort = changes["sort"]
        if not isinstance(sort, str) or sort.lstrip("-") not in SORTABLE:
            raise ValidationFailed(_("This value is not one of the choices."), {"sort": "invalid"})
        view.sort = sort
    if "group_by" in changes:
        group_by = changes["group_by"] or ""
        if group_by and group_by not in GROUPINGS:
            raise ValidationFailed(_("This value is not one of the choices."), {"group_by": "invalid"})
        view.group_by = group_by


@transaction.atomic
def create_saved_view(
    *,
    name: str,
    conditions: dict[str, Any],
    columns: list[str],
    sort: str = "-updated_at",
    group_by: str = "",
    shared: bool = False,
    actor: Any,
    via: str = "",
) -> SavedView:
    """Save a ticket list: personal (owned by `actor`) or, with "view.shared", shared with every agent."""
    require(actor, "view.shared" if shared else "view.personal")
    if not shared and not isinstance(actor, Agent):
        raise PermissionDenied(_("Only an agent keeps personal views."))
    view = SavedView(owner=None if shared else actor)
    _clean(view, {"name": name, "conditions": conditions, "columns": columns, "sort": sort, "group_by": group_by})
    view.save()
    if shared:
        record_change("saved_view.created", view, actor=actor, via=via, after=_audit_state(view))
    return view


@transaction.atomic
def update_saved_view(view: SavedView, changes: dict[str, Any], *, actor: Any, via: str = "") -> SavedView:
    """Change a view the actor may edit. `changes` may hold "shared": True shares a personal
    view (needs "view.shared"), False makes a shared view the actor's own personal view."""
    if not may_edit_view(actor, view):
        raise PermissionDenied(_("You cannot change this view."))
    changes = dict(changes)
    shared = changes.pop("shared", None)
    before = _audit_state(view)
    _clean(view, changes)
    if shared is True and view.owner_id is not None:
        require(actor, "view.shared")
        view.owner = None
    elif shared is False and view.owner_id is None:
        # may_edit_view already required "view.shared" for a shared view.
        if not isinstance(actor, Agent):
            raise PermissionDenied(_("Only an agent keeps personal views."))
        view.owner = actor
    view.updated_at = timezone.now()
    view.save()
    if before["shared"] or view.owner_id is None:
        record_change("saved_view.updated", view, actor=actor, via=via, before=before, after=_audit_state(view))
    return view


@transaction.atomic
def delete_saved_view(view: SavedView, *, actor: Any, via: str = "") -> None:
    """Delete a view the actor may edit (their own, or a shared one with "view.shared")."""
    if not may_edit_view(actor, view):
        raise PermissionDenied(_("You cannot change this view."))
    if view.owner_id is None:
        record_change("saved_view.deleted", view, actor=actor, via=via, before=_audit_state(view))
    view.delete()
