"""Casework data: approvals, resolutions, activities with reminders, time entries.

Models hold data, constraints and indexes; the rules live in casework/actions/.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from comptoir.tickets.models import Status, Ticket


class ApprovalState(models.TextChoices):
    PENDING = "pending", _("Pending")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")



class ApprovalRequest(models.Model):
    """One request for approval on a ticket, decided by the first approver who answers."""

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="approval_requests")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    reason = models.TextField(_("reason"))
    state = models.CharField(_("state"), max_length=16, choices=ApprovalState.choices, default=ApprovalState.PENDING)
    status_on_approve = models.ForeignKey(Status, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    status_on_reject = models.ForeignKey(Status, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["ticket", "-created_at"], name="approval_ticket_recent")]

    def __str__(self) -> str:
        return f"approval {self.pk} ({self.state})"



class ApprovalPolicy(models.Model):
    """The desk's one approval policy, set by an admin: which status a decision applies by default.

    A request that names its own statuses keeps them; the others take these.
    """

    status_on_approve = models.ForeignKey(Status, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                                          verbose_name=_("status when approved"))
    status_on_reject = models.ForeignKey(Status, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                                         verbose_name=_("status when rejected"))
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        # One row at most: pk 1 is the desk's policy.
        constraints = [models.CheckConstraint(condition=Q(pk=1), name="approval_policy_single_row")]

    def __str__(self) -> str:
        return "approval policy"



class ApprovalStep(models.Model):
    """One approver's part in a request; `nonce` makes the emailed links single use."""

    request = models.ForeignKey(ApprovalRequest, on_delete=models.CASCADE, related_name="steps")
    approver = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="approval_steps")
    nonce = models.CharField(max_length=64, unique=True)
    decision = models.CharField(max_length=16, choices=ApprovalState.choices, default=ApprovalState.PENDING)
    comment = models.TextField(_("comment"), blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["request", "approver"], name="approval_step_once_per_approver")]
        # "Waiting for my approval": the approver's pending steps.
        indexes = [models.Index(fields=["approver", "decision"], name="approval_step_waiting")]

    def __str__(self) -> str:
        return f"approval step {self.pk} ({self.decision})"



class Resolution(models.Model):
    """The one resolution text of a ticket; earlier texts live in the ticket history."""

    ticket = models.OneToOneField(Ticket, on_delete=models.CASCADE, related_name="resolution")
    text = models.TextField(_("resolution"))
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(default=timezone.now)
    article_id = models.BigIntegerField(null=True, blank=True)

    def __str__(self) -> str:
        return f"resolution of ticket {self.ticket_id}"



class ActivityKind(models.TextChoices):
    TASK = "task", _("Task")
    CALL = "call", _("Call")
    EVENT = "event", _("Event")



class CallDirection(models.TextChoices):
    INBOUND = "in", _("Inbound")
    OUTBOUND = "out", _("Outbound")



class ReminderChannel(models.TextChoices):
    EMAIL = "email", _("Email")
    POPUP = "popup", _("In-app pop-up")
    SMS = "sms", _("SMS")



class Activity(models.Model):
    """A task, call or event linked to a ticket, owned by an agent."""

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="activities")
    kind = models.CharField(_("kind"), max_length=8, choices=ActivityKind.choices)
    subject = models.CharField(_("subject"), max_length=250)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="activities")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    due_at = models.DateTimeField(_("due"), null=True, blank=True)
    ends_at = models.DateTimeField(_("ends"), null=True, blank=True)
    direction = models.CharField(_("direction"), max_length=4, choices=CallDirection.choices, blank=True)
    duration_minutes = models.PositiveIntegerField(_("duration (minutes)"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=250, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["owner", "completed_at", "due_at"], name="activity_owner_open")]

    def __str__(self) -> str:
        return self.subject



class Reminder(models.Model):
    """A reminder for an activity; the worker sends each once, marking `sent_at` as it sends."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="reminders")
    channel = models.CharField(_("channel"), max_length=8, choices=ReminderChannel.choices)
    remind_at = models.DateTimeField(_("remind at"))
    # Agents have no phone field; an SMS reminder carries its number.
    sms_to = models.CharField(_("SMS number"), max_length=40, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        # The periodic task asks for remind_at <= now AND sent_at IS NULL.
        indexes = [models.Index(fields=["remind_at", "sent_at"], name="reminder_due",
                                condition=Q(sent_at__isnull=True))]

    def __str__(self) -> str:
        return f"{self.channel} reminder at {self.remind_at:%Y-%m-%d %H:%M}"



class TimeEntry(models.Model):
    """Minutes an agent spent on a ticket, billable or not."""

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="time_entries")
    agent = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="time_entries")
    date = models.DateField(_("date"))
    minutes = models.PositiveIntegerField(_("duration (minutes)"))
    billable = models.BooleanField(_("billable"), default=True)
    note = models.CharField(_("note"), max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["date", "pk"]
        indexes = [models.Index(fields=["date"], name="time_entry_date"),
                   models.Index(fields=["ticket", "date"], name="time_entry_ticket")]

    def __str__(self) -> str:
        return f"{self.minutes} min on {self.date}"



class RunningTimer(models.Model):
    """A started timer; one per agent, enforced by the database."""

    agent = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="running_timer")
    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="+")
    started_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"timer of agent {self.agent_id}"
