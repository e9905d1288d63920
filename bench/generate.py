"""The bulk generator: fills a bench database to N tickets fast, bypassing the actions on purpose.

The demo (`comptoir demo`) goes through the real actions; at 100k-1M tickets that
would take hours, so this module writes rows with bulk_create in batches,
shaped like what the actions write (a first customer message, agent replies,
a "created" history entry, numbers from the TicketCounter row). It is only
ever pointed at a throw-away bench database.
"""

from __future__ import annotations

import itertools
import json
import random
import sys
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.contrib.auth.hashers import make_password
from django.core.management.color import no_style
from django.db import connection, transaction
from django.utils import timezone

from comptoir.contacts.models import Account, AccountDomain, Contact, ContactIdentity, IdentityKind
from comptoir.core.models import Agent, Department, Group, Role, TicketScope
from comptoir.tickets.models import (
    EventKind,
    Message,
    MessageKind,
    Status,
    StatusCategory,
    Tag,
    Ticket,
    TicketCounter,
    TicketEvent,
    TicketType,
)
from comptoir.tickets.statuses import default_status

BATCH = 5000
SPAN_DAYS = 365
FILLER_AGENTS = 20
# Tickets (among those answered) whose conversation grows to 30-60 more messages.
LONG_THREAD_SHARE = 0.02

SUBJECTS = [
    "App crashes on start", "Cannot log in", "Refund for order", "Invoice is wrong", "Password reset link expired",
    "Payment declined", "Sync does not work", "Feature request: dark mode", "Account locked", "Wrong currency on invoice",
    "L'application plante au démarrage", "Remboursement de ma commande", "Facture incorrecte", "Je ne peux pas me connecter",
    "App start niet op", "Terugbetaling van mijn bestelling", "Factuur klopt niet", "Kan niet inloggen",
]
BODIES = [
    "Hello, since the last update the app closes as soon as I open it. Can you help?",
    "I was charged twice for the same order, please refund one of the payments.",
    "Bonjour, je n'arrive plus à me connecter depuis hier. Merci de votre aide.",
    "Goedendag, mijn factuur vermeldt een verkeerd bedrag. Kunt u dit nakijken?",
]
REPLIES = [
    "Thanks for reaching out. Could you tell us which version of the app you use?",
    "Merci pour votre message, nous regardons cela et revenons vers vous rapidement.",
    "Bedankt voor uw bericht. We hebben de terugbetaling in gang gezet.",
]
TAGS = ["vip", "refund", "bug", "crash", "login", "invoice", "android", "ios", "billing", "urgent-customer",
        "feedback", "duplicate-charge", "beta", "enterprise", "churn-risk", "sync", "password", "export", "api", "gdpr"]


class Weighted:
    """A weighted choice prepared once (cumulative weights), since it runs millions of times."""

    def __init__(self, weighted: list[tuple[Any, int]]) -> None:
        self.values = [v for v, _w in weighted]
        self.cumulative = list(itertools.accumulate(w for _v, w in weighted))

    def pick(self, rng: random.Random) -> Any:
        return rng.choices(self.values, cum_weights=self.cumulative)[0]


# (category, weight) for tickets older than two weeks, and for recent ones.
OLD_STATUS = Weighted([("closed", 85), ("solved", 3), ("pending", 4), ("on_hold", 3), ("open", 5)])
RECENT_STATUS = Weighted([("new", 20), ("open", 35), ("pending", 15), ("on_hold", 8), ("solved", 17), ("closed", 5)])
PRIORITIES = Weighted([(1, 20), (2, 55), (3, 18), (4, 7)])
TYPES = Weighted([(TicketType.QUESTION, 50), (TicketType.INCIDENT, 30), (TicketType.PROBLEM, 10), (TicketType.TASK, 10)])
CHANNELS = Weighted([("email", 45), ("web", 15), ("portal", 10), ("phone", 10), ("chat", 10), ("api", 4),
                     ("whatsapp", 2), ("facebook", 2), ("twitter", 1), ("forum", 1)])


@dataclass
class Staff:
    """The agents, groups and departments the bench data is spread over."""

    agents: dict[str, Agent]
    groups: list[Group]
    departments: list[Department]
    members: dict[int, list[int]]  # group id -> member agent ids


