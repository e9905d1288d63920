"""The one way to change the team: departments and their addresses, groups, agents.

Every function takes `actor=` (and `via=` like every other action), checks the
actor's role through core.permissions, validates, and writes inside one
transaction. A unique name hit becomes Conflict, an unknown id ValidationFailed,
so every edge (API, agent settings pages, commands) reports them the same way.
The role rules live here and nowhere else: only an owner makes, changes or
deactivates an owner; nobody changes their own role or deactivates themselves;
the helpdesk always keeps at least one active owner.
"""

from __future__ import annotations

import zoneinfo
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from functools import cache
from typing import Any

import phonenumbers
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email, validate_slug
from django.db import IntegrityError, transaction
from django.db.models import Model, ProtectedError
from django.utils import timezone
from django.utils.translation import gettext as _

from comptoir.core.actors import RuleActor, SystemActor
from comptoir.core.errors import Conflict, ValidationFailed
from comptoir.core.history import record_change, snapshot
from comptoir.core.models import (
    Agent,
    Department,
    Group,
    Notification,
    Role,
    SupportAddress,
    TicketScope,
)
from comptoir.core.permissions import PermissionDenied, can, is_owner_role, require, roles_with

SETTINGS = "admin.settings"
AGENTS = "admin.agents"

DEPARTMENT_FIELDS = {"name", "slug", "default_locale", "default_region", "from_name", "signature", "send_confirmation", "agent_name_in_from",
                     "signatures", "default_group_id"}
GROUP_FIELDS = {"name", "department_id"}
AGENT_FIELDS = {"name", "role", "ticket_scope", "locale", "time_zone", "is_active"}


# What the audit log keeps of each (core.history.record_change): before → after, never a password.
def _department_state(department: Department) -> dict[str, Any]:
    addresses = sorted(department.addresses.values_list("email", flat=True)) if department.pk else []
    return {**snapshot(department, sorted(DEPARTMENT_FIELDS)), "addresses": addresses}


def _group_state(group: Group) -> dict[str, Any]:
    members = sorted(group.members.values_list("name", flat=True)) if group.pk else []
    return {**snapshot(group, ["name", "department"]), "members": members}


def _agent_state(agent: Agent) -> dict[str, Any]:
    groups = sorted(agent.support_groups.values_list("name", flat=True)) if agent.pk else []
    departments = sorted(agent.departments.values_list("name", flat=True)) if agent.pk else []
    return {**snapshot(agent, ["email", *sorted(AGENT_FIELDS)]), "support_groups": groups, "departments": departments}


@contextmanager
def conflict_on_duplicate(message: str) -> Iterator[None]:
    """Run a write in a savepoint; a unique constraint hit becomes Conflict (the caller's transaction survives)."""
    try:
        with transaction.atomic():
            yield
    except IntegrityError as exc:
        raise Conflict(message) from exc


def _unknown_keys(changes: dict[str, Any], allowed: set[str]) -> None:
    unknown = sorted(set(changes) - allowed)
    if unknown:
        raise ValidationFailed(_("These fields cannot be changed."), dict.fromkeys(unknown, "unknown"))


def _text(value: Any, field: str, max_length: int, *, required: bool = True) -> str:
    """A stripped string of at most max_length characters; empty only when not required."""
    if not isinstance(value, str):
        raise ValidationFailed(_("This field must be text."), {field: "invalid"})
    value = value.strip()
    if required and not value:
        raise ValidationFailed(_("This field cannot be empty."), {field: "required"})
    if len(value) > max_length:
        raise ValidationFailed(_("This value is too long."), {field: "too_long"})
    return value


def _choice(value: Any, field: str, allowed: Iterable[str]) -> str:
    if value not in set(allowed):
        raise ValidationFailed(_("This value is not one of the choices."), {field: "invalid"})
    return str(value)


