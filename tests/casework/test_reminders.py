"""Activity reminders fire once, at their time, through the worker's task function."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail

from comptoir.casework import actions
from comptoir.casework.models import Reminder
from comptoir.casework.reminders import fire_due_reminders
from comptoir.casework.tasks import fire_reminders
from comptoir.core.errors import ValidationFailed
from comptoir.core.models import Notification
from tests.factories import make_agent, make_ticket

pytestmark = pytest.mark.django_db
T0 = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def agent():
    return make_agent(name="Ana Agent")


def _call_back(agent, channel, remind_at, **extra):
    ticket = make_ticket(actor=agent)
    return actions.create_activity(ticket, "task", "Call the customer back", actor=agent, via="web",
                                   due_at=T0 + dt.timedelta(hours=2),
                                   reminders=[{"channel": channel, "remind_at": remind_at, **extra}])


def test_an_email_reminder_fires_once_at_its_time(agent, time_machine):
    time_machine.move_to(T0, tick=False)
    _call_back(agent, "email", T0 + dt.timedelta(hours=1))
    mail.outbox.clear()
    time_machine.move_to(T0 + dt.timedelta(minutes=59), tick=False)
    fire_reminders.call_local()
    assert mail.outbox == []
    time_machine.move_to(T0 + dt.timedelta(hours=1), tick=False)
    fire_reminders.call_local()
    assert [m.to for m in mail.outbox] == [[agent.email]]
    assert "Call the customer back" in mail.outbox[0].subject
    time_machine.move_to(T0 + dt.timedelta(hours=1, minutes=1), tick=False)
    fire_reminders.call_local()
    assert len(mail.outbox) == 1


def test_a_popup_reminder_becomes_an_in_app_notification(agent, time_machine):
    time_machine.move_to(T0, tick=False)
    _call_back(agent, "popup", T0 + dt.timedelta(minutes=30))
    assert fire_due_reminders(T0 + dt.timedelta(minutes=30)) == 1
    assert Notification.objects.filter(agent=agent, kind="activity_reminder").count() == 1


class RecordingSmsBackend:
    """A pluggable backend, as a deployment would configure one, that keeps what it sends."""

    sent: list[tuple[str, str]] = []

    def send_sms(self, to: str, text: str) -> None:
        self.sent.append((to, text))


def test_an_sms_reminder_goes_through_the_configured_backend(agent, time_machine, settings):
    RecordingSmsBackend.sent = []
    settings.COMPTOIR_SMS_BACKEND = f"{__name__}.RecordingSmsBackend"
    time_machine.move_to(T0, tick=False)
    _call_back(agent, "sms", T0 + dt.timedelta(minutes=5), sms_to="+32470000000")
    fire_due_reminders(T0 + dt.timedelta(minutes=5))
    assert RecordingSmsBackend.sent == [("+32470000000", f"Reminder: Call the customer back (ticket #{Reminder.objects.get().activity.ticket.number})")]


def test_a_reminder_in_the_past_is_refused_and_nothing_is_saved(agent, time_machine):
    time_machine.move_to(T0, tick=False)
    with pytest.raises(ValidationFailed) as exc:
        _call_back(agent, "email", T0 - dt.timedelta(minutes=1))
    assert "reminders" in exc.value.fields
    assert Reminder.objects.count() == 0


def test_the_sweep_reads_only_what_is_due(agent, time_machine, django_assert_max_num_queries):
    time_machine.move_to(T0, tick=False)
    for minutes in range(1, 6):
        _call_back(agent, "popup", T0 + dt.timedelta(days=minutes))
    with django_assert_max_num_queries(1):
        assert fire_due_reminders(T0 + dt.timedelta(minutes=1)) == 0


def test_a_completed_activity_sends_no_reminder(agent, time_machine):
    time_machine.move_to(T0, tick=False)
    activity = _call_back(agent, "email", T0 + dt.timedelta(hours=1))
    actions.complete_activity(activity, actor=agent, via="web")
    mail.outbox.clear()
    time_machine.move_to(T0 + dt.timedelta(hours=1), tick=False)
    fire_reminders.call_local()
    assert mail.outbox == []
