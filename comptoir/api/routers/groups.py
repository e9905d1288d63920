"""/api/v1/groups: teams of agents."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router
from ninja import Status as Reply

from comptoir.api.access import agent_of
from comptoir.api.errors import conflict_on_duplicate
from comptoir.api.pagination import SortKey, keyset_page, next_url
from comptoir.api.schemas.common import ERRORS, SearchPageQuery, page_of
from comptoir.api.schemas.team import GroupIn, GroupOut, GroupPatchIn, group_out
from comptoir.core.errors import NotFound, ValidationFailed
from comptoir.core.models import Agent, Department, Group

router = Router()


def _group(group_id: int) -> Group:
    group = Group.objects.prefetch_related("members").filter(pk=group_id).first()
    if group is None:
        raise NotFound(_("Group not found."))
    return group


def _department_id(value: int | None) -> int | None:
    if value is not None and not Department.objects.filter(pk=value).exists():
        raise ValidationFailed(_("Unknown department."), {"department_id": "not_found"})
    return value


def _members(ids: list[int]) -> list[int]:
    if set(Agent.objects.filter(pk__in=ids).values_list("pk", flat=True)) != set(ids):
        raise ValidationFailed(_("Unknown agents."), {"member_ids": "not_found"})
    return ids


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
    agent_of(request, "admin.settings")
    with conflict_on_duplicate(_("A group with this name already exists.")):
        group = Group.objects.create(name=data.name.strip(), department_id=_department_id(data.department_id))
        group.members.set(_members(data.member_ids))
    return Reply(201, group_out(_group(group.pk)))


@router.patch("/{int:group_id}", response={200: GroupOut, **ERRORS}, url_name="update_group", summary="Update a group")
def update_group(request: HttpRequest, group_id: int, data: GroupPatchIn) -> Any:
    agent_of(request, "admin.settings")
    group = _group(group_id)
    with conflict_on_duplicate(_("A group with this name already exists.")), transaction.atomic():
        if data.name is not None:
            group.name = data.name.strip()
        if "department_id" in data.model_fields_set:
            group.department_id = _department_id(data.department_id)
        group.save()
        if data.member_ids is not None:
            group.members.set(_members(data.member_ids))
    return group_out(_group(group_id))


@router.delete("/{int:group_id}", response={204: None, **ERRORS}, url_name="delete_group", summary="Delete a group")
def delete_group(request: HttpRequest, group_id: int) -> Any:
    """Its tickets stay, without a group."""
    agent_of(request, "admin.settings")
    _group(group_id).delete()
    return Reply(204, None)
