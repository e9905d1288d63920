"""Tickets and what hangs off them. Data only: changes go through tickets/actions/."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from comptoir.contacts.models import Account, Contact, Product
from comptoir.core.actors import ActorKind
from comptoir.core.models import Department, Group


class StatusCategory(models.TextChoices):
    NEW = "new", _("New")
    OPEN = "open", _("Open")
    PENDING = "pending", _("Pending")
    ON_HOLD = "on_hold", _("On hold")
    SOLVED = "solved", _("Solved")
    CLOSED = "closed", _("Closed")


# A customer's message on a ticket in one of these categories sets it back to open.
REOPENED_BY_CUSTOMER = {StatusCategory.PENDING, StatusCategory.ON_HOLD, StatusCategory.SOLVED}
UNSOLVED = [StatusCategory.NEW, StatusCategory.OPEN, StatusCategory.PENDING, StatusCategory.ON_HOLD]


class Priority(models.IntegerChoices):
    LOW = 1, _("Low")
    NORMAL = 2, _("Normal")
    HIGH = 3, _("High")
    URGENT = 4, _("Urgent")

    @classmethod
    def from_name(cls, name: str) -> Priority:
        return cls[name.upper()]


class TicketType(models.TextChoices):
    QUESTION = "question", _("Question")
    INCIDENT = "incident", _("Incident")
    PROBLEM = "problem", _("Problem")
    TASK = "task", _("Task")


class Channel(models.TextChoices):
    EMAIL = "email", _("Email")
    WEB = "web", _("Web form")
    PORTAL = "portal", _("Help center")
    PHONE = "phone", _("Phone")
    CHAT = "chat", _("Chat")
    FORUM = "forum", _("Forum")
    TWITTER = "twitter", _("X / Twitter")
    FACEBOOK = "facebook", _("Facebook")
    WHATSAPP = "whatsapp", _("WhatsApp")
    API = "api", _("API")


class Status(models.Model):
    """A status agents pick ("Escalated", "In progress"), mapped to one fixed category."""

    name = models.CharField(_("name"), max_length=80, unique=True)
    # {"fr": "...", "nl": "..."}: what agents and customers read in their language (tickets.labels).
    name_translations = models.JSONField(_("name translations"), default=dict, blank=True)
    category = models.CharField(_("category"), max_length=16, choices=StatusCategory.choices)
    is_default = models.BooleanField(_("default for its category"), default=False)
    position = models.PositiveSmallIntegerField(default=0)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("status")
        verbose_name_plural = _("statuses")

    def __str__(self) -> str:
        return self.name


class Tag(models.Model):
    name = models.CharField(_("name"), max_length=80, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Category(models.Model):
    """A ticket category; one with a parent is a subcategory of it."""

    name = models.CharField(_("name"), max_length=120)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.CASCADE, related_name="children")
    department = models.ForeignKey(Department, null=True, blank=True, on_delete=models.CASCADE, related_name="categories")
    name_translations = models.JSONField(_("name translations"), default=dict, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "name"]
        constraints = [models.UniqueConstraint(fields=["name", "parent", "department"], name="category_unique")]

    def __str__(self) -> str:
        return f"{self.parent} › {self.name}" if self.parent_id else self.name


class FieldKind(models.TextChoices):
    TEXT = "text", _("Text")
    LONG_TEXT = "long_text", _("Long text")
    NUMBER = "number", _("Number")
    DECIMAL = "decimal", _("Decimal")
    DATE = "date", _("Date")
    CHECKBOX = "checkbox", _("Checkbox")
    DROPDOWN = "dropdown", _("Dropdown")
    MULTI_SELECT = "multi_select", _("Multi-select")
    DEPENDENT_DROPDOWN = "dependent_dropdown", _("Dependent dropdown")


class CustomFieldDefinition(models.Model):
    """A ticket field an admin adds. Values live in Ticket.custom_fields under `key`.

    `choices` is a list for dropdowns, or for a dependent dropdown a mapping
    from the parent field's value to the list allowed under it.
    """

    key = models.SlugField(_("key"), max_length=60, unique=True)
    label = models.CharField(_("label"), max_length=120)
    kind = models.CharField(_("kind"), max_length=20, choices=FieldKind.choices)
    choices = models.JSONField(_("choices"), default=list, blank=True)
    # Labels of the options per language, beside `choices` so every reader of the stored
    # values keeps working: {"wifi": {"en": "Wi-Fi", "fr": "Wi-Fi", "nl": "Wifi"}}.
    choice_labels = models.JSONField(_("option labels"), default=dict, blank=True)
    depends_on = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="dependents")
    required_in = models.JSONField(_("required when entering"), default=list, blank=True)
    visible_to_customers = models.BooleanField(_("visible to customers"), default=False)
    editable_by_customers = models.BooleanField(_("editable by customers"), default=False)
    department = models.ForeignKey(Department, null=True, blank=True, on_delete=models.CASCADE, related_name="custom_fields")
    position = models.PositiveSmallIntegerField(default=0)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("custom field")
        verbose_name_plural = _("custom fields")

    def __str__(self) -> str:
        return self.label


class TicketFormLayout(models.Model):
    """Which custom fields a department's new-ticket forms (agent and portal) show, in which order.

    `field_keys` lists CustomFieldDefinition keys; a department without a layout
    shows every active field that applies to it, as before layouts existed.
    """

    department = models.OneToOneField(Department, on_delete=models.CASCADE, related_name="ticket_form_layout")
    field_keys = models.JSONField(_("fields"), default=list, blank=True)

    class Meta:
        verbose_name = _("ticket form layout")
        verbose_name_plural = _("ticket form layouts")

    def __str__(self) -> str:
        return str(self.department)


class TicketCounter(models.Model):
    """One row holding the last ticket number handed out (#1234 numbers are gapless and ours)."""

    last_number = models.BigIntegerField(default=1000)

    def __str__(self) -> str:
        return f"#{self.last_number}"


class Ticket(models.Model):
    number = models.BigIntegerField(_("number"), unique=True)
    subject = models.CharField(_("subject"), max_length=250)
    description = models.TextField(_("description"), blank=True)
    status = models.ForeignKey(Status, on_delete=models.PROTECT, related_name="+")
    # Copied from status.category so lists filter and sort on one indexed column.
    status_category = models.CharField(max_length=16, choices=StatusCategory.choices, db_index=False)
    priority = models.PositiveSmallIntegerField(_("priority"), choices=Priority.choices, default=Priority.NORMAL)
    type = models.CharField(_("type"), max_length=16, choices=TicketType.choices, default=TicketType.QUESTION)
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices, default=Channel.WEB)
    department = models.ForeignKey(Department, null=True, blank=True, on_delete=models.SET_NULL, related_name="tickets")
    contact = models.ForeignKey(Contact, on_delete=models.PROTECT, related_name="tickets")
    account = models.ForeignKey(Account, null=True, blank=True, on_delete=models.SET_NULL, related_name="tickets")
    product = models.ForeignKey(Product, null=True, blank=True, on_delete=models.SET_NULL, related_name="tickets")
    category = models.ForeignKey(Category, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    subcategory = models.ForeignKey(Category, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    assignee = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="assigned_tickets")
    group = models.ForeignKey(Group, null=True, blank=True, on_delete=models.SET_NULL, related_name="tickets")
    tags = models.ManyToManyField(Tag, blank=True, related_name="tickets")
    due_at = models.DateTimeField(_("due date"), null=True, blank=True)
    cc_contacts = models.ManyToManyField(Contact, blank=True, related_name="cc_tickets")
    followers = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="followed_tickets")
    custom_fields = models.JSONField(_("custom fields"), default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    first_agent_reply_at = models.DateTimeField(null=True, blank=True)
    last_customer_message_at = models.DateTimeField(null=True, blank=True)
    last_agent_message_at = models.DateTimeField(null=True, blank=True)
    status_changed_at = models.DateTimeField(default=timezone.now)
    solved_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    merged_into = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="merged_tickets")
    follow_up_of = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="follow_ups")
    archived_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-updated_at", "-id"]
        verbose_name = _("ticket")
        verbose_name_plural = _("tickets")
        indexes = [
            # Every list: a category filter sorted by recent activity, per scope.
            models.Index(fields=["status_category", "-updated_at"], name="ticket_cat_updated"),
            # Per visibility branch (assigned to me / my groups), only the unarchived tickets
            # lists show: the index alone answers a branch's page, without reading rows.
            models.Index(fields=["assignee", "status_category", "-updated_at"], name="ticket_assignee_live",
                         condition=models.Q(archived_at__isnull=True)),
            models.Index(fields=["group", "status_category", "-updated_at"], name="ticket_group_live",
                         condition=models.Q(archived_at__isnull=True)),
            models.Index(fields=["department", "status_category", "-updated_at"], name="ticket_dept_cat"),
            models.Index(fields=["-updated_at"], name="ticket_updated"),
            models.Index(fields=["-created_at"], name="ticket_created"),
            models.Index(fields=["contact", "-updated_at"], name="ticket_contact"),
            models.Index(fields=["account", "-updated_at"], name="ticket_account"),
            models.Index(fields=["status", "-updated_at"], name="ticket_status_updated"),
            models.Index(fields=["priority", "-updated_at"], name="ticket_priority"),
            models.Index(fields=["channel", "-updated_at"], name="ticket_channel"),
            models.Index(fields=["due_at"], name="ticket_due"),
            # The auto-close job: solved tickets by solve time.
            models.Index(fields=["status_category", "solved_at"], name="ticket_cat_solved"),
        ]

    def __str__(self) -> str:
        return f"#{self.number} {self.subject}"

    @property
    def reference(self) -> str:
        return f"#{self.number}"

    @property
    def priority_name(self) -> str:
        return Priority(self.priority).name.lower()


