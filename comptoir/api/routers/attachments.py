"""/api/v1/attachments/{id}: metadata and download, checked against the ticket's visibility."""

from __future__ import annotations

from typing import Any

from django.http import FileResponse, HttpRequest
from django.utils.translation import gettext as _
from ninja import Router

from comptoir.api.access import actor_of
from comptoir.api.schemas.common import ERRORS
from comptoir.api.schemas.messages import AttachmentOut, attachment_out
from comptoir.core.errors import NotFound
from comptoir.tickets.models import Attachment
from comptoir.tickets.queries import visible_attachments

router = Router()


def _attachment(request: HttpRequest, attachment_id: int) -> Attachment:
    """The attachment if visible_attachments() gives it to the caller; 404 otherwise (never 403: no leak)."""
    attachment = visible_attachments(actor_of(request)).filter(pk=attachment_id).first()
    if attachment is None:
        raise NotFound(_("Attachment not found."))
    return attachment


@router.get("/{int:attachment_id}", response={200: AttachmentOut, **ERRORS}, url_name="get_attachment", summary="Attachment metadata")
def get_attachment(request: HttpRequest, attachment_id: int) -> Any:
    return attachment_out(_attachment(request, attachment_id))


@router.get(
    "/{int:attachment_id}/download",
    response={200: None, **ERRORS},
    url_name="download_attachment",
    summary="Download an attachment",
    openapi_extra={"responses": {200: {"description": "The file", "content": {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}}}}},
)
def download_attachment(request: HttpRequest, attachment_id: int) -> Any:
    attachment = _attachment(request, attachment_id)
    response = FileResponse(attachment.file.open("rb"), as_attachment=True, filename=attachment.name, content_type=attachment.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    return response
