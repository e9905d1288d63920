"""/api/v1/custom-fields: ticket field definitions admins add."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router
from ninja import Status as Reply

from comptoir.api.access import agent_of
from comptoir.api.errors import conflict_on_duplicate
from comptoir.api.pagination import SortKey, keyset_page, next_url
from comptoir.api.schemas.common import ERRORS, PageQuery, page_of
from comptoir.api.schemas.settings import (
    CustomFieldIn,
    CustomFieldOut,
    CustomFieldPatchIn,
    custom_field_out,
)
from comptoir.core.errors import NotFound, ValidationFailed
from comptoir.core.models import Department
from comptoir.tickets.models import CustomFieldDefinition

router = Router()


def _definition(field_id: int) -> CustomFieldDefinition:
    definition = CustomFieldDefinition.objects.filter(pk=field_id).first()
    if definition is None:
        raise NotFound(_("Custom field not found."))
    return definition


@router.get("", response={200: page_of(CustomFieldOut), **ERRORS}, url_name="list_custom_fields", summary="List custom fields")
def list_custom_fields(request: HttpRequest, page: Query[PageQuery]) -> Any:
    agent_of(request)
    qs = CustomFieldDefinition.objects.all()
    rows, cursor = keyset_page(qs, [SortKey("position"), SortKey("id")], page.cursor, page.limit, tag="custom_fields")
    return {"results": [custom_field_out(d) for d in rows], "next": next_url(request, cursor)}


@router.get("/{int:field_id}", response={200: CustomFieldOut, **ERRORS}, url_name="get_custom_field", summary="Get a custom field")
def get_custom_field(request: HttpRequest, field_id: int) -> Any:
    agent_of(request)
    return custom_field_out(_definition(field_id))


@router.post("", response={201: CustomFieldOut, **ERRORS}, url_name="create_custom_field", summary="Create a custom field")
def create_custom_field(request: HttpRequest, data: CustomFieldIn) -> Any:
    agent_of(request, "admin.settings")
    if data.depends_on_id is not None and not CustomFieldDefinition.objects.filter(pk=data.depends_on_id).exists():
        raise ValidationFailed(_("Unknown parent field."), {"depends_on_id": "not_found"})
    if data.department_id is not None and not Department.objects.filter(pk=data.department_id).exists():
        raise ValidationFailed(_("Unknown department."), {"department_id": "not_found"})
    if data.kind == "dependent_dropdown" and (data.depends_on_id is None or not isinstance(data.choices, dict)):
        raise ValidationFailed(_("A dependent dropdown needs a parent field and choices per parent value."), {"choices": "invalid"})
    if data.kind != "dependent_dropdown" and isinstance(data.choices, dict):
        raise ValidationFailed(_("Choices must be a list for this kind of field."), {"choices": "invalid"})
    with conflict_on_duplicate(_("A custom field with this key already exists.")):
        definition = CustomFieldDefinition.objects.create(**data.dict())
    return Reply(201, custom_field_out(definition))


@router.patch("/{int:field_id}", response={200: CustomFieldOut, **ERRORS}, url_name="update_custom_field", summary="Update a custom field")
def update_custom_field(request: HttpRequest, field_id: int, data: CustomFieldPatchIn) -> Any:
    """The key and kind never change: stored values keep their meaning."""
    agent_of(request, "admin.settings")
    definition = _definition(field_id)
    changes = {k: v for k, v in data.dict(exclude_unset=True).items() if v is not None}
    if "choices" in changes and isinstance(changes["choices"], dict) != (definition.kind == "dependent_dropdown"):
        raise ValidationFailed(_("These choices do not fit this kind of field."), {"choices": "invalid"})
    for field, value in changes.items():
        setattr(definition, field, value)
    definition.save()
    return custom_field_out(definition)


@router.delete("/{int:field_id}", response={204: None, **ERRORS}, url_name="deactivate_custom_field", summary="Deactivate a custom field")
def deactivate_custom_field(request: HttpRequest, field_id: int) -> Any:
    """Values already on tickets stay; the field is no longer offered or validated."""
    agent_of(request, "admin.settings")
    definition = _definition(field_id)
    definition.active = False
    definition.save(update_fields=["active"])
    return Reply(204, None)
