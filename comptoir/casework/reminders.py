"""Firing due activity reminders: each one once, marked sent in the same transaction as sending."""

from __future__ import annotations

import logging
from datetime import datetime

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from comptoir.casework.emails import send_reminder_email
from comptoir.casework.models import Reminder, ReminderChannel
from comptoir.casework.sms import send_sms
from comptoir.core.models import Notification

logger = logging.getLogger(__name__)
BATCH = 200


def due_reminder_ids(now: datetime, limit: int = BATCH) -> list[int]:
    """Ids of unsent reminders due at `now`, read through the (remind_at, sent_at) partial index.

    A reminder of a completed activity stays unsent: nobody wants to be reminded of done work.
    """
    return list(
        Reminder.objects.filter(sent_at__isnull=True, remind_at__lte=now, activity__completed_at__isnull=True)
        .order_by("remind_at").values_list("pk", flat=True)[:limit]
    )


def fire_due_reminders(now: datetime | None = None) -> int:
    """Send every reminder due at `now`; returns how many were sent.

    Each reminder is locked, re-checked, sent and marked in one transaction, so
    two workers never send the same one and a failed send leaves it unsent for
    the next run. Work is proportional to what is due.
    """
    now = now or timezone.now()
    sent = 0
    for reminder_id in due_reminder_ids(now):
        try:
            with transaction.atomic():
                reminder = (
                    Reminder.objects.select_for_update()
                    .filter(pk=reminder_id, sent_at__isnull=True, activity__completed_at__isnull=True)
                    .select_related("activity__owner", "activity__ticket")
                    .first()
                )
                if reminder is None:
                    continue
                _deliver(reminder)
                reminder.sent_at = now
                reminder.save(update_fields=["sent_at"])
                sent += 1
        except Exception:
            logger.exception("Reminder %s could not be sent; it will be retried", reminder_id)
    return sent


def _deliver(reminder: Reminder) -> None:
    activity = reminder.activity
    if reminder.channel == ReminderChannel.EMAIL:
        send_reminder_email(reminder)
        return
    with translation.override(activity.owner.locale or "en"):
        text = _("Reminder: %(subject)s (ticket #%(number)s)") % {"subject": activity.subject, "number": activity.ticket.number}
    if reminder.channel == ReminderChannel.POPUP:
        Notification.objects.create(agent=activity.owner, kind="activity_reminder", text=text[:300],
                                    ticket_id=activity.ticket_id)
    elif reminder.channel == ReminderChannel.SMS:
        send_sms(reminder.sms_to, text)
