"""/api/v1/statuses: custom statuses, each mapped to one fixed category."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router
from ninja import Status as Reply

from comptoir.api.access import VIA, agent_of
from comptoir.api.pagination import SortKey, keyset_page, next_url
from comptoir.api.schemas.common import ERRORS, PageQuery, page_of
from comptoir.api.schemas.settings import StatusIn, StatusOut, StatusPatchIn, status_out
from comptoir.core.errors import NotFound
from comptoir.tickets import actions
from comptoir.tickets.models import Status

router = Router()
# Checked here too (the actions check again) so a caller without the right gets 403 before any lookup.
ADMIN = "admin.settings"


def _status(status_id: int) -> Status:
    status = Status.objects.filter(pk=status_id).first()
    if status is None:
        raise NotFound(_("Status not found."))
    return status


@router.get("", response={200: page_of(StatusOut), **ERRORS}, url_name="list_statuses", summary="List statuses")
def list_statuses(request: HttpRequest, page: Query[PageQuery]) -> Any:
    agent_of(request)
    rows, cursor = keyset_page(Status.objects.all(), [SortKey("position"), SortKey("id")], page.cursor, page.limit, tag="statuses")
    return {"results": [status_out(s) for s in rows], "next": next_url(request, cursor)}


@router.get("/{int:status_id}", response={200: StatusOut, **ERRORS}, url_name="get_status", summary="Get a status")
def get_status(request: HttpRequest, status_id: int) -> Any:
    agent_of(request)
    return status_out(_status(status_id))


@router.post("", response={201: StatusOut, **ERRORS}, url_name="create_status", summary="Create a status")
def create_status(request: HttpRequest, data: StatusIn) -> Any:
    """A new default replaces the category's old default."""
    actor = agent_of(request, ADMIN)
    status = actions.create_status(**data.dict(), actor=actor, via=VIA)
    return Reply(201, status_out(status))


@router.patch("/{int:status_id}", response={200: StatusOut, **ERRORS}, url_name="update_status", summary="Update a status")
def update_status(request: HttpRequest, status_id: int, data: StatusPatchIn) -> Any:
    """The category never changes: tickets in this status keep their meaning."""
    actor = agent_of(request, ADMIN)
    changes = {field: value for field, value in data.dict(exclude_unset=True).items() if value is not None}
    return status_out(actions.update_status(_status(status_id), changes, actor=actor, via=VIA))


@router.delete("/{int:status_id}", response={204: None, **ERRORS}, url_name="deactivate_status", summary="Deactivate a status")
def deactivate_status(request: HttpRequest, status_id: int) -> Any:
    """Tickets keep a deactivated status; it is no longer offered. The last active status of a category stays."""
    actor = agent_of(request, ADMIN)
    actions.deactivate_status(_status(status_id), actor=actor, via=VIA)
    return Reply(204, None)
