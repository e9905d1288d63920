"""The ticket's resolution text, and turning it into a draft help-center article."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from comptoir.casework.models import Resolution
from comptoir.core.errors import ValidationFailed
from comptoir.core.hooks import Event, emit
from comptoir.core.models import Agent
from comptoir.knowledge.models import Article, ArticleStatus
from comptoir.tickets import history
from comptoir.tickets.actions.guards import ensure_allowed
from comptoir.tickets.models import Ticket


def save_resolution(ticket: Ticket, text: str, *, actor: Any, via: str, email_contact: bool = False) -> Resolution:
    """Create or replace the ticket's one resolution; history keeps old -> new text.

    With `email_contact`, the text is mailed to the ticket's contact after commit.
    """
    ensure_allowed(actor, "ticket.update", ticket)
    text = (text or "").strip()
    if not text:
        raise ValidationFailed(_("The resolution cannot be empty."), {"text": "required"})
    with transaction.atomic():
        resolution = Resolution.objects.select_for_update().filter(ticket=ticket).first()
        old = resolution.text if resolution else None
        if resolution is None:
            resolution = Resolution(ticket=ticket)
        resolution.text, resolution.updated_at = text, timezone.now()
        resolution.updated_by = actor if isinstance(actor, Agent) else None
        resolution.save()
        if old != text:
            history.record(ticket, "resolution_saved", actor=actor, via=via, field="resolution", old=old, new=text)
            emit(Event("resolution.saved", ticket_id=ticket.pk))
        if email_contact:
            transaction.on_commit(lambda: _enqueue_resolution_email(resolution.pk))
    return resolution


def _enqueue_resolution_email(resolution_id: int) -> None:
    from comptoir.casework.tasks import send_resolution_email

    send_resolution_email(resolution_id)


def publish_resolution_to_knowledge_base(ticket: Ticket, *, actor: Any, via: str) -> Article:
    """A draft article from the ticket's resolution, linked back to the ticket; never published directly."""
    ensure_allowed(actor, "ticket.update", ticket)
    resolution = Resolution.objects.filter(ticket=ticket).first()
    if resolution is None:
        raise ValidationFailed(_("Write a resolution first."), {"text": "required"})
    with transaction.atomic():
        article = Article.objects.create(
            title=ticket.subject, body=resolution.text, status=ArticleStatus.DRAFT,
            locale=getattr(ticket.contact, "locale", "") or "en", department_id=ticket.department_id,
            source_ticket_id=ticket.pk, author=actor if isinstance(actor, Agent) else None,
        )
        resolution.article_id = article.pk
        resolution.save(update_fields=["article_id"])
        history.record(ticket, "resolution_published", actor=actor, via=via, data={"article_id": article.pk})
    return article