def clean_locale(value: Any, field: str = "locale") -> str:
    """One of the interface's languages (settings.LANGUAGES codes); every edge reports the same error."""
    return _choice(value, field, [code for code, _name in settings.LANGUAGES])


_locale = clean_locale


@cache
def time_zones() -> tuple[str, ...]:
    """The time zones people may choose, sorted: the one list every form offers and every action accepts."""
    return tuple(sorted(zoneinfo.available_timezones() | {"UTC"}))


@cache
def _time_zone_set() -> frozenset[str]:
    return frozenset(time_zones())


def clean_time_zone(value: Any, field: str = "time_zone") -> str:
    """A known IANA zone: business hours and dates shown to the person are computed in it."""
    if value not in _time_zone_set():
        raise ValidationFailed(_("Unknown time zone."), {field: "invalid"})
    return str(value)


_time_zone = clean_time_zone


def _existing_ids(model: type[Model], ids: Iterable[int], field: str) -> list[int]:
    """`ids` without repeats, after checking each names a row of `model` (one query)."""
    wanted = list(dict.fromkeys(ids))
    if wanted and set(model._default_manager.filter(pk__in=wanted).values_list("pk", flat=True)) != set(wanted):
        raise ValidationFailed(_("Unknown ids."), {field: "not_found"})
    return wanted


# Departments ----------------------------------------------------------------


def _clean_department(department: Department, changes: dict[str, Any]) -> None:
    for field, value in changes.items():
        if field == "name":
            department.name = _text(value, "name", 120)
        elif field == "slug":
            slug = _text(value, "slug", 120)
            try:
                validate_slug(slug)
            except ValidationError as exc:
                raise ValidationFailed(_("A slug holds only letters, digits, hyphens and underscores."), {"slug": "invalid"}) from exc
            department.slug = slug
        elif field == "default_locale":
            department.default_locale = _locale(value, "default_locale")
        elif field == "default_region":
            department.default_region = _phone_region(value)
        elif field == "from_name":
            department.from_name = _text(value, "from_name", 120, required=False)
        elif field == "signature":
            department.signature = _text(value, "signature", 10_000, required=False)
        elif field == "signatures":
            department.signatures = _signatures(value)
        elif field == "default_group_id":
            department.default_group_id = _default_group_id(value, department)
        elif field in ("send_confirmation", "agent_name_in_from"):
            if not isinstance(value, bool):
                raise ValidationFailed(_("This field must be true or false."), {field: "invalid"})
            setattr(department, field, value)


def _signatures(value: Any) -> dict[str, str]:
    """{language: signature} for the interface's languages; empty ones are dropped (the default signature applies)."""
    if not isinstance(value, dict):
        raise ValidationFailed(_("Signatures must map a language to a text."), {"signatures": "invalid"})
    cleaned: dict[str, str] = {}
    for code, text in value.items():
        clean_locale(code, "signatures")
        text = _text(text, "signatures", 10_000, required=False)
        if text:
            cleaned[code] = text
    return cleaned


def _default_group_id(value: Any, department: Department) -> int | None:
    """A group of this department, or of none: a brand's new tickets never land in another brand's team."""
    if value is None:
        return None
    group = Group.objects.filter(pk=value).first() if isinstance(value, int) and not isinstance(value, bool) else None
    if group is None:
        raise ValidationFailed(_("Unknown group."), {"default_group_id": "not_found"})
    if group.department_id not in (None, department.pk):
        raise ValidationFailed(_("The default group must belong to this department or to none."), {"default_group_id": "invalid"})
    return group.pk


def _phone_region(value: Any) -> str:
    """An ISO 3166 alpha-2 country phonenumbers knows ("BE", "fr"...), upper-cased; "" for the setting's default."""
    region = value.strip().upper() if isinstance(value, str) else None
    if region is None or (region and region not in phonenumbers.SUPPORTED_REGIONS):
        raise ValidationFailed(_("A phone region is a two-letter country code, such as BE, FR or NL."), {"default_region": "invalid"})
    return region


