"""Background jobs of the API app: webhook deliveries and their retry sweep, idempotency clean-up."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task


@db_task()
def deliver_webhook(delivery_id: int) -> None:
    from comptoir.api.webhooks.delivery import attempt_delivery

    attempt_delivery(delivery_id)


@db_periodic_task(crontab(minute="*"))
def deliver_due_webhooks() -> None:
    from comptoir.api.webhooks.delivery import deliver_due

    deliver_due()


@db_periodic_task(crontab(hour="3", minute="17"))
def purge_idempotency_records() -> None:
    from comptoir.api.idempotency import purge_expired_records

    purge_expired_records()