class MessageKind(models.TextChoices):
    REPLY = "reply", _("Public reply")
    NOTE = "note", _("Internal note")
    SYSTEM = "system", _("System message")


class DeliveryStatus(models.TextChoices):
    NONE = "", _("Not sent")
    QUEUED = "queued", _("Queued")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")


class Message(models.Model):
    """One entry of a conversation. Notes (kind=note) never reach a contact."""

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="messages")
    kind = models.CharField(max_length=8, choices=MessageKind.choices, default=MessageKind.REPLY)
    author_kind = models.CharField(max_length=8, choices=ActorKind.choices)
    author_agent = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    author_contact = models.ForeignKey(Contact, null=True, blank=True, on_delete=models.SET_NULL, related_name="messages")
    channel = models.CharField(max_length=16, choices=Channel.choices, default=Channel.WEB)
    body_text = models.TextField(blank=True)
    body_html = models.TextField(blank=True)  # always sanitised before it is stored
    to = models.JSONField(default=list, blank=True)
    cc = models.JSONField(default=list, blank=True)
    email_message_id = models.CharField(max_length=998, blank=True)
    in_reply_to = models.CharField(max_length=998, blank=True)
    references = models.JSONField(default=list, blank=True)
    is_auto_reply = models.BooleanField(default=False)
    delivery_status = models.CharField(max_length=8, choices=DeliveryStatus.choices, default=DeliveryStatus.NONE, blank=True)
    delivery_error = models.TextField(blank=True)
    mentions = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="mentioned_in")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["ticket", "created_at"], name="message_ticket_created"),
            # Email threading looks messages up by their Message-ID.
            models.Index(fields=["email_message_id"], name="message_msgid"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on #{self.ticket_id}"

    @property
    def is_public(self) -> bool:
        return self.kind == MessageKind.REPLY

    @property
    def author_name(self) -> str:
        if self.author_agent_id:
            return str(self.author_agent)
        if self.author_contact_id:
            return str(self.author_contact)
        return "Comptoir"


def attachment_path(instance: Attachment, filename: str) -> str:
    now = timezone.now()
    return f"attachments/{now:%Y/%m}/{instance.sha256[:2]}/{instance.sha256}"


class Attachment(models.Model):
    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="attachments")
    message = models.ForeignKey(Message, null=True, blank=True, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to=attachment_path, max_length=300)
    name = models.CharField(max_length=255)
    size = models.BigIntegerField()
    content_type = models.CharField(max_length=120)
    sha256 = models.CharField(max_length=64)
    content_id = models.CharField(max_length=250, blank=True)  # for inline cid: images
    is_inline = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["sha256"], name="attachment_sha")]

    def __str__(self) -> str:
        return self.name


