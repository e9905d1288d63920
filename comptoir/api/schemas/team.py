"""Agents, groups and departments."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from ninja import Schema
from pydantic import BaseModel, Field

from comptoir.core.models import Agent, Department, Group

RoleName = Literal["owner", "admin", "supervisor", "agent", "light_agent"]
ScopeName = Literal["all", "groups", "assigned"]


class AgentOut(BaseModel):
    id: int
    email: str
    name: str
    role: RoleName
    ticket_scope: ScopeName
    locale: str
    time_zone: str
    is_active: bool
    group_ids: list[int]
    department_ids: list[int]
    date_joined: datetime


class AgentPublicOut(BaseModel):
    """What a light agent or any teammate needs to know of another agent."""

    id: int
    name: str
    email: str
    role: RoleName
    is_active: bool


class AgentCreateIn(Schema):
    email: str = Field(..., max_length=254, pattern=r"^[^@\s]+@[^@\s]+$")
    name: str = Field(..., min_length=1, max_length=150)
    role: RoleName = "agent"
    ticket_scope: ScopeName = "all"
    locale: Literal["en", "fr", "nl"] = "en"
    time_zone: str = Field("UTC", max_length=64)
    group_ids: list[int] = Field(default_factory=list)
    department_ids: list[int] = Field(default_factory=list)


class AgentPatchIn(Schema):
    name: str | None = Field(None, min_length=1, max_length=150)
    role: RoleName | None = None
    ticket_scope: ScopeName | None = None
    locale: Literal["en", "fr", "nl"] | None = None
    time_zone: str | None = Field(None, max_length=64)
    is_active: bool | None = None
    group_ids: list[int] | None = None
    department_ids: list[int] | None = None


class GroupOut(BaseModel):
    id: int
    name: str
    department_id: int | None = None
    member_ids: list[int]
    created_at: datetime


class GroupIn(Schema):
    name: str = Field(..., min_length=1, max_length=120)
    department_id: int | None = None
    member_ids: list[int] = Field(default_factory=list)


class GroupPatchIn(Schema):
    name: str | None = Field(None, min_length=1, max_length=120)
    department_id: int | None = None
    member_ids: list[int] | None = None


class DepartmentOut(BaseModel):
    id: int
    name: str
    slug: str
    default_locale: str
    from_name: str
    signature: str
    signatures: dict[str, str]
    send_confirmation: bool
    agent_name_in_from: bool
    default_region: str
    default_group_id: int | None
    addresses: list[str]
    created_at: datetime


class DepartmentIn(Schema):
    name: str = Field(..., min_length=1, max_length=120)
    slug: str = Field(..., min_length=1, max_length=120, pattern=r"^[-a-zA-Z0-9_]+$")
    default_locale: Literal["en", "fr", "nl"] = "en"
    from_name: str = Field("", max_length=120)
    signature: str = ""
    signatures: dict[str, str] = Field(default_factory=dict, description="Signature per language (en, fr, nl); `signature` is the fallback.")
    send_confirmation: bool = True
    agent_name_in_from: bool = Field(False, description='Send replies as "Agent via Department".')
    default_region: str = Field("", max_length=2, description="ISO 3166 country of phone numbers written without a country code.")
    addresses: list[str] = Field(default_factory=list, max_length=50, description="Support addresses; the first is primary.")


class DepartmentPatchIn(Schema):
    name: str | None = Field(None, min_length=1, max_length=120)
    default_locale: Literal["en", "fr", "nl"] | None = None
    from_name: str | None = Field(None, max_length=120)
    signature: str | None = None
    signatures: dict[str, str] | None = None
    send_confirmation: bool | None = None
    agent_name_in_from: bool | None = None
    default_region: str | None = Field(None, max_length=2)
    default_group_id: int | None = None
    addresses: list[str] | None = Field(None, max_length=50, description="Replaces the support addresses; the first is primary.")


def agent_out(a: Agent) -> dict[str, Any]:
    return {
        "id": a.pk, "email": a.email, "name": a.name, "role": a.role, "ticket_scope": a.ticket_scope,
        "locale": a.locale, "time_zone": a.time_zone, "is_active": a.is_active,
        "group_ids": sorted(g.pk for g in a.support_groups.all()),
        "department_ids": sorted(d.pk for d in a.departments.all()),
        "date_joined": a.date_joined,
    }


def group_out(g: Group) -> dict[str, Any]:
    return {"id": g.pk, "name": g.name, "department_id": g.department_id, "member_ids": sorted(m.pk for m in g.members.all()), "created_at": g.created_at}


def department_out(d: Department) -> dict[str, Any]:
    return {
        "id": d.pk, "name": d.name, "slug": d.slug, "default_locale": d.default_locale, "from_name": d.from_name,
        "signature": d.signature, "signatures": d.signatures or {}, "send_confirmation": d.send_confirmation,
        "agent_name_in_from": d.agent_name_in_from, "default_region": d.default_region, "default_group_id": d.default_group_id,
        "addresses": [a.email for a in d.addresses.all()], "created_at": d.created_at,
    }