def _write_addresses(department: Department, emails: Iterable[str]) -> None:
    """Make the department's support addresses exactly `emails`; the first one is primary."""
    cleaned: list[str] = []
    for raw in emails:
        email = _text(raw, "addresses", 254).lower()
        try:
            validate_email(email)
        except ValidationError as exc:
            raise ValidationFailed(_("Invalid email address: %(email)s.") % {"email": email}, {"addresses": "invalid"}) from exc
        if email not in cleaned:
            cleaned.append(email)
    taken = SupportAddress.objects.filter(email__in=cleaned).exclude(department=department).values_list("email", flat=True).first()
    if taken:
        # Inbound mail to an address routes to one department: an address cannot move silently.
        raise Conflict(_("%(email)s is already an address of another department.") % {"email": taken})
    department.addresses.exclude(email__in=cleaned).delete()
    existing = {a.email: a for a in department.addresses.all()}
    for position, email in enumerate(cleaned):
        address = existing.get(email)
        if address is None:
            SupportAddress.objects.create(department=department, email=email, is_primary=position == 0)
        elif address.is_primary != (position == 0):
            address.is_primary = position == 0
            address.save(update_fields=["is_primary"])


@transaction.atomic
def create_department(
    *,
    name: str,
    slug: str,
    addresses: Iterable[str] = (),
    actor: Any,
    via: str = "",
    **fields: Any,
) -> Department:
    """Add a brand. `fields` are the optional settings (default_locale, from_name, signature...).

    Its support addresses route inbound mail to it: each belongs to one department only.
    """
    require(actor, SETTINGS)
    _unknown_keys(fields, DEPARTMENT_FIELDS - {"name", "slug"})
    department = Department()
    _clean_department(department, {"name": name, "slug": slug, **fields})
    with conflict_on_duplicate(_("A department with this name or slug already exists.")):
        department.save()
    _write_addresses(department, addresses)
    record_change("department.created", department, actor=actor, via=via, after=_department_state(department))
    return department


@transaction.atomic
def update_department(department: Department, changes: dict[str, Any], *, actor: Any, via: str = "") -> Department:
    """Change a department's settings; `changes` may hold "addresses" to replace them all (first is primary)."""
    require(actor, SETTINGS, department)
    changes = dict(changes)
    addresses = changes.pop("addresses", None)
    _unknown_keys(changes, DEPARTMENT_FIELDS)
    before = _department_state(department)
    _clean_department(department, changes)
    if changes:
        with conflict_on_duplicate(_("A department with this name or slug already exists.")):
            department.save()
    if addresses is not None:
        _write_addresses(department, addresses)
    record_change("department.updated", department, actor=actor, via=via, before=before, after=_department_state(department))
    return department


@transaction.atomic
def set_support_addresses(department: Department, emails: Iterable[str], *, actor: Any, via: str = "") -> Department:
    """Replace the department's addresses with `emails` (the first is primary)."""
    require(actor, SETTINGS, department)
    before = _department_state(department)
    _write_addresses(department, emails)
    record_change("department.updated", department, actor=actor, via=via, before=before, after=_department_state(department))
    return department


@transaction.atomic
def delete_department(department: Department, *, actor: Any, via: str = "") -> None:
    """Delete a brand. Its tickets, groups, mailboxes and articles stay, without a department;
    its support addresses, categories and department-only custom fields go with it."""
    require(actor, SETTINGS, department)
    record_change("department.deleted", department, actor=actor, via=via, before=_department_state(department))
    try:
        department.delete()
    except ProtectedError as exc:
        raise Conflict(_("Other records still use this department; it cannot be deleted.")) from exc


# Groups ---------------------------------------------------------------------


def _department_id(value: Any) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not Department.objects.filter(pk=value).exists():
        raise ValidationFailed(_("Unknown department."), {"department_id": "not_found"})
    return value


