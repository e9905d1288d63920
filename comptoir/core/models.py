"""Who works in the helpdesk: agents, their roles and scopes, departments and groups."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    OWNER = "owner", _("Owner")
    ADMIN = "admin", _("Administrator")
    SUPERVISOR = "supervisor", _("Supervisor")
    AGENT = "agent", _("Agent")
    LIGHT_AGENT = "light_agent", _("Light agent")


class TicketScope(models.TextChoices):
    ALL = "all", _("All tickets")
    GROUPS = "groups", _("Tickets of my groups")
    ASSIGNED = "assigned", _("Tickets assigned to me")


class Department(models.Model):
    """A brand: its own addresses, signature and language."""

    name = models.CharField(_("name"), max_length=120, unique=True)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    signature = models.TextField(_("signature"), blank=True)
    default_locale = models.CharField(_("default language"), max_length=8, default="en")
    # Where phone numbers written without a country code ("0470 12 34 56") come from:
    # ISO 3166 alpha-2 (BE, FR, NL...); blank uses COMPTOIR_DEFAULT_PHONE_REGION.
    default_region = models.CharField(_("default phone region"), max_length=2, blank=True)
    from_name = models.CharField(_("sender name"), max_length=120, blank=True)
    send_confirmation = models.BooleanField(_("send confirmation to new tickets"), default=True)
    agent_name_in_from = models.BooleanField(_('show "Agent via Department" as sender'), default=False)
    # The signature in each customer language ({"fr": "...", "nl": "..."}); a language
    # without one falls back to `signature` (Department.signature_for).
    signatures = models.JSONField(_("signatures per language"), default=dict, blank=True)
    # New tickets of the department that arrive without a group are routed here (create_ticket).
    default_group = models.ForeignKey(
        "Group", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("default group")
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]
        verbose_name = _("department")
        verbose_name_plural = _("departments")

    def __str__(self) -> str:
        return self.name

    def signature_for(self, locale: str | None) -> str:
        """The signature in `locale` ("fr", "fr-be"...) when one is written, else the default one."""
        signatures = self.signatures if isinstance(self.signatures, dict) else {}
        for code in (locale or "", (locale or "").split("-")[0]):
            text = signatures.get(code.lower()) if code else None
            if isinstance(text, str) and text.strip():
                return text
        return self.signature

    @property
    def primary_address(self) -> str | None:
        first = self.addresses.order_by("-is_primary", "id").first()
        return first.email if first else None


class SupportAddress(models.Model):
    """An email address of a department; inbound mail to it becomes the department's tickets."""

    department = models.ForeignKey(Department, on_delete=models.CASCADE, related_name="addresses")
    email = models.EmailField(_("email"), unique=True)
    is_primary = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("support address")
        verbose_name_plural = _("support addresses")

    def __str__(self) -> str:
        return self.email


class AgentManager(BaseUserManager["Agent"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> Agent:
        if not email:
            raise ValueError("An agent needs an email address.")
        agent = self.model(email=self.normalize_email(email).lower(), **extra)
        agent.set_password(password)
        agent.save(using=self._db)
        return agent

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> Agent:
        extra.setdefault("role", Role.OWNER)
        extra.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra)


class Agent(AbstractBaseUser, PermissionsMixin):
    """A member of the support staff. Customers are contacts, never agents."""

    email = models.EmailField(_("email"), unique=True)
    name = models.CharField(_("name"), max_length=150)
    role = models.CharField(_("role"), max_length=16, choices=Role.choices, default=Role.AGENT)
    ticket_scope = models.CharField(
        _("ticket access"), max_length=16, choices=TicketScope.choices, default=TicketScope.ALL
    )
    locale = models.CharField(_("language"), max_length=8, default="en")
    time_zone = models.CharField(_("time zone"), max_length=64, default="UTC")
    signature = models.TextField(_("signature"), blank=True)
    notification_preferences = models.JSONField(_("notification preferences"), default=dict, blank=True)
    departments = models.ManyToManyField(Department, blank=True, related_name="agents")
    # A role of the helpdesk's own making; when set, `can()` answers from its capabilities, not `role`.
    custom_role = models.ForeignKey(
        "CustomRole", null=True, blank=True, on_delete=models.PROTECT, related_name="agents", verbose_name=_("custom role")
    )
    is_active = models.BooleanField(_("active"), default=True)
    date_joined = models.DateTimeField(default=timezone.now)

    objects = AgentManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["name"]

    class Meta:
        ordering = ["name"]
        verbose_name = _("agent")
        verbose_name_plural = _("agents")

    def __str__(self) -> str:
        return self.name or self.email

    @property
    def is_staff(self) -> bool:
        """Django's admin site is for those who manage the helpdesk's settings."""
        return self.is_admin

    @property
    def is_admin(self) -> bool:
        """Holds `admin.settings` (core/permissions.py decides which roles do)."""
        from comptoir.core.permissions import can  # permissions reads this module's Role

        return can(self, "admin.settings")

    def wants_notification(self, kind: str, medium: str = "email") -> bool:
        """Preferences are opt-out: everything is on until the agent turns it off."""
        return bool(self.notification_preferences.get(f"{kind}:{medium}", True))


class Group(models.Model):
    """A team of agents; tickets are routed to groups and group-scoped agents see theirs."""

    name = models.CharField(_("name"), max_length=120, unique=True)
    department = models.ForeignKey(
        Department, null=True, blank=True, on_delete=models.SET_NULL, related_name="groups"
    )
    members = models.ManyToManyField(Agent, blank=True, related_name="support_groups")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]
        verbose_name = _("group")
        verbose_name_plural = _("groups")

    def __str__(self) -> str:
        return self.name