def ensure_staff(password: str) -> Staff:
    """Departments, groups and agents for the bench (created once, reused afterwards)."""
    hashed = ""
    departments = []
    for slug, name in [("bench-mobile", "Bench mobile apps"), ("bench-finance", "Bench finance"), ("bench-general", "Bench general")]:
        dept, _ = Department.objects.get_or_create(slug=slug, defaults={"name": name})
        departments.append(dept)
    groups = []
    for dept in departments:
        for level in ("L1", "L2"):
            group, _ = Group.objects.get_or_create(name=f"{dept.name} {level}", defaults={"department": dept})
            groups.append(group)

    def agent(key: str, role: str, scope: str, group_indexes: list[int]) -> Agent:
        nonlocal hashed
        email = f"{key.replace('_', '-')}@bench.test"
        found = Agent.objects.filter(email=email).first()
        if found is not None:
            return found
        hashed = hashed or make_password(password)  # slow on purpose: hash once, and only when needed
        found = Agent.objects.create(email=email, name=key.replace("_", " ").title(), role=role, ticket_scope=scope, password=hashed)
        for i in group_indexes:
            groups[i].members.add(found)
        return found

    agents = {
        "admin": agent("admin", Role.ADMIN, TicketScope.ALL, []),
        "supervisor": agent("supervisor", Role.SUPERVISOR, TicketScope.GROUPS, [0, 1]),
        "group_agent": agent("group_agent", Role.AGENT, TicketScope.GROUPS, [0]),
        "assigned_agent": agent("assigned_agent", Role.AGENT, TicketScope.ASSIGNED, [1]),
        "light_agent": agent("light_agent", Role.LIGHT_AGENT, TicketScope.GROUPS, [2]),
    }
    for n in range(FILLER_AGENTS):
        agent(f"agent_{n:02d}", Role.AGENT, TicketScope.ALL, [n % len(groups)])
    members: dict[int, list[int]] = {}
    for group in groups:
        ids = list(group.members.exclude(role=Role.LIGHT_AGENT).values_list("pk", flat=True))
        members[group.pk] = ids
    return Staff(agents=agents, groups=groups, departments=departments, members=members)


def _reserve_numbers(count: int) -> int:
    """Take `count` consecutive ticket numbers from the counter row; returns the first."""
    TicketCounter.objects.get_or_create(pk=1, defaults={"last_number": 1000})
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE tickets_ticketcounter SET last_number = last_number + %s WHERE id = 1 RETURNING last_number", [count]
        )
        last = int(cursor.fetchone()[0])
    return last - count + 1


def fill(target: int, *, password: str = "bench-password", seed: int = 7, out: Any = None) -> Staff:
    """Add tickets until the database holds `target` of them; prints progress to `out` (stderr)."""
    out = out or sys.stderr
    staff = ensure_staff(password)
    existing = Ticket.objects.count()
    missing = target - existing
    if missing <= 0:
        print(f"  {existing:,} tickets already there; nothing to generate.", file=out)
        return staff
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            # A large page cache keeps the ticket indexes in memory while rows pour in.
            cursor.execute("PRAGMA cache_size = -262144")
    rng = random.Random(seed + existing)
    statuses = {cat: default_status(cat) for cat in StatusCategory.values}
    tags = [Tag.objects.get_or_create(name=name)[0] for name in TAGS]
    accounts = _ensure_accounts()
    now = timezone.now()
    start_time = time.perf_counter()
    done = 0
    writers = _writers()
    contact_seq = (Contact.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
    while done < missing:
        size = min(BATCH, missing - done)
        with transaction.atomic():
            contact_seq = _write_batch(writers, rng, staff, statuses, tags, accounts, now, existing + done, target, size, contact_seq)
            _reset_sequences()
        done += size
        elapsed = time.perf_counter() - start_time
        print(f"\r  generated {done:>9,} / {missing:,} tickets  ({elapsed:5.1f} s, {done / elapsed:,.0f}/s)",
              end="", file=out, flush=True)
    print(file=out)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # fresh planner statistics on both backends
    return staff


def _reset_sequences() -> None:
    """Ids were handed out here: move PostgreSQL's sequences past them (no-op on SQLite)."""
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), [Contact, ContactIdentity, Ticket, Message, TicketEvent, Ticket.tags.through]):
            cursor.execute(sql)


def _ensure_accounts() -> list[Account]:
    accounts = []
    for n in range(50):
        account, created = Account.objects.get_or_create(name=f"Bench customer {n:02d}")
        if created:
            AccountDomain.objects.create(account=account, domain=f"customer{n:02d}.bench.test")
        accounts.append(account)
    return accounts