def _member_ids(ids: Iterable[int]) -> list[int]:
    wanted = list(dict.fromkeys(ids))
    if wanted and set(Agent.objects.filter(pk__in=wanted).values_list("pk", flat=True)) != set(wanted):
        raise ValidationFailed(_("Unknown agents."), {"member_ids": "not_found"})
    return wanted


@transaction.atomic
def create_group(
    *, name: str, department_id: int | None = None, member_ids: Iterable[int] = (), actor: Any, via: str = ""
) -> Group:
    """Add a team; group-scoped agents see the tickets routed to their groups."""
    require(actor, SETTINGS)
    group = Group(name=_text(name, "name", 120), department_id=_department_id(department_id))
    members = _member_ids(member_ids)
    with conflict_on_duplicate(_("A group with this name already exists.")):
        group.save()
    group.members.set(members)
    record_change("group.created", group, actor=actor, via=via, after=_group_state(group))
    return group


@transaction.atomic
def update_group(group: Group, changes: dict[str, Any], *, actor: Any, via: str = "") -> Group:
    """Rename a group or move it to another department (None: no department);
    "member_ids" in `changes` replaces its members."""
    require(actor, SETTINGS, group)
    changes = dict(changes)
    member_ids = changes.pop("member_ids", None)
    _unknown_keys(changes, GROUP_FIELDS)
    before = _group_state(group)
    if "name" in changes:
        group.name = _text(changes["name"], "name", 120)
    if "department_id" in changes:
        group.department_id = _department_id(changes["department_id"])
    if changes:
        with conflict_on_duplicate(_("A group with this name already exists.")):
            group.save()
    if member_ids is not None:
        group.members.set(_member_ids(member_ids))
    record_change("group.updated", group, actor=actor, via=via, before=before, after=_group_state(group))
    return group


@transaction.atomic
def set_group_members(group: Group, member_ids: Iterable[int], *, actor: Any, via: str = "") -> Group:
    """Make the group's members exactly `member_ids`."""
    require(actor, SETTINGS, group)
    before = _group_state(group)
    group.members.set(_member_ids(member_ids))
    record_change("group.updated", group, actor=actor, via=via, before=before, after=_group_state(group))
    return group


@transaction.atomic
def delete_group(group: Group, *, actor: Any, via: str = "") -> None:
    """Delete a team. Its tickets stay, without a group (no ticket history: the group no longer exists to name)."""
    require(actor, SETTINGS, group)
    record_change("group.deleted", group, actor=actor, via=via, before=_group_state(group))
    group.delete()


# Agents ---------------------------------------------------------------------


def _is_machine(actor: Any) -> bool:
    return isinstance(actor, (SystemActor, RuleActor))


def _guard_owner_role(actor: Any, *roles: str | None) -> None:
    """Only an owner (or the system) grants, changes or removes the owner role."""
    if any(is_owner_role(role) for role in roles) and not _is_machine(actor) and not can(actor, "admin.owners"):
        raise PermissionDenied(_("Only an owner can grant or change the owner role."))


def _guard_last_owner(agent: Agent) -> None:
    """Refuse to leave the helpdesk without an active owner (someone must be able to manage owners).

    The active owners are locked first, so two owners removing each other at the
    same moment cannot both succeed.
    """
    others = list(
        Agent.objects.select_for_update().filter(role__in=roles_with("admin.owners"), is_active=True).exclude(pk=agent.pk).values_list("pk", flat=True)
    )
    if not others:
        raise ValidationFailed(_("The helpdesk needs at least one active owner."), {"agent": "last_owner"})


