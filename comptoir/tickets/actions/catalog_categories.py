"""Ticket categories and subcategories: create, rename, translate, reorder, delete.

Two levels only: a category may have subcategories, a subcategory has none,
so there is no cycle to detect and no tree to walk in lists, filters and the
condition language. Names are unique (ignoring case) under one parent and
department; every refusal names the field it is about, so the admin form
shows it in place and the API returns it in its error shape.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from comptoir.core.actions import conflict_on_duplicate
from comptoir.core.errors import Conflict, ValidationFailed
from comptoir.core.history import record_change, snapshot
from comptoir.core.models import Department
from comptoir.core.name_translations import clean_name_translations
from comptoir.core.permissions import require
from comptoir.tickets import history
from comptoir.tickets.actions.catalog import SETTINGS, _name, _position, _unknown_keys
from comptoir.tickets.models import Category, EventKind, Ticket

CATEGORY_AUDIT = ("name", "name_translations", "parent", "department", "position")
CATEGORY_FIELDS = {"name", "name_translations", "parent_id", "department_id", "position"}
HISTORY_BATCH = 1000
DUPLICATE = "duplicate"


def _parent(parent_id: Any, category: Category | None) -> Category | None:
    """The parent a category may hang under: an existing top-level category other than itself."""
    if parent_id is None:
        return None
    if isinstance(parent_id, bool) or not isinstance(parent_id, int):
        raise ValidationFailed(_("Unknown parent category."), {"parent_id": "invalid"})
    parent = Category.objects.filter(pk=parent_id).first()
    if parent is None:
        # Also what a parent deleted meanwhile (in another tab) looks like.
        raise ValidationFailed(_("The parent category does not exist (it may have been deleted)."), {"parent_id": "not_found"})
    if category is not None and parent.pk == category.pk:
        raise ValidationFailed(_("A category cannot be its own parent."), {"parent_id": "circular"})
    if parent.parent_id is not None:
        raise ValidationFailed(_("A subcategory cannot have subcategories: pick a top-level category as parent."),
                               {"parent_id": "too_deep"})
    if category is not None and category.pk is not None and category.children.exists():
        raise ValidationFailed(_("This category has subcategories, so it cannot become a subcategory itself."),
                               {"parent_id": "circular"})
    return parent


def _department(department_id: Any) -> Department | None:
    if department_id is None:
        return None
    department = Department.objects.filter(pk=department_id).first() if isinstance(department_id, int) else None
    if department is None:
        raise ValidationFailed(_("Unknown department."), {"department_id": "not_found"})
    return department


def _check(category: Category) -> None:
    """Refusals that depend on the whole row: its department and a name taken under the same parent."""
    if category.parent is not None and category.parent.department_id != category.department_id:
        raise ValidationFailed(_("A subcategory belongs to its parent's department."), {"department_id": "invalid"})
    taken = Category.objects.filter(name__iexact=category.name, parent=category.parent, department=category.department)
    if category.pk is not None:
        taken = taken.exclude(pk=category.pk)
    if taken.exists():
        raise ValidationFailed(_("A category with this name already exists here."), {"name": DUPLICATE})


def _save(category: Category) -> None:
    _check(category)
    try:
        with conflict_on_duplicate(""):
            category.save()
    except Conflict as exc:  # a concurrent insert of the same name: the same refusal as above
        raise ValidationFailed(_("A category with this name already exists here."), {"name": DUPLICATE}) from exc


@transaction.atomic
def create_category(*, name: str, parent: Category | None = None, department: Department | None = None,
                    parent_id: int | None = None, department_id: int | None = None, position: int = 0,
                    name_translations: dict[str, str] | None = None, actor: Any, via: str = "") -> Category:
    """Add a category, or with a parent a subcategory of it, for one department or all.

    A subcategory belongs to its parent's department (given none, it takes the
    parent's). The parent must exist and be top-level: at most two levels.
    """
    require(actor, SETTINGS)
    parent = parent if parent is not None else _parent(parent_id, None)
    if parent is not None and parent.parent_id is not None:
        _parent(parent.pk, None)
    if department is None and department_id is not None:
        department = _department(department_id)
    if department is None and parent is not None and parent_id is not None:
        department = parent.department
    category = Category(
        name=_name(name, "name", 120), parent=parent, department=department, position=_position(position),
        name_translations=clean_name_translations(name_translations, max_length=120),
    )
    _save(category)
    record_change("category.created", category, actor=actor, via=via, after=snapshot(category, CATEGORY_AUDIT))
    return category


@transaction.atomic
def update_category(category: Category, changes: dict[str, Any], *, actor: Any, via: str = "") -> Category:
    """Rename, translate, reorder or move a category (`parent_id`, `department_id`).

    Tickets keep pointing at it. Moving a category with subcategories under
    another, or a category under itself, is refused as circular.
    """
    require(actor, SETTINGS)
    _unknown_keys(changes, CATEGORY_FIELDS)
    category = Category.objects.select_for_update(of=("self",)).select_related("parent").get(pk=category.pk)
    before = snapshot(category, CATEGORY_AUDIT)
    if "name" in changes:
        category.name = _name(changes["name"], "name", 120)
    if "name_translations" in changes:
        category.name_translations = clean_name_translations(changes["name_translations"], max_length=120)
    if "position" in changes:
        category.position = _position(changes["position"])
    if "parent_id" in changes:
        category.parent = _parent(changes["parent_id"], category)
    if "department_id" in changes:
        category.department = _department(changes["department_id"])
        if category.children.exclude(department=category.department).exists():
            raise ValidationFailed(_("Move the subcategories with their category: they belong to its department."),
                                   {"department_id": "invalid"})
    _save(category)
    record_change("category.updated", category, actor=actor, via=via, before=before, after=snapshot(category, CATEGORY_AUDIT))
    return category


def _clear_from_tickets(ids: list[int], *, actor: Any, via: str) -> None:
    """Empty the category (and subcategory) of the tickets that held them, with a history entry each."""
    now = timezone.now()
    for field in ("category", "subcategory"):
        ticket_ids = list(Ticket.objects.filter(**{f"{field}_id__in": ids}).values_list("pk", flat=True))
        names = dict(Category.objects.filter(pk__in=ids).values_list("pk", "name"))
        for start in range(0, len(ticket_ids), HISTORY_BATCH):
            batch = list(Ticket.objects.filter(pk__in=ticket_ids[start:start + HISTORY_BATCH]).values_list("pk", f"{field}_id"))
            history.record_many([
                history.build(Ticket(pk=pk), EventKind.FIELD_CHANGED, actor=actor, via=via, field=field,
                              old=names.get(old), new=None, data={"reason": "category_deleted"}, at=now)
                for pk, old in batch
            ])
            Ticket.objects.filter(pk__in=[pk for pk, _old in batch]).update(**{field: None}, updated_at=now)


@transaction.atomic
def delete_category(category: Category, *, actor: Any, via: str = "") -> None:
    """Delete a category with its subcategories. Tickets keep existing without them, and
    their history says the category went away and who removed it."""
    require(actor, SETTINGS)
    category = Category.objects.select_for_update().get(pk=category.pk)
    before = snapshot(category, CATEGORY_AUDIT)
    ids = [category.pk, *Category.objects.filter(parent=category).values_list("pk", flat=True)]
    _clear_from_tickets(ids, actor=actor, via=via)
    repr_ = str(category)
    category.delete()
    record_change("category.deleted", None, actor=actor, via=via, before=before, object_type="category", object_repr=repr_)
