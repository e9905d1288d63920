"""/api/v1/categories: ticket categories and their subcategories (two levels)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router
from ninja import Status as Reply
from pydantic import Field

from comptoir.api.access import VIA, agent_of
from comptoir.api.pagination import SortKey, keyset_page, next_url
from comptoir.api.schemas.categories import CategoryIn, CategoryOut, CategoryPatchIn, category_out
from comptoir.api.schemas.common import ERRORS, PageQuery, page_of
from comptoir.core.errors import NotFound
from comptoir.tickets import actions
from comptoir.tickets.models import Category

router = Router()
# Checked here too (the actions check again) so a caller without the right gets 403 before any lookup.
ADMIN = "admin.settings"


class CategoryQuery(PageQuery):
    parent: int | None = Field(None, description="Only the subcategories of this category.")
    top_level: bool = Field(False, description="Only categories without a parent.")


def _category(category_id: int) -> Category:
    category = Category.objects.filter(pk=category_id).first()
    if category is None:
        raise NotFound(_("Category not found."))
    return category


@router.get("", response={200: page_of(CategoryOut), **ERRORS}, url_name="list_categories", summary="List categories")
def list_categories(request: HttpRequest, page: Query[CategoryQuery]) -> Any:
    agent_of(request)
    qs = Category.objects.all()
    if page.parent is not None:
        qs = qs.filter(parent_id=page.parent)
    if page.top_level:
        qs = qs.filter(parent__isnull=True)
    rows, cursor = keyset_page(qs, [SortKey("id")], page.cursor, page.limit, tag="categories")
    return {"results": [category_out(c) for c in rows], "next": next_url(request, cursor)}


@router.get("/{int:category_id}", response={200: CategoryOut, **ERRORS}, url_name="get_category", summary="Get a category")
def get_category(request: HttpRequest, category_id: int) -> Any:
    agent_of(request)
    return category_out(_category(category_id))


@router.post("", response={201: CategoryOut, **ERRORS}, url_name="create_category", summary="Create a category")
def create_category(request: HttpRequest, data: CategoryIn) -> Any:
    """With `parent_id`, a subcategory of that (top-level) category."""
    actor = agent_of(request, ADMIN)
    category = actions.create_category(**data.dict(), actor=actor, via=VIA)
    return Reply(201, category_out(category))


@router.patch("/{int:category_id}", response={200: CategoryOut, **ERRORS}, url_name="update_category", summary="Update a category")
def update_category(request: HttpRequest, category_id: int, data: CategoryPatchIn) -> Any:
    """Only the fields sent change; `"parent_id": null` makes a subcategory top-level."""
    actor = agent_of(request, ADMIN)
    changes = data.dict(exclude_unset=True)
    for field in ("name", "position", "name_translations"):
        if field in changes and changes[field] is None:
            del changes[field]
    return category_out(actions.update_category(_category(category_id), changes, actor=actor, via=VIA))


@router.delete("/{int:category_id}", response={204: None, **ERRORS}, url_name="delete_category", summary="Delete a category")
def delete_category(request: HttpRequest, category_id: int) -> Any:
    """Deletes its subcategories too; tickets that had them keep existing without, with a history entry."""
    actor = agent_of(request, ADMIN)
    actions.delete_category(_category(category_id), actor=actor, via=VIA)
    return Reply(204, None)
