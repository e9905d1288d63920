"""Idempotency-Key on POST: a retried request gets the first answer and creates nothing new.

The record is claimed before the view runs (unique on key + owner), so two
copies of one request racing each other cannot both do the work; the second
gets 409 until the first has answered. Successful answers are kept 24 hours.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
from datetime import timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse
from django.http.request import RawPostDataException
from django.utils import timezone
from django.utils.translation import gettext as _

from comptoir.api.errors import ReplayedResponse
from comptoir.api.models import IdempotencyRecord
from comptoir.core.errors import Conflict, ValidationFailed

HEADER = "Idempotency-Key"
KEEP_FOR = timedelta(hours=24)
# A claimed key whose request never answered (a crashed worker) is given up after this.
STALE_CLAIM = timedelta(minutes=2)


def owner_label(owner: Any) -> str:
    kind = "agent" if owner._meta.label == "core.Agent" else "contact"
    return f"{kind}:{owner.pk}"


def _fingerprint(request: HttpRequest) -> str:
    """What makes two requests "the same": method, path and content.

    A multipart body is fingerprinted by its parsed fields and files, not its
    bytes: HTTP clients pick a fresh random boundary for every send, so the raw
    bytes of a genuine retry differ.
    """
    digest = hashlib.sha256()
    digest.update(f"{request.method} {request.get_full_path()}\n".encode())
    if (request.content_type or "").startswith("multipart/form-data"):
        for key in sorted(request.POST):
            digest.update(json.dumps([key, request.POST.getlist(key)]).encode())
        for key in sorted(request.FILES):
            for upload in request.FILES.getlist(key):
                digest.update(json.dumps([key, upload.name, upload.content_type]).encode())
                for chunk in upload.chunks():
                    digest.update(chunk)
                upload.seek(0)  # the view reads it again
        return digest.hexdigest()
    with contextlib.suppress(RawPostDataException):  # the body was already streamed
        digest.update(request.body)
    return digest.hexdigest()


def claim_key(request: HttpRequest, owner: Any) -> None:
    """Before the view: replay a stored answer, refuse a reused or busy key, or claim the key."""
    key = request.headers.get(HEADER)
    if request.method != "POST" or not key:
        return
    key = key.strip()
    if not key or len(key) > 255:
        raise ValidationFailed(_("The Idempotency-Key header must be 1 to 255 characters."), {HEADER: "invalid"})
    label = owner_label(owner)
    fingerprint = _fingerprint(request)
    now = timezone.now()
    record = IdempotencyRecord.objects.filter(key=key, owner=label).first()
    if record is not None:
        expired = record.created_at < now - KEEP_FOR
        stale = record.status_code == 0 and record.created_at < now - STALE_CLAIM
        if expired or stale:
            record.delete()
        elif record.status_code == 0:
            raise Conflict(_("A request with this Idempotency-Key is still being processed; retry later."))
        elif record.fingerprint != fingerprint:
            raise ValidationFailed(
                _("This Idempotency-Key was already used for a different request."), {HEADER: "reused"}
            )
        else:
            response = HttpResponse(bytes(record.body), status=record.status_code, content_type=record.content_type)
            response["Idempotent-Replayed"] = "true"
            raise ReplayedResponse(response)
    try:
        with transaction.atomic():
            record = IdempotencyRecord.objects.create(key=key, owner=label, fingerprint=fingerprint, created_at=now)
    except IntegrityError as exc:
        raise Conflict(_("A request with this Idempotency-Key is still being processed; retry later.")) from exc
    request._comptoir_idempotency = record  # type: ignore[attr-defined]


def store_answer(request: HttpRequest, response: HttpResponse) -> None:
    """After the view: keep a successful answer for replay; release the key otherwise."""
    record: IdempotencyRecord | None = getattr(request, "_comptoir_idempotency", None)
    if record is None:
        return
    request._comptoir_idempotency = None  # type: ignore[attr-defined]
    if 200 <= response.status_code < 300 and not getattr(response, "streaming", False):
        IdempotencyRecord.objects.filter(pk=record.pk).update(
            status_code=response.status_code,
            body=response.content,
            content_type=response.get("Content-Type", "application/json"),
        )
    else:
        IdempotencyRecord.objects.filter(pk=record.pk).delete()


def purge_expired_records(now: Any = None) -> int:
    """Delete answers older than 24 hours; returns how many."""
    cutoff = (now or timezone.now()) - KEEP_FOR
    deleted, _rows = IdempotencyRecord.objects.filter(created_at__lt=cutoff).delete()
    return deleted
