"""/api/v1/custom-fields: ticket field definitions admins add."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router
from ninja import Status as Reply

from comptoir.api.access import VIA, agent_of
from comptoir.api.pagination import SortKey, keyset_page, next_url
from comptoir.api.schemas.common import ERRORS, PageQuery, page_of
from comptoir.api.schemas.settings import (
    CustomFieldIn,
    CustomFieldOut,
    CustomFieldPatchIn,
    custom_field_out,
)
from comptoir.core.errors import NotFound
from comptoir.tickets import actions
from comptoir.tickets.models import CustomFieldDefinition

router = Router()
# Checked here too (the actions check again) so a caller without the right gets 403 before any lookup.
ADMIN = "admin.settings"


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
    """A dependent dropdown names its parent (`depends_on_id`) and maps each parent value to its choices."""
    actor = agent_of(request, ADMIN)
    definition = actions.create_custom_field(**data.dict(), actor=actor, via=VIA)
    return Reply(201, custom_field_out(definition))


@router.patch("/{int:field_id}", response={200: CustomFieldOut, **ERRORS}, url_name="update_custom_field", summary="Update a custom field")
def update_custom_field(request: HttpRequest, field_id: int, data: CustomFieldPatchIn) -> Any:
    """The key and kind never change: stored values keep their meaning."""
    actor = agent_of(request, ADMIN)
    changes = {field: value for field, value in data.dict(exclude_unset=True).items() if value is not None}
    return custom_field_out(actions.update_custom_field(_definition(field_id), changes, actor=actor, via=VIA))


@router.delete("/{int:field_id}", response={204: None, **ERRORS}, url_name="deactivate_custom_field", summary="Deactivate a custom field")
def deactivate_custom_field(request: HttpRequest, field_id: int) -> Any:
    """Values already on tickets stay; the field is no longer offered or validated."""
    actor = agent_of(request, ADMIN)
    actions.deactivate_custom_field(_definition(field_id), actor=actor, via=VIA)
    return Reply(204, None)