def _clean_agent(agent: Agent, changes: dict[str, Any]) -> None:
    for field, value in changes.items():
        if value is None:
            raise ValidationFailed(_("This field cannot be empty."), {field: "required"})
        if field == "name":
            agent.name = _text(value, "name", 150)
        elif field == "role":
            agent.role = _choice(value, "role", Role.values)
        elif field == "ticket_scope":
            agent.ticket_scope = _choice(value, "ticket_scope", TicketScope.values)
        elif field == "locale":
            agent.locale = _locale(value, "locale")
        elif field == "time_zone":
            agent.time_zone = _time_zone(value)
        elif field == "is_active":
            if not isinstance(value, bool):
                raise ValidationFailed(_("This field must be true or false."), {field: "invalid"})
            agent.is_active = value


@transaction.atomic
def create_agent(
    *,
    email: str,
    name: str,
    role: str = Role.AGENT,
    ticket_scope: str = TicketScope.ALL,
    locale: str = "en",
    time_zone: str = "UTC",
    group_ids: Iterable[int] = (),
    department_ids: Iterable[int] = (),
    actor: Any,
    via: str = "",
) -> Agent:
    """Invite an agent: no usable password is set, they choose one through the sign-in page's reset.

    Only an owner adds an owner.
    """
    require(actor, AGENTS)
    _guard_owner_role(actor, role)
    address = _text(email, "email", 254).lower()
    try:
        validate_email(address)
    except ValidationError as exc:
        raise ValidationFailed(_("Invalid email address."), {"email": "invalid"}) from exc
    agent = Agent(email=address)
    _clean_agent(agent, {"name": name, "role": role, "ticket_scope": ticket_scope, "locale": locale, "time_zone": time_zone})
    groups = _existing_ids(Group, group_ids, "group_ids")
    departments = _existing_ids(Department, department_ids, "department_ids")
    agent.set_unusable_password()
    with conflict_on_duplicate(_("An agent with this email already exists.")):
        agent.save()
    agent.support_groups.set(groups)
    agent.departments.set(departments)
    record_change("agent.created", agent, actor=actor, via=via, after=_agent_state(agent))
    return agent


@transaction.atomic
def update_agent(agent: Agent, changes: dict[str, Any], *, actor: Any, via: str = "") -> Agent:
    """Change an agent's profile, role, ticket scope or active flag; "group_ids" and
    "department_ids" in `changes` replace their memberships.

    Nobody changes their own role or deactivates themselves; only an owner touches
    an owner; the last active owner keeps both role and access.
    """
    require(actor, AGENTS, agent)
    changes = dict(changes)
    group_ids = changes.pop("group_ids", None)
    department_ids = changes.pop("department_ids", None)
    _unknown_keys(changes, AGENT_FIELDS)
    _guard_owner_role(actor, changes.get("role"), agent.role)
    before = _agent_state(agent)
    if agent.pk == getattr(actor, "pk", None) and (
        changes.get("is_active") is False or ("role" in changes and changes["role"] != agent.role)
    ):
        raise ValidationFailed(_("You cannot deactivate yourself or change your own role."), {"agent": "self"})
    was_active_owner = is_owner_role(agent.role) and agent.is_active
    _clean_agent(agent, changes)
    if was_active_owner and (not is_owner_role(agent.role) or not agent.is_active):
        _guard_last_owner(agent)
    if changes:
        agent.save(update_fields=sorted(changes))
    if group_ids is not None:
        agent.support_groups.set(_existing_ids(Group, group_ids, "group_ids"))
    if department_ids is not None:
        agent.departments.set(_existing_ids(Department, department_ids, "department_ids"))
    record_change("agent.updated", agent, actor=actor, via=via, before=before, after=_agent_state(agent))
    return agent


@transaction.atomic
def deactivate_agent(agent: Agent, *, actor: Any, via: str = "") -> Agent:
    """Agents are deactivated, never deleted: their history and replies keep their name,
    and their tokens and sessions stop working at once (authentication checks the flag)."""
    require(actor, AGENTS, agent)
    _guard_owner_role(actor, agent.role)
    if agent.pk == getattr(actor, "pk", None):
        raise ValidationFailed(_("You cannot deactivate yourself."), {"agent": "self"})
    if not agent.is_active:
        return agent
    if is_owner_role(agent.role):
        _guard_last_owner(agent)
    agent.is_active = False
    agent.save(update_fields=["is_active"])
    record_change("agent.deactivated", agent, actor=actor, via=via, before={"is_active": True}, after={"is_active": False})
    return agent


