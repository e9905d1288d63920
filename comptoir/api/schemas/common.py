"""Shapes shared by every domain: references, pages, errors."""

from __future__ import annotations

from typing import Any, Literal

from ninja import Schema
from pydantic import BaseModel, Field, create_model

PriorityName = Literal["low", "normal", "high", "urgent"]
TicketTypeName = Literal["question", "incident", "problem", "task"]
ChannelName = Literal["email", "web", "portal", "phone", "chat", "forum", "twitter", "facebook", "whatsapp", "api"]
StatusCategoryName = Literal["new", "open", "pending", "on_hold", "solved", "closed"]


class Ref(BaseModel):
    id: int
    name: str


class ErrorDetail(BaseModel):
    code: str
    message: str
    fields: dict[str, str] | None = None


class ErrorOut(BaseModel):
    error: ErrorDetail


_pages: dict[type, type] = {}


def page_of(item: type) -> Any:
    """`{"results": [item, ...], "next": url-or-null}` for one item schema."""
    if item not in _pages:
        _pages[item] = create_model(f"{item.__name__}Page", __base__=BaseModel, results=(list[item], ...), next=(str | None, None))  # type: ignore[valid-type,call-overload]
    return _pages[item]


def ref(obj: Any) -> dict[str, Any] | None:
    return {"id": obj.pk, "name": str(obj)} if obj is not None else None


ERRORS: dict[int, Any] = {code: ErrorOut for code in (400, 401, 403, 404, 409, 413, 422, 429)}


class PageQuery(Schema):
    limit: int = Field(25, ge=1, le=100)
    cursor: str | None = None


class SearchPageQuery(PageQuery):
    q: str | None = Field(None, max_length=200)
