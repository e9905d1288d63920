"""Saved views: named conditions with the columns, sort and grouping of a ticket list.

They live in the agent app rather than tickets/ (see docs/decisions/0001): the
agent workspace is their only reader today.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class SavedView(models.Model):
    """A ticket list an agent saved for themselves (owner set) or an admin shared (owner null).

    `conditions` is in the language of tickets/conditions.py and is validated
    before it is stored; `columns`, `sort` and `group_by` take values from the
    fixed lists in agent/lists/columns.py.
    """

    name = models.CharField(_("name"), max_length=120)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="saved_views",
        verbose_name=_("owner"),
    )
    conditions = models.JSONField(_("conditions"), default=dict, blank=True)
    columns = models.JSONField(_("columns"), default=list, blank=True)
    sort = models.CharField(_("sort"), max_length=40, default="-updated_at")
    group_by = models.CharField(_("group by"), max_length=20, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["position", "name", "id"]
        verbose_name = _("saved view")
        verbose_name_plural = _("saved views")
        # The sidebar reads an agent's own views plus the shared ones.
        indexes = [models.Index(fields=["owner", "position"], name="savedview_owner_pos")]

    def __str__(self) -> str:
        return self.name

    @property
    def is_shared(self) -> bool:
        return self.owner_id is None
