"""Storing files attached to messages: size-limited, content-sniffed, hashed."""

from __future__ import annotations

import hashlib
import mimetypes
from dataclasses import dataclass

import filetype
from django.conf import settings
from django.core.files.base import ContentFile
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _

from comptoir.core.errors import ValidationFailed
from comptoir.tickets.models import Attachment, Message, Ticket


@dataclass
class IncomingFile:
    """A file on its way in, from any channel: a form upload, an API part, an email part."""

    name: str
    content: bytes
    content_type: str = ""
    content_id: str = ""
    is_inline: bool = False


def check_size(size: int, name: str) -> None:
    limit = settings.ATTACHMENT_MAX_BYTES
    if size > limit:
        raise ValidationFailed(
            _("%(name)s is %(size).1f MB; the limit is %(limit).1f MB per file.")
            % {"name": name, "size": size / 1_048_576, "limit": limit / 1_048_576},
            {"attachments": "too_large"},
        )


def detect_content_type(content: bytes, name: str, declared: str = "") -> str:
    """Trust the bytes first, then the file name, then what the sender declared."""
    kind = filetype.guess(content[:8192])
    if kind is not None:
        return kind.mime
    guessed, _encoding = mimetypes.guess_type(name)
    return guessed or declared or "application/octet-stream"


def safe_name(name: str) -> str:
    cleaned = get_valid_filename(name.replace("\\", "/").rsplit("/", 1)[-1]) if name else ""
    return (cleaned or "attachment")[:255]


def validate_files(files: list[IncomingFile]) -> None:
    for f in files:
        check_size(len(f.content), f.name)


def store_attachments(ticket: Ticket, message: Message | None, files: list[IncomingFile]) -> list[Attachment]:
    """Save files through Django's storage API; call validate_files() before writing anything."""
    stored = []
    for f in files:
        check_size(len(f.content), f.name)
        digest = hashlib.sha256(f.content).hexdigest()
        name = safe_name(f.name)
        attachment = Attachment(
            ticket=ticket,
            message=message,
            name=name,
            size=len(f.content),
            content_type=detect_content_type(f.content, name, f.content_type),
            sha256=digest,
            content_id=f.content_id.strip("<>")[:250],
            is_inline=f.is_inline,
        )
        attachment.file.save(name, ContentFile(f.content), save=False)
        attachment.save()
        stored.append(attachment)
    return stored