class Notification(models.Model):
    """An in-app notice for an agent (mentioned, assigned, customer replied...)."""

    agent = models.ForeignKey(Agent, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(max_length=40)
    text = models.CharField(max_length=300)
    ticket_id = models.BigIntegerField(null=True, blank=True)
    url = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["agent", "read_at", "-created_at"], name="notif_agent_unread")]

    def __str__(self) -> str:
        return self.text


class AuditEntry(models.Model):
    """One change an admin (or a rule, or the system) made to the helpdesk's configuration.

    Written only by `core/history.py`, from inside the action that made the
    change, so the audit log cannot miss a path. `changes` maps a field to
    `[before, after]`; the admin center renders it as a sentence.
    """

    created_at = models.DateTimeField(default=timezone.now)
    actor_agent = models.ForeignKey(Agent, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    actor_kind = models.CharField(max_length=8)
    actor_label = models.CharField(max_length=200, blank=True)
    via = models.CharField(max_length=20, blank=True)
    # "<area>.<verb>": "department.updated", "status.created", "agent.deactivated"...
    kind = models.CharField(max_length=60)
    object_type = models.CharField(max_length=60)
    object_id = models.CharField(max_length=60, blank=True)
    object_repr = models.CharField(max_length=200, blank=True)
    changes = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit log")
        indexes = [
            # The audit page: newest first, optionally of one kind of object or one actor.
            models.Index(fields=["-created_at", "-id"], name="audit_newest"),
            models.Index(fields=["object_type", "-created_at"], name="audit_by_type"),
            models.Index(fields=["actor_agent", "-created_at"], name="audit_by_actor"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.object_repr}"


class HelpdeskSettings(models.Model):
    """The helpdesk's own identity: one row (pk=1), read through `core.queries.helpdesk_settings()`."""

    name = models.CharField(_("helpdesk name"), max_length=120, default="Comptoir")
    logo = models.FileField(_("logo"), upload_to="branding/", blank=True)
    primary_color = models.CharField(_("main colour"), max_length=7, default="#2f5bea")
    accent_color = models.CharField(_("accent colour"), max_length=7, default="#0f766e")
    default_locale = models.CharField(_("default language"), max_length=8, default="en")
    time_zone = models.CharField(_("time zone"), max_length=64, default="Europe/Brussels")
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("helpdesk settings")
        verbose_name_plural = _("helpdesk settings")

    def __str__(self) -> str:
        return self.name


class CustomRole(models.Model):
    """A role built by the helpdesk from the capability list (core/permissions.py), e.g. "Brand manager".

    An agent holding one is granted exactly its capabilities; their departments
    narrow what a department-bound capability reaches (core.permissions.can).
    """

    name = models.CharField(_("name"), max_length=80, unique=True)
    description = models.TextField(_("description"), blank=True)
    capabilities = models.JSONField(_("capabilities"), default=list, blank=True)
    ticket_scope = models.CharField(
        _("default ticket access"), max_length=16, choices=TicketScope.choices, default=TicketScope.GROUPS
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]
        verbose_name = _("custom role")
        verbose_name_plural = _("custom roles")

    def __str__(self) -> str:
        return self.name
