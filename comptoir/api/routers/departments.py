"""/api/v1/departments: brands with their own addresses, signature and language."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router
from ninja import Status as Reply

from comptoir.api.access import VIA, agent_of
from comptoir.api.pagination import SortKey, keyset_page, next_url
from comptoir.api.schemas.common import ERRORS, SearchPageQuery, page_of
from comptoir.api.schemas.team import DepartmentIn, DepartmentOut, DepartmentPatchIn, department_out
from comptoir.core import actions
from comptoir.core.errors import NotFound
from comptoir.core.models import Department

router = Router()
# Checked here too (the actions check again) so a caller without the right gets 403 before any lookup.
ADMIN = "admin.settings"


def _department(department_id: int) -> Department:
    department = Department.objects.prefetch_related("addresses").filter(pk=department_id).first()
    if department is None:
        raise NotFound(_("Department not found."))
    return department


@router.get("", response={200: page_of(DepartmentOut), **ERRORS}, url_name="list_departments", summary="List departments")
def list_departments(request: HttpRequest, page: Query[SearchPageQuery]) -> Any:
    agent_of(request)
    qs = Department.objects.prefetch_related("addresses")
    if page.q:
        qs = qs.filter(name__icontains=page.q)
    rows, cursor = keyset_page(qs, [SortKey("id")], page.cursor, page.limit, tag="departments")
    return {"results": [department_out(d) for d in rows], "next": next_url(request, cursor)}


@router.get("/{int:department_id}", response={200: DepartmentOut, **ERRORS}, url_name="get_department", summary="Get a department")
def get_department(request: HttpRequest, department_id: int) -> Any:
    agent_of(request)
    return department_out(_department(department_id))


@router.post("", response={201: DepartmentOut, **ERRORS}, url_name="create_department", summary="Create a department")
def create_department(request: HttpRequest, data: DepartmentIn) -> Any:
    """Inbound mail to one of its `addresses` becomes its tickets; an address belongs to one department."""
    actor = agent_of(request, ADMIN)
    department = actions.create_department(**data.dict(), actor=actor, via=VIA)
    return Reply(201, department_out(_department(department.pk)))


@router.patch("/{int:department_id}", response={200: DepartmentOut, **ERRORS}, url_name="update_department", summary="Update a department")
def update_department(request: HttpRequest, department_id: int, data: DepartmentPatchIn) -> Any:
    actor = agent_of(request, ADMIN)
    changes = {field: value for field, value in data.dict(exclude_unset=True).items() if value is not None}
    actions.update_department(_department(department_id), changes, actor=actor, via=VIA)
    return department_out(_department(department_id))


@router.delete("/{int:department_id}", response={204: None, **ERRORS}, url_name="delete_department", summary="Delete a department")
def delete_department(request: HttpRequest, department_id: int) -> Any:
    """Its tickets and groups stay, without a department."""
    actor = agent_of(request, ADMIN)
    actions.delete_department(_department(department_id), actor=actor, via=VIA)
    return Reply(204, None)