class RowWriter:
    """Inserts rows of one model with executemany, filling unnamed columns with the fields' defaults.

    Values given are already in database form (see `when()` for datetimes); ids
    are handed out here from max(id) + 1, so no RETURNING round trip is needed.
    """

    def __init__(self, model: type[Any], columns: list[str]) -> None:
        self.model = model
        self.given = columns
        fields = [f for f in model._meta.concrete_fields if not f.primary_key]
        self.defaults = [(f.column, f.get_db_prep_save(f.get_default(), connection)) for f in fields
                         if f.column not in columns]
        all_columns = ["id", *columns, *(c for c, _v in self.defaults)]
        quote = connection.ops.quote_name
        target = f"{quote(model._meta.db_table)} ({', '.join(quote(c) for c in all_columns)})"
        self.sql = f"INSERT INTO {target} VALUES ({', '.join(['%s'] * len(all_columns))})"
        self.copy_sql = f"COPY {target} FROM STDIN"
        self.tail = tuple(v for _c, v in self.defaults)
        self.rows: list[tuple[Any, ...]] = []
        self.next_id = 0

    def start(self) -> None:
        last = self.model.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        self.next_id = last + 1

    def add(self, *values: Any) -> int:
        pk = self.next_id
        self.next_id += 1
        self.rows.append((pk, *values, *self.tail))
        return pk

    def flush(self) -> None:
        if not self.rows:
            return
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                # COPY is several times faster than INSERT batches on PostgreSQL.
                with cursor.cursor.copy(self.copy_sql) as copy:
                    for values in self.rows:
                        copy.write_row(values)
            else:
                cursor.executemany(self.sql, self.rows)
        self.rows = []


def _sqlite_when(value: datetime | None) -> Any:
    """A UTC datetime as Django stores it on SQLite: naive UTC text."""
    return None if value is None else str(value.replace(tzinfo=None))


def _same(value: datetime | None) -> Any:
    return value


def _writers() -> dict[str, RowWriter]:
    return {
        "contact": RowWriter(Contact, ["name", "primary_email", "locale", "account_id", "created_at", "updated_at"]),
        "identity": RowWriter(ContactIdentity, ["contact_id", "kind", "value", "is_primary", "created_at"]),
        "ticket": RowWriter(Ticket, [
            "number", "subject", "description", "status_id", "status_category", "priority", "type", "channel",
            "department_id", "contact_id", "account_id", "assignee_id", "group_id", "created_at", "updated_at",
            "status_changed_at", "last_customer_message_at", "first_agent_reply_at", "last_agent_message_at",
            "solved_at", "closed_at",
        ]),
        "message": RowWriter(Message, ["ticket_id", "kind", "author_kind", "author_agent_id", "author_contact_id",
                                       "channel", "body_text", "created_at"]),
        "event": RowWriter(TicketEvent, ["ticket_id", "kind", "actor_kind", "actor_agent_id", "actor_contact_id",
                                         "via", "field", "old_value", "new_value", "data", "created_at"]),
        "tag": RowWriter(Ticket.tags.through, ["ticket_id", "tag_id"]),
    }