class EventKind(models.TextChoices):
    CREATED = "created", _("Ticket created")
    FIELD_CHANGED = "field_changed", _("Field changed")
    REPLY_ADDED = "reply_added", _("Reply added")
    NOTE_ADDED = "note_added", _("Internal note added")
    CUSTOMER_MESSAGE = "customer_message", _("Customer message")
    TAG_ADDED = "tag_added", _("Tag added")
    TAG_REMOVED = "tag_removed", _("Tag removed")
    MERGED_INTO = "merged_into", _("Merged into another ticket")
    MERGED_FROM = "merged_from", _("Another ticket merged in")
    SPLIT_FROM = "split_from", _("Split from another ticket")
    SPLIT_TO = "split_to", _("Message split into a new ticket")
    FOLLOW_UP_CREATED = "follow_up_created", _("Follow-up ticket created")
    ARCHIVED = "archived", _("Archived")
    UNARCHIVED = "unarchived", _("Unarchived")
    FOLLOWER_ADDED = "follower_added", _("Follower added")
    NOTIFICATION_SENT = "notification_sent", _("Notification sent")
    CUSTOM = "custom", _("Other")


class TicketEvent(models.Model):
    """The ticket's history. Written only by tickets/history.py, inside the action's transaction."""

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=32)
    actor_kind = models.CharField(max_length=8, choices=ActorKind.choices)
    actor_agent = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    actor_contact = models.ForeignKey(Contact, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    actor_label = models.CharField(max_length=200, blank=True)
    via = models.CharField(max_length=16, blank=True)
    field = models.CharField(max_length=60, blank=True)
    old_value = models.JSONField(null=True, blank=True)
    new_value = models.JSONField(null=True, blank=True)
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["ticket", "created_at"], name="event_ticket_created"),
            models.Index(fields=["kind", "created_at"], name="event_kind_created"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} on #{self.ticket_id}"
