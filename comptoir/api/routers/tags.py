"""/api/v1/tags: the tag vocabulary (tickets are tagged through PATCH /tickets/{id})."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router
from ninja import Status as Reply

from comptoir.api.access import VIA, agent_of
from comptoir.api.pagination import SortKey, keyset_page, next_url
from comptoir.api.schemas.common import ERRORS, SearchPageQuery, page_of
from comptoir.api.schemas.settings import TagIn, TagOut
from comptoir.core.errors import NotFound
from comptoir.tickets import actions
from comptoir.tickets.models import Tag

router = Router()
# Checked here too (the actions check again) so a caller without the right gets 403 before any lookup.
ADMIN = "admin.settings"


def _tag(tag_id: int) -> Tag:
    tag = Tag.objects.filter(pk=tag_id).first()
    if tag is None:
        raise NotFound(_("Tag not found."))
    return tag


@router.get("", response={200: page_of(TagOut), **ERRORS}, url_name="list_tags", summary="List tags")
def list_tags(request: HttpRequest, page: Query[SearchPageQuery]) -> Any:
    agent_of(request)
    qs = Tag.objects.all()
    if page.q:
        qs = qs.filter(name__icontains=page.q)
    rows, cursor = keyset_page(qs, [SortKey("name"), SortKey("id")], page.cursor, page.limit, tag="tags")
    return {"results": [{"id": t.pk, "name": t.name} for t in rows], "next": next_url(request, cursor)}


@router.get("/{int:tag_id}", response={200: TagOut, **ERRORS}, url_name="get_tag", summary="Get a tag")
def get_tag(request: HttpRequest, tag_id: int) -> Any:
    agent_of(request)
    tag = _tag(tag_id)
    return {"id": tag.pk, "name": tag.name}


@router.post("", response={201: TagOut, **ERRORS}, url_name="create_tag", summary="Create a tag")
def create_tag(request: HttpRequest, data: TagIn) -> Any:
    tag = actions.create_tag(name=data.name, actor=agent_of(request, ADMIN), via=VIA)
    return Reply(201, {"id": tag.pk, "name": tag.name})


@router.patch("/{int:tag_id}", response={200: TagOut, **ERRORS}, url_name="rename_tag", summary="Rename a tag")
def rename_tag(request: HttpRequest, tag_id: int, data: TagIn) -> Any:
    """Renames the tag on every ticket carrying it (their history shows the change)."""
    actor = agent_of(request, ADMIN)
    tag = actions.rename_tag(_tag(tag_id), data.name, actor=actor, via=VIA)
    return {"id": tag.pk, "name": tag.name}


@router.delete("/{int:tag_id}", response={204: None, **ERRORS}, url_name="delete_tag", summary="Delete a tag")
def delete_tag(request: HttpRequest, tag_id: int) -> Any:
    """Removes the tag from the vocabulary and from every ticket carrying it (their history shows it)."""
    actor = agent_of(request, ADMIN)
    actions.delete_tag(_tag(tag_id), actor=actor, via=VIA)
    return Reply(204, None)
