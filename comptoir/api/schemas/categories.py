"""Ticket categories and subcategories as the API shows and takes them."""

from __future__ import annotations

from typing import Any

from ninja import Schema
from pydantic import BaseModel, Field

from comptoir.tickets.models import Category


class CategoryOut(BaseModel):
    id: int
    name: str
    name_translations: dict[str, str]
    parent_id: int | None = None
    department_id: int | None = None
    position: int


class CategoryIn(Schema):
    name: str = Field(..., min_length=1, max_length=120)
    parent_id: int | None = Field(None, description="A top-level category: the new one is its subcategory.")
    department_id: int | None = Field(None, description="Only for this department; a subcategory takes its parent's.")
    position: int = Field(0, ge=0, le=32000)
    name_translations: dict[str, str] = Field(default_factory=dict, description='{"fr": "...", "nl": "..."}')


class CategoryPatchIn(Schema):
    name: str | None = Field(None, min_length=1, max_length=120)
    parent_id: int | None = None
    department_id: int | None = None
    position: int | None = Field(None, ge=0, le=32000)
    name_translations: dict[str, str] | None = None


def category_out(category: Category) -> dict[str, Any]:
    return {
        "id": category.pk, "name": category.name, "name_translations": category.name_translations or {},
        "parent_id": category.parent_id, "department_id": category.department_id, "position": category.position,
    }
