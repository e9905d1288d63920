"""Statuses, tags and custom field definitions."""

from __future__ import annotations

from typing import Any

from ninja import Schema
from pydantic import BaseModel, Field

from comptoir.api.schemas.common import StatusCategoryName
from comptoir.tickets.models import CustomFieldDefinition, Status


class StatusOut(BaseModel):
    id: int
    name: str
    category: StatusCategoryName
    is_default: bool
    position: int
    active: bool
    name_translations: dict[str, str] = Field(default_factory=dict)


class StatusIn(Schema):
    name: str = Field(..., min_length=1, max_length=80)
    category: StatusCategoryName
    is_default: bool = False
    position: int = Field(0, ge=0, le=32000)
    active: bool = True
    name_translations: dict[str, str] = Field(default_factory=dict, description='{"fr": "...", "nl": "..."}')


class StatusPatchIn(Schema):
    name: str | None = Field(None, min_length=1, max_length=80)
    name_translations: dict[str, str] | None = None
    is_default: bool | None = None
    position: int | None = Field(None, ge=0, le=32000)
    active: bool | None = None


class TagOut(BaseModel):
    id: int
    name: str


class TagIn(Schema):
    name: str = Field(..., min_length=1, max_length=80)



class CustomFieldOut(BaseModel):
    id: int
    key: str
    label: str
    kind: str
    choices: Any = None
    choice_labels: dict[str, dict[str, str]] = Field(
        default_factory=dict, description='Labels of the options per language: {"wifi": {"en": "Wi-Fi", "fr": "Wi-Fi"}}.')
    depends_on_id: int | None = None
    required_in: list[str]
    visible_to_customers: bool
    editable_by_customers: bool
    department_id: int | None = None
    position: int
    active: bool


class CustomFieldIn(Schema):
    key: str = Field(..., min_length=1, max_length=60, pattern=r"^[-a-zA-Z0-9_]+$")
    label: str = Field(..., min_length=1, max_length=120)
    kind: str = Field(..., pattern=r"^(text|long_text|number|decimal|date|checkbox|dropdown|multi_select|dependent_dropdown)$")
    choices: list[str] | dict[str, list[str]] = Field(default_factory=list)
    depends_on_id: int | None = None
    required_in: list[StatusCategoryName] = Field(default_factory=list)
    visible_to_customers: bool = False
    editable_by_customers: bool = False
    department_id: int | None = None
    position: int = Field(0, ge=0, le=32000)


class CustomFieldPatchIn(Schema):
    label: str | None = Field(None, min_length=1, max_length=120)
    choices: list[str] | dict[str, list[str]] | None = None
    required_in: list[StatusCategoryName] | None = None
    visible_to_customers: bool | None = None
    editable_by_customers: bool | None = None
    position: int | None = Field(None, ge=0, le=32000)
    active: bool | None = None


def status_out(s: Status) -> dict[str, Any]:
    return {"id": s.pk, "name": s.name, "category": s.category, "is_default": s.is_default, "position": s.position, "active": s.active,
            "name_translations": s.name_translations or {}}


def custom_field_out(d: CustomFieldDefinition) -> dict[str, Any]:
    return {
        "id": d.pk, "key": d.key, "label": d.label, "kind": d.kind, "choices": d.choices,
        "choice_labels": d.choice_labels or {}, "depends_on_id": d.depends_on_id,
        "required_in": list(d.required_in or []), "visible_to_customers": d.visible_to_customers,
        "editable_by_customers": d.editable_by_customers, "department_id": d.department_id,
        "position": d.position, "active": d.active,
    }
