"""/api/v1/groups: teams of agents."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router
from ninja import Status as Reply

from comptoir.api.access import VIA, agent_of
from comptoir.api.pagination import SortKey, keyset_page, next_url
from comptoir.api.schemas.common import ERRORS, SearchPageQuery, page_of
from comptoir.api.schemas.team import GroupIn, GroupOut, GroupPatchIn, group_out
from comptoir.core import actions
from comptoir.core.errors import NotFound
from comptoir.core.models import Group

router = Router()
# Checked here too (the actions check again) so a caller without the right gets 403 before any lookup.
ADMIN = "admin.settings"


def _group(group_id: int) -> Group:
    group = Group.objects.prefetch_related("members").filter(pk=group_id).first()
    if group is None:
        raise NotFound(_("Group not found."))
    return group


@router.get("", response={200: page_of(GroupOut), **ERRORS}, url_name="list_groups", summary="List groups")
def list_groups(request: HttpRequest, page: Query[SearchPageQuery]) -> Any:
    agent_of(request)
    qs = Group.objects.prefetch_related("members")
    if page.q:
        qs = qs.filter(name__icontains=page.q)
    rows, cursor = keyset_page(qs, [SortKey("id")], page.cursor, page.limit, tag="groups")
    return {"results": [group_out(g) for g in rows], "next": next_url(request, cursor)}


@router.get("/{int:group_id}", response={200: GroupOut, **ERRORS}, url_name="get_group", summary="Get a group")
def get_group(request: HttpRequest, group_id: int) -> Any:
    agent_of(request)
    return group_out(_group(group_id))


@router.post("", response={201: GroupOut, **ERRORS}, url_name="create_group", summary="Create a group")
def create_group(request: HttpRequest, data: GroupIn) -> Any:
    actor = agent_of(request, ADMIN)
    group = actions.create_group(name=data.name, department_id=data.department_id, member_ids=data.member_ids, actor=actor, via=VIA)
    return Reply(201, group_out(_group(group.pk)))


@router.patch("/{int:group_id}", response={200: GroupOut, **ERRORS}, url_name="update_group", summary="Update a group")
def update_group(request: HttpRequest, group_id: int, data: GroupPatchIn) -> Any:
    """`department_id: null` takes the group out of its department; `member_ids` replaces the members."""
    actor = agent_of(request, ADMIN)
    given = data.model_fields_set
    changes: dict[str, Any] = {
        field: getattr(data, field) for field in ("name", "department_id", "member_ids")
        if field in given and (field == "department_id" or getattr(data, field) is not None)
    }
    actions.update_group(_group(group_id), changes, actor=actor, via=VIA)
    return group_out(_group(group_id))


@router.delete("/{int:group_id}", response={204: None, **ERRORS}, url_name="delete_group", summary="Delete a group")
def delete_group(request: HttpRequest, group_id: int) -> Any:
    """Its tickets stay, without a group."""
    actor = agent_of(request, ADMIN)
    actions.delete_group(_group(group_id), actor=actor, via=VIA)
    return Reply(204, None)
