"""`comptoir demo`: a realistic helpdesk (3 departments, 10 agents, 200 contacts, 2,000 tickets).

Everything about tickets goes through the real actions (comptoir.tickets.actions);
only the timestamps are moved into the past afterwards (demo/clock.py). It runs
in one transaction, so it either loads everything or nothing, and it does
nothing when the demo departments already exist.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from comptoir.contacts.actions import (
    find_or_create_account,
    find_or_create_contact,
    find_or_create_product,
    update_account,
)
from comptoir.contacts.models import AccountDomain, Contact
from comptoir.core import actions as core_actions
from comptoir.core import hooks
from comptoir.core.actors import SYSTEM
from comptoir.core.models import Agent, Department, Group
from comptoir.core.permissions import can
from comptoir.demo import catalog
from comptoir.demo.clock import DemoClock, backdate_auto_close
from comptoir.demo.files import attachment_for
from comptoir.demo.stories import NOTES, STORIES, Story
from comptoir.tickets import actions
from comptoir.tickets.models import (
    Category,
    Channel,
    CustomFieldDefinition,
    FieldKind,
    Priority,
    Status,
    StatusCategory,
    Ticket,
    TicketType,
)
from comptoir.tickets.statuses import default_status

VIA = "demo"
CONTACTS = 200
ACCOUNTS = 40
CATEGORY_WEIGHTS = [("new", 8), ("open", 17), ("pending", 10), ("on_hold", 6), ("solved", 9), ("closed", 50)]
# How old (in days) a ticket of each status category can be.
AGE_RANGE = {"new": (0.01, 2), "open": (0.1, 20), "pending": (1, 20), "on_hold": (2, 30), "solved": (0.5, 3.5), "closed": (6, 90)}
# Every hundred tickets, one open ticket gets a duplicate merged into it and one closed ticket a follow-up.
STAGED = {50: StatusCategory.OPEN, 20: StatusCategory.CLOSED}
DEPARTMENT_WEIGHTS = [("mobile-apps", 50), ("finance", 30), ("general", 20)]
CHANNEL_WEIGHTS = {
    "mobile-apps": [("email", 30), ("chat", 25), ("portal", 15), ("phone", 10), ("web", 10), ("api", 5), ("twitter", 5)],
    "finance": [("email", 50), ("web", 20), ("phone", 15), ("api", 10), ("portal", 5)],
    "general": [("email", 30), ("phone", 20), ("facebook", 15), ("whatsapp", 15), ("forum", 10), ("twitter", 10)],
}
PRIORITY_WEIGHTS = [(Priority.LOW, 20), (Priority.NORMAL, 55), (Priority.HIGH, 18), (Priority.URGENT, 7)]
TYPE_WEIGHTS = [(TicketType.QUESTION, 50), (TicketType.INCIDENT, 30), (TicketType.PROBLEM, 10), (TicketType.TASK, 10)]


Progress = Callable[[int, int], None]


@dataclass
class Cast:
    """The demo's people and settings, made once and handed to every ticket's story."""

    departments: dict[str, Department]
    groups: dict[str, list[Group]]  # department slug -> its groups
    agents: list[Agent]
    members: dict[int, list[Agent]]  # group id -> agents who can work tickets
    light_agents: dict[int, list[Agent]]  # group id -> light agents
    admin: Agent
    contacts: list[Contact]
    categories: dict[tuple[str, str, str], tuple[Category, Category]]
    statuses: dict[str, Status]
    counts: dict[str, int] = field(default_factory=dict)


def demo_present() -> bool:
    """The marker: the demo departments exist."""
    return Department.objects.filter(slug__in=list(catalog.DEPARTMENTS)).exists()


def _pick(rng: random.Random, weighted: list[tuple[Any, int]]) -> Any:
    values, weights = zip(*weighted, strict=True)
    return rng.choices(values, weights)[0]


def channels_quiet() -> AbstractContextManager[None]:
    """Keep the demo from mailing anyone: only the tickets app's own subscribers (in-app notices) stay."""
    return hooks.muted(keep=lambda fn: getattr(fn, "__module__", "").startswith("comptoir.tickets."))