def _write_batch(
    w: dict[str, RowWriter],
    rng: random.Random,
    staff: Staff,
    statuses: dict[str, Status],
    tags: list[Tag],
    accounts: list[Account],
    now: datetime,
    offset: int,
    target: int,
    size: int,
    contact_seq: int,
) -> int:
    for writer in w.values():
        writer.start()
    when = _sqlite_when if connection.vendor == "sqlite" else _same
    now_db = when(now)
    department_ids = [d.pk for d in staff.departments]
    group_ids = [g.pk for g in staff.groups]
    # Contacts: about one per four tickets; a third belong to an account, some have a phone too.
    # Two in five have no name, as email senders often give none: lists show their address.
    contacts: list[tuple[int, int | None]] = []
    contact_count = max(1, size // 4)
    for i in range(contact_count):
        seq = contact_seq + i
        account = accounts[seq % len(accounts)] if seq % 3 == 0 else None
        account_id = account.pk if account else None
        domain = f"customer{seq % 50:02d}.bench.test" if account_id else "mail.bench.test"
        email = f"c{seq}@{domain}"
        name = "" if seq % 5 in (1, 3) else f"Customer {seq}"
        pk = w["contact"].add(name, email, ("en", "fr", "nl")[seq % 3], account_id, now_db, now_db)
        contacts.append((pk, account_id))
        w["identity"].add(pk, IdentityKind.EMAIL, email, True, now_db)
        if seq % 5 == 0:
            w["identity"].add(pk, IdentityKind.PHONE, f"+3247{seq % 10_000_000:07d}", False, now_db)

    first_number = _reserve_numbers(size)
    span = timedelta(days=SPAN_DAYS).total_seconds()
    status_names = {cat: statuses[cat].name for cat in statuses}
    created_json = {ch: json.dumps({"channel": ch}) for ch in CHANNELS.values}
    for i in range(size):
        position = (offset + i) / max(target, 1)  # oldest first, so numbers follow time
        created = now - timedelta(seconds=span * (1 - position) + rng.random() * 3600)
        age_days = (now - created).days
        category = (OLD_STATUS if age_days > 14 else RECENT_STATUS).pick(rng)
        activity = min(now, created + timedelta(seconds=rng.random() * min(age_days + 1, 10) * 86400))
        if category == "solved" and now - activity > timedelta(days=3):
            category = "closed"  # the auto-close job would have closed it already
        dept_index = rng.randrange(len(department_ids))
        group_id = group_ids[dept_index * 2 + (1 if rng.random() < 0.3 else 0)]
        assignee_id = None
        if category != "new" or rng.random() < 0.3:
            assignee_id = rng.choice(staff.members[group_id])
        contact_id, account_id = contacts[rng.randrange(len(contacts))]
        channel = CHANNELS.pick(rng)
        replied = None if category == "new" else min(activity, created + timedelta(hours=rng.random() * 8))
        description = rng.choice(BODIES)
        created_db, activity_db = when(created), when(activity)
        ticket_id = w["ticket"].add(
            first_number + i, rng.choice(SUBJECTS), description, statuses[category].pk, category,
            PRIORITIES.pick(rng), TYPES.pick(rng), channel, department_ids[dept_index], contact_id,
            account_id, assignee_id, group_id, created_db, activity_db, activity_db, created_db, when(replied),
            when(replied), activity_db if category in ("solved", "closed") else None,
            activity_db if category == "closed" else None,
        )
        w["message"].add(ticket_id, MessageKind.REPLY, "contact", None, contact_id, channel, description, created_db)
        w["event"].add(ticket_id, EventKind.CREATED, "contact", None, contact_id, channel, "", None, None,
                       created_json[channel], created_db)
        if replied is not None:
            w["message"].add(ticket_id, MessageKind.REPLY, "agent", assignee_id, None, channel, rng.choice(REPLIES), when(replied))
            w["event"].add(ticket_id, EventKind.FIELD_CHANGED, "agent", assignee_id, None, "web", "status",
                           json.dumps(status_names["new"]), json.dumps(status_names[category]), "{}", activity_db)
        if rng.random() < 0.1:
            w["message"].add(ticket_id, MessageKind.NOTE, "agent", assignee_id, None, channel,
                             "Checked the logs, looks like the known sync issue.", activity_db)
        if replied is not None and rng.random() < LONG_THREAD_SHARE:
            _write_long_thread(w, rng, when, ticket_id, contact_id, assignee_id, channel, replied, activity)
        if rng.random() < 0.3:
            for tag in rng.sample(tags, rng.randint(1, 2)):
                w["tag"].add(ticket_id, tag.pk)
    for writer in w.values():
        writer.flush()
    return contact_seq + contact_count


def _write_long_thread(
    w: dict[str, RowWriter], rng: random.Random, when: Any, ticket_id: int, contact_id: int,
    assignee_id: int | None, channel: str, start: datetime, end: datetime,
) -> None:
    """30 to 60 more messages between the first reply and the last activity: the customer and
    the agent take turns, with a note now and then, so message lists meet real thread lengths."""
    count = rng.randint(30, 60)
    step = max((end - start) / (count + 1), timedelta(seconds=1))
    for n in range(count):
        at = when(start + step * (n + 1))
        if n % 7 == 6:
            w["message"].add(ticket_id, MessageKind.NOTE, "agent", assignee_id, None, channel,
                             "Asked the second line to have a look.", at)
        elif n % 2:
            w["message"].add(ticket_id, MessageKind.REPLY, "agent", assignee_id, None, channel, rng.choice(REPLIES), at)
        else:
            w["message"].add(ticket_id, MessageKind.REPLY, "contact", None, contact_id, channel, rng.choice(BODIES), at)
