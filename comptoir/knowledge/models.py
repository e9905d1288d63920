"""Help-center articles: the minimal shape other features (portal, suggestions) build on."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from comptoir.core.models import Department


class ArticleStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")


class Article(models.Model):
    """A help-center article. `source_ticket_id` is a plain id: knowledge sits below tickets."""

    title = models.CharField(_("title"), max_length=250)
    body = models.TextField(_("body"), blank=True)
    locale = models.CharField(_("language"), max_length=10, default="en")
    status = models.CharField(_("status"), max_length=16, choices=ArticleStatus.choices, default=ArticleStatus.DRAFT)
    department = models.ForeignKey(Department, null=True, blank=True, on_delete=models.SET_NULL, related_name="articles")
    source_ticket_id = models.BigIntegerField(null=True, blank=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-updated_at"]
        indexes = [models.Index(fields=["status", "locale"], name="article_status_locale")]

    def __str__(self) -> str:
        return self.title