def load_demo(*, tickets: int = 2000, seed: int = 2025, progress: Progress | None = None) -> dict[str, int] | None:
    """Load the demo helpdesk; returns counts, or None when it was already there.

    `progress(done, total)` is called every 50 tickets.
    """
    progress = progress or (lambda done, total: None)
    if demo_present():
        return None
    rng = random.Random(seed)
    with channels_quiet(), transaction.atomic():
        cast = build_cast(rng)
        build_tickets(cast, tickets, rng, progress)
    return cast.counts


def build_cast(rng: random.Random) -> Cast:
    """Departments, groups, agents, statuses, categories, custom fields, accounts and contacts."""
    # Staff are set up through the same actions an owner uses in the app.
    departments = {}
    for slug, (name, address, locale, from_name, signature) in catalog.DEPARTMENTS.items():
        departments[slug] = core_actions.create_department(
            name=name, slug=slug, addresses=[address], default_locale=locale, from_name=from_name,
            signature=signature, default_region="BE", actor=SYSTEM, via="demo")
    groups: dict[str, list[Group]] = {slug: [] for slug in departments}
    by_name = {}
    for name, slug in catalog.GROUPS.items():
        group = core_actions.create_group(name=name, department_id=departments[slug].pk, actor=SYSTEM, via="demo")
        groups[slug].append(group)
        by_name[name] = group
    agents = []
    members: dict[int, list[Agent]] = {g.pk: [] for g in by_name.values()}
    light: dict[int, list[Agent]] = {g.pk: [] for g in by_name.values()}
    for name, role, scope, locale, tz, group_names in catalog.AGENTS:
        agent = core_actions.create_agent(
            email=catalog.agent_email(name), name=name, role=role, ticket_scope=scope, locale=locale, time_zone=tz,
            group_ids=[by_name[g].pk for g in group_names],
            department_ids=sorted({departments[catalog.GROUPS[g]].pk for g in group_names}),
            actor=SYSTEM, via="demo")
        for group_name in group_names:
            (members if can(agent, "ticket.assign") else light)[by_name[group_name].pk].append(agent)
        agents.append(agent)
    # Invited agents have no password; the demo's accounts share a known one (printed by `make run`),
    # as `comptoir createadmin` sets the owner's, and sign their replies with their name.
    for agent in agents:
        core_actions.set_agent_password(agent, catalog.DEMO_PASSWORD, actor=SYSTEM, via=VIA)
        core_actions.update_profile(agent, {"signature": agent.name}, actor=SYSTEM, via=VIA)
    admin = next(a for a in agents if can(a, "admin.owners"))  # triages every ticket in the stories

    # The settings an admin would make first, through the same catalog actions as the admin pages;
    # a row of the same name an admin already made is reused.
    statuses = {cat: default_status(cat) for cat in StatusCategory.values}
    for name, category, position in catalog.CUSTOM_STATUSES:
        statuses[name] = Status.objects.filter(name=name).first() or actions.create_status(
            name=name, category=category, position=position, actor=SYSTEM, via=VIA)
    categories = {}
    for story in STORIES:
        dept = departments[story.department]
        parent = _category(story.category[0], None, dept)
        categories[(story.department, *story.category)] = (parent, _category(story.category[1], parent, dept))
    for key, fields in _custom_fields(departments).items():
        if not CustomFieldDefinition.objects.filter(key=key).exists():
            actions.create_custom_field(key=key, **fields, actor=SYSTEM, via=VIA)

    domains = []
    for name in catalog.account_names(ACCOUNTS):
        domain = "".join(ch for ch in name.lower() if ch.isalnum()) + ".example"
        _account_with_domain(name, domain)
        domains.append(domain)
    contacts = []
    for n in range(CONTACTS):
        locale = ("en", "fr", "nl")[n % 3]
        first = catalog.FIRST_NAMES[locale][n % 12]
        last = catalog.LAST_NAMES[locale][(n // 3) % 10]
        local = f"{first}.{last}".lower().replace(" ", "").replace("é", "e").replace("ë", "e").replace("ï", "i")
        # Three in five work for a customer account (matched by their email domain), three per account.
        domain = domains[((n // 5) * 3 + n % 5) % len(domains)] if n % 5 < 3 else ("mail.example", "post.example", "inbox.example")[n % 3]
        # Belgian mobiles, one per contact: 470 for the first hundred, 471 after (a valid E.164 number each).
        phone = f"+32 47{n // 100} {n % 100:02d} {n * 7 % 100:02d} {n * 13 % 100:02d}" if n % 4 == 0 else None
        contact, _created = find_or_create_contact(email=f"{local}{n}@{domain}", phone=phone, name=f"{first} {last}", locale=locale)
        contacts.append(contact)
    return Cast(departments=departments, groups=groups, agents=agents, members=members, light_agents=light, admin=admin,
                contacts=contacts, categories=categories, statuses=statuses,
                counts={"departments": len(departments), "agents": len(agents), "accounts": len(domains), "contacts": len(contacts)})


def _category(name: str, parent: Category | None, department: Department) -> Category:
    return Category.objects.filter(name=name, parent=parent, department=department).first() or actions.create_category(
        name=name, parent=parent, department=department, actor=SYSTEM, via=VIA)


def _custom_fields(departments: dict[str, Department]) -> dict[str, dict[str, Any]]:
    """The demo's ticket fields, by key: a device and app version customers fill in, a finance resolution code."""
    return {
        "device_model": {"label": "Device model", "kind": FieldKind.DROPDOWN, "choices": catalog.DEVICE_MODELS,
                         "department_id": departments["mobile-apps"].pk, "position": 1,
                         "visible_to_customers": True, "editable_by_customers": True},
        "app_version": {"label": "App version", "kind": FieldKind.TEXT, "department_id": departments["mobile-apps"].pk,
                        "position": 2, "visible_to_customers": True, "editable_by_customers": True},
        "resolution_code": {"label": "Resolution code", "kind": FieldKind.DROPDOWN, "choices": catalog.RESOLUTION_CODES,
                            "department_id": departments["finance"].pk, "required_in": [StatusCategory.SOLVED], "position": 3},
    }


def _account_with_domain(name: str, domain: str) -> None:
    """The account called `name`, owning `domain` unless another account already does."""
    account = find_or_create_account(name, actor=SYSTEM, via=VIA)
    known = set(account.domains.values_list("domain", flat=True))
    if domain not in known and not AccountDomain.objects.filter(domain=domain).exists():
        update_account(account, domains=sorted(known | {domain}), actor=SYSTEM, via=VIA)


def _times(rng: random.Random, start: datetime, end: datetime, count: int) -> list[datetime]:
    """`count` increasing moments strictly between start and end."""
    span = (end - start).total_seconds()
    return [start + timedelta(seconds=span * f) for f in sorted(0.05 + 0.9 * rng.random() for _ in range(count))]


@dataclass
class Plan:
    """What happens to one ticket: the story, who and when, and where it ends up."""

    index: int
    story: Story
    contact: Contact
    channel: str
    category: str
    priority: int
    type: str
    created_at: datetime
    group: Group
    assignee: Agent


def plan_ticket(cast: Cast, index: int, rng: random.Random, now: datetime) -> Plan:
    # The first tickets walk through every channel, status category, priority and type once.
    category = StatusCategory.values[index % 6] if index < 12 else _pick(rng, CATEGORY_WEIGHTS)
    if index % 100 in STAGED:
        category = STAGED[index % 100]  # room for a merged duplicate, or a follow-up after closing
    dept_slug = _pick(rng, DEPARTMENT_WEIGHTS)
    channel = Channel.values[index % len(Channel.values)] if index < len(Channel.values) else _pick(rng, CHANNEL_WEIGHTS[dept_slug])
    story = rng.choice([s for s in STORIES if s.department == dept_slug])
    low, high = AGE_RANGE[category]
    age = timedelta(days=low + (high - low) * rng.random() ** 1.5)
    groups = cast.groups[dept_slug]
    group = groups[0] if len(groups) == 1 or rng.random() < 0.7 else groups[1]
    return Plan(
        index=index, story=story, contact=rng.choice(cast.contacts), channel=channel, category=category,
        priority=Priority.values[index % 4] if index < 4 else _pick(rng, PRIORITY_WEIGHTS),
        type=TicketType.values[index % 4] if index < 4 else _pick(rng, TYPE_WEIGHTS),
        created_at=now - age, group=group, assignee=rng.choice(cast.members[group.pk]),
    )


def build_tickets(cast: Cast, count: int, rng: random.Random, progress: Progress) -> None:
    clock = DemoClock()
    now = timezone.now()
    made = merged = follow_ups = index = 0
    pending_follow_ups: list[tuple[Ticket, Plan]] = []
    while made < count:
        plan = plan_ticket(cast, index, rng, now)
        ticket = play(cast, plan, clock, rng, now)
        made += 1
        if STAGED.get(index % 100) == StatusCategory.OPEN and made < count:
            merge_duplicate(cast, plan, ticket, clock, now)
            made += 1
            merged += 1
        if STAGED.get(index % 100) == StatusCategory.CLOSED and made < count:
            pending_follow_ups.append((ticket, plan))
            made += 1
        index += 1
        if index % 50 == 0 or made >= count:
            clock.rewrite()
            progress(made, count)
    # The auto-close job closes what was solved more than four days ago, then customers
    # write again on some closed tickets, which opens follow-up tickets.
    started = timezone.now()
    actions.close_solved_tickets()
    backdate_auto_close(started, timedelta(days=4, hours=1))
    for ticket, plan in pending_follow_ups:
        ticket.refresh_from_db()
        clock.step(min(now - timedelta(minutes=5), (ticket.closed_at or now) + timedelta(days=2)))
        # actor=SYSTEM as the channels pass it: with the contact as actor, the follow-up's
        # carried-over assignee is refused (assignable_agent_ids(contact) is empty).
        actions.receive_customer_message(ticket, contact=plan.contact, actor=SYSTEM, via=plan.channel,
                                         body_text=plan.story.texts[_locale(plan)][3])
        follow_ups += 1
    clock.rewrite()
    archived = archive_oldest(cast, now)
    cast.counts.update({"tickets": Ticket.objects.count(), "merged": merged, "follow_ups": follow_ups, "archived": archived})


def archive_oldest(cast: Cast, now: datetime) -> int:
    """An admin's clean-up: one in five tickets closed more than six weeks ago is archived."""
    old = Ticket.objects.filter(status_category=StatusCategory.CLOSED, merged_into__isnull=True,
                                closed_at__lt=now - timedelta(days=42)).order_by("closed_at", "id")
    archived = 0
    for n, ticket in enumerate(old):
        if n % 5 == 0:
            actions.archive_ticket(ticket, actor=cast.admin, via="web")
            archived += 1
    return archived


def _locale(plan: Plan) -> str:
    return plan.contact.locale if plan.contact.locale in plan.story.texts else "en"


def play(cast: Cast, plan: Plan, clock: DemoClock, rng: random.Random, now: datetime) -> Ticket:
    """Create one ticket and take it, through the actions, to its planned status."""
    story, locale = plan.story, _locale(plan)
    subject, opening, reply, follow_up, closing = story.texts[locale]
    dept = cast.departments[story.department]
    custom: dict[str, Any] = {}
    if story.department == "mobile-apps":
        custom = {"device_model": rng.choice(catalog.DEVICE_MODELS), "app_version": f"4.{rng.randint(9, 12)}.{rng.randint(0, 3)}"}
    by_agent = plan.channel == Channel.PHONE and plan.category != StatusCategory.NEW
    actor: Any = plan.assignee if by_agent else (plan.contact if plan.channel == Channel.PORTAL else SYSTEM)
    files = [attachment_for(story.department, plan.index)] if plan.index % 30 == 7 else []
    # Some customers copy a colleague of their company on an email; tasks get a due date.
    colleagues = [c for c in cast.contacts if plan.contact.account_id and c.account_id == plan.contact.account_id and c.pk != plan.contact.pk]
    cc = colleagues[:1] if plan.channel == Channel.EMAIL and plan.index % 8 == 3 else []
    due_at = plan.created_at + timedelta(days=3 + plan.index % 5) if plan.type == TicketType.TASK else None
    clock.step(plan.created_at)
    team_fields: dict[str, Any] = {"group": plan.group, "priority": plan.priority, "type": plan.type,
                                   "tags": list(story.tags), "due_at": due_at}
    from_customer = actor is plan.contact
    ticket = actions.create_ticket(
        actor=actor, via=plan.channel, channel=plan.channel, subject=subject, description=opening, contact=plan.contact,
        department=dept, assignee=plan.assignee if by_agent else None, custom_fields=custom, attachments=files,
        created_at=plan.created_at, send_confirmation=False, cc=cc,
        email_headers={"to": [dept.primary_address]} if plan.channel == Channel.EMAIL else None,
        **({} if from_customer else {**team_fields, "product_name": story.product}),
    )
    if from_customer:
        # A customer says what the problem is; the team sets group, priority, type, tags and product.
        product = find_or_create_product(story.product, actor=SYSTEM, via=VIA) if story.product else None
        ticket = actions.update_ticket(ticket, {**team_fields, "product": product}, actor=cast.admin, via="web")
    if plan.category == StatusCategory.NEW:
        return ticket
    end = now - timedelta(minutes=10)
    if plan.category == StatusCategory.CLOSED:
        end = min(end, now - timedelta(days=4, hours=6))
    moments = iter(_times(rng, plan.created_at, end, 6))
    parent, child = cast.categories[(story.department, *story.category)]
    triage: dict[str, Any] = {"assignee": plan.assignee, "category": parent, "subcategory": child}
    if story.department == "finance":
        triage["custom_fields"] = {"resolution_code": rng.choice(catalog.RESOLUTION_CODES)}
    clock.step(next(moments))
    ticket = actions.update_ticket(ticket, triage, actor=cast.admin, via="web")
    agent = plan.assignee
    if plan.category == StatusCategory.PENDING:
        clock.step(next(moments))
        actions.add_reply(ticket, actor=agent, via="web", body_text=reply, new_status=StatusCategory.PENDING)
        return ticket
    if plan.category in (StatusCategory.SOLVED, StatusCategory.CLOSED) and rng.random() < 0.6:
        # Answered and solved in one go; closed ones are closed by the auto-close job later.
        clock.step(next(moments))
        actions.add_reply(ticket, actor=agent, via="web", body_text=reply, new_status=StatusCategory.SOLVED)
        return ticket
    clock.step(next(moments))
    actions.add_reply(ticket, actor=agent, via="web", body_text=reply)
    if plan.category == StatusCategory.ON_HOLD or rng.random() < 0.25:
        _note(cast, plan, ticket, clock, next(moments), rng)
    clock.step(next(moments))
    actions.receive_customer_message(ticket, contact=plan.contact, via=plan.channel, body_text=follow_up)
    final: str | None = {
        StatusCategory.OPEN: rng.choice([None, "In progress", "Escalated"]),
        StatusCategory.ON_HOLD: "Waiting for supplier",
        StatusCategory.SOLVED: StatusCategory.SOLVED,
        StatusCategory.CLOSED: StatusCategory.SOLVED,
    }[StatusCategory(plan.category)]
    if final is not None:
        clock.step(next(moments))
        actions.add_reply(ticket, actor=agent, via="web", body_text=closing, new_status=cast.statuses.get(final, final))
    return ticket


def _note(cast: Cast, plan: Plan, ticket: Ticket, clock: DemoClock, at: datetime, rng: random.Random) -> None:
    """An internal note, sometimes by a light agent, mentioning a colleague by @first.last."""
    writers = cast.light_agents.get(plan.group.pk) or []
    writer = writers[0] if writers and rng.random() < 0.5 else plan.assignee
    colleagues = [a for a in cast.members[plan.group.pk] if a.pk != writer.pk] or [cast.admin]
    mention = rng.choice(colleagues).email.split("@")[0]
    clock.step(at)
    actions.add_internal_note(ticket, actor=writer, via="web", body_text=rng.choice(NOTES[writer.locale]).format(mention=mention))


def merge_duplicate(cast: Cast, plan: Plan, ticket: Ticket, clock: DemoClock, now: datetime) -> None:
    """The same customer writes again in a new ticket; an agent merges it into the first one."""
    subject, opening = plan.story.texts[_locale(plan)][:2]
    at = plan.created_at + (now - plan.created_at) / 3
    clock.step(at)
    duplicate = actions.create_ticket(
        actor=SYSTEM, via=Channel.EMAIL, channel=Channel.EMAIL, subject=subject, description=opening, contact=plan.contact,
        department=cast.departments[plan.story.department], group=plan.group, assignee=None, created_at=at,
        send_confirmation=False,
    )
    clock.step(at + timedelta(minutes=20))
    actions.merge_tickets(duplicate, ticket, actor=cast.admin, via="web")