MIN_PASSWORD_LENGTH = 8


@transaction.atomic
def set_agent_password(agent: Agent, password: str, *, actor: Any, via: str = "") -> Agent:
    """Give an agent a new password (their own, or anyone's with "admin.agents"); their other
    sessions end, since Django ties a session to the password hash."""
    if not (isinstance(actor, Agent) and actor.pk == agent.pk and actor.is_active):
        require(actor, AGENTS, agent)
    if not isinstance(password, str) or len(password) < MIN_PASSWORD_LENGTH:
        raise ValidationFailed(_("The password needs at least %(count)d characters.") % {"count": MIN_PASSWORD_LENGTH},
                               {"password": "too_short"})
    agent.set_password(password)
    agent.save(update_fields=["password"])
    # The entry says a password was set, by whom; the value (even hashed) never reaches the log.
    record_change("agent.password_set", agent, actor=actor, via=via)
    return agent


# An agent's own profile and notifications -------------------------------------

PROFILE_FIELDS = {"name", "locale", "time_zone", "signature", "notification_preferences"}


def _require_self_or_admin(agent: Agent, actor: Any) -> None:
    """An agent manages their own profile and notices; changing someone else's needs "admin.agents"."""
    own = isinstance(actor, Agent) and actor.pk == agent.pk and actor.is_active
    if not own:
        require(actor, AGENTS, agent)


def _notification_preferences(value: Any, current: dict[str, Any]) -> dict[str, bool]:
    """The stored preferences with `value` ("kind:medium" -> on/off) laid over them."""
    if not isinstance(value, dict) or not all(
        isinstance(k, str) and ":" in k and len(k) <= 80 and isinstance(v, bool) for k, v in value.items()
    ):
        raise ValidationFailed(_("Notification choices must map a kind of notice to on or off."),
                               {"notification_preferences": "invalid"})
    return {**current, **value}


@transaction.atomic
def update_profile(agent: Agent, changes: dict[str, Any], *, actor: Any, via: str = "") -> Agent:
    """Change an agent's own preferences: name, language, time zone, signature, notification choices.

    The same validation as the team pages (create_agent/update_agent): one list of
    languages, one list of time zones. Role, scope and access are not profile
    fields; they go through update_agent.
    """
    _require_self_or_admin(agent, actor)
    changes = dict(changes)
    _unknown_keys(changes, PROFILE_FIELDS)
    signature = changes.pop("signature", None)
    preferences = changes.pop("notification_preferences", None)
    _clean_agent(agent, changes)
    fields = sorted(changes)
    if signature is not None:
        agent.signature = _text(signature, "signature", 10_000, required=False)
        fields.append("signature")
    if preferences is not None:
        agent.notification_preferences = _notification_preferences(preferences, dict(agent.notification_preferences or {}))
        fields.append("notification_preferences")
    if fields:
        agent.save(update_fields=fields)
    return agent


@transaction.atomic
def mark_notifications_read(
    agent: Agent, *, notification_ids: Iterable[int] | None = None, actor: Any, via: str = ""
) -> int:
    """Mark the agent's unread notifications read: all of them, or only `notification_ids`.

    Ids of other agents' notifications are ignored, never an error: the dropdown
    may post an id that was deleted meanwhile. Returns how many changed.
    """
    _require_self_or_admin(agent, actor)
    unread = Notification.objects.filter(agent=agent, read_at__isnull=True)
    if notification_ids is not None:
        unread = unread.filter(pk__in=list(notification_ids))
    return unread.update(read_at=timezone.now())
