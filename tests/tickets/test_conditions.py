"""The condition language: what each operator means, clear errors, and to_q == matches."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from comptoir.core.errors import ValidationFailed
from comptoir.core.models import Role
from comptoir.tickets import actions
from comptoir.tickets.conditions import TIMESTAMPS, matches, parse, to_q, value_from_text
from comptoir.tickets.models import Status, StatusCategory, Tag, Ticket
from tests.factories import make_agent, make_contact, make_group, make_ticket

NOW = dt.datetime(2026, 3, 2, 12, 0, tzinfo=dt.UTC)


def selected(conditions, *, user=None, now=NOW):
    return set(Ticket.objects.filter(to_q(conditions, user=user, now=now)).values_list("pk", flat=True))


def both(conditions, ticket, *, user=None, now=NOW):
    """Evaluate in memory and in the database; they must agree, and the answer is returned."""
    in_memory = matches(conditions, ticket, user=user, now=now)
    in_db = ticket.pk in selected(conditions, user=user, now=now)
    assert in_memory == in_db, conditions
    return in_memory


def cond(field, operator, value=None):
    return {"all": [{"field": field, "operator": operator, "value": value}]}


# --- meaning of each operator ----------------------------------------------------------


def test_unassigned_means_assignee_is_null(db):
    agent = make_agent()
    unassigned = make_ticket()
    mine = make_ticket(assignee=agent)
    assert both(cond("assignee", "is", None), unassigned)
    assert not both(cond("assignee", "is", None), mine)


def test_me_is_the_agent_asking(db):
    marie, jan = make_agent(), make_agent()
    ticket = make_ticket(assignee=marie)
    assert both(cond("assignee", "is", "me"), ticket, user=marie)
    assert not both(cond("assignee", "is", "me"), ticket, user=jan)


def test_is_not_includes_tickets_without_a_value(db):
    agent = make_agent()
    unassigned = make_ticket()
    assert both(cond("assignee", "is_not", agent.pk), unassigned)


def test_priority_accepts_names_and_compares_in_order(db):
    urgent = make_ticket(priority="urgent")
    low = make_ticket(priority="low")
    assert both(cond("priority", "gte", "high"), urgent)
    assert not both(cond("priority", "gte", "high"), low)
    assert both(cond("priority", "in", ["low", 4]), low)


def test_status_category_in_list(db):
    pending = make_ticket(status="pending")
    assert both(cond("status_category", "in", ["pending", "on_hold"]), pending)
    assert not both(cond("status_category", "in", ["new", "open"]), pending)


def test_subject_contains_ignores_case(db):
    ticket = make_ticket(subject="App crashes on login")
    assert both(cond("subject", "contains", "CRASH"), ticket)
    assert both(cond("subject", "not_contains", "invoice"), ticket)


def test_tags_include_any_all_none(db):
    ticket = make_ticket(tags=["vip", "billing"])
    assert both(cond("tags", "includes_any", ["vip", "refund"]), ticket)
    assert not both(cond("tags", "includes_all", ["vip", "refund"]), ticket)
    assert both(cond("tags", "includes_all", ["VIP", "billing"]), ticket)
    assert both(cond("tags", "includes_none", ["refund"]), ticket)
    assert not both(cond("tags", "is_not_set"), ticket)


def test_relative_dates_are_anchored_on_now(db):
    ticket = make_ticket()
    Ticket.objects.filter(pk=ticket.pk).update(updated_at=NOW - dt.timedelta(hours=50))
    ticket.refresh_from_db()
    assert both(cond("updated_at", "before", "-48h"), ticket)
    assert not both(cond("updated_at", "after", "-2d"), ticket)
    assert both(cond("hours_since_updated_at", "gte", 48), ticket)
    assert not both(cond("hours_since_updated_at", "lt", 48), ticket)


def test_a_missing_date_never_matches_a_comparison(db):
    ticket = make_ticket()
    assert ticket.due_at is None
    assert not both(cond("due_at", "before", "now"), ticket)
    assert not both(cond("hours_since_due_at", "gt", 0), ticket)
    assert both(cond("due_at", "is_not_set"), ticket)


def test_custom_field_values(db):
    ticket = make_ticket()
    Ticket.objects.filter(pk=ticket.pk).update(custom_fields={"plan": "gold"})
    ticket.refresh_from_db()
    other = make_ticket()
    assert both(cond("custom_fields.plan", "is", "gold"), ticket)
    assert both(cond("custom_fields.plan", "is_not", "gold"), other)
    assert both(cond("custom_fields.plan", "is_not_set"), other)
    assert not both(cond("custom_fields.plan", "is_not_set"), ticket)


def test_any_group_needs_one_and_nesting_works(db):
    agent = make_agent()
    ticket = make_ticket(priority="urgent", assignee=agent)
    conditions = {
        "all": [{"field": "priority", "operator": "is", "value": "urgent"}],
        "any": [
            {"field": "assignee", "operator": "is", "value": None},
            {"all": [{"field": "assignee", "operator": "is", "value": agent.pk},
                     {"field": "status_category", "operator": "in", "value": ["new", "open"]}]},
        ],
    }
    assert both(conditions, ticket)


def test_empty_conditions_match_everything(db):
    ticket = make_ticket()
    assert both({}, ticket)
    assert both({"all": [], "any": []}, ticket)


# --- validation ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("conditions", "path", "code"),
    [
        (cond("colour", "is", "red"), "all.0.field", "unknown"),
        (cond("subject", "gte", "a"), "all.0.operator", "not_for_field"),
        (cond("subject", "resembles", "a"), "all.0.operator", "unknown"),
        (cond("priority", "is", "extreme"), "all.0.value", "invalid"),
        (cond("updated_at", "before", "yesterday-ish"), "all.0.value", "invalid"),
        (cond("status_category", "is", "sleeping"), "all.0.value", "invalid"),
        (cond("tags", "includes_any", "vip"), "all.0.value", "invalid"),
        ({"all": "priority"}, "all", "not_a_list"),
        ({"every": []}, "conditions", "invalid_group"),
        ({"any": [{"field": "subject"}]}, "any.0", "invalid_condition"),
    ],
)
def test_bad_conditions_are_refused_with_their_path(conditions, path, code):
    with pytest.raises(ValidationFailed) as caught:
        parse(conditions)
    assert caught.value.fields == {path: code}


def test_every_problem_is_reported_at_once():
    with pytest.raises(ValidationFailed) as caught:
        parse({"all": [{"field": "colour", "operator": "is", "value": 1},
                       {"field": "priority", "operator": "is", "value": "extreme"}]})
    assert set(caught.value.fields) == {"all.0.field", "all.1.value"}


def test_values_typed_in_a_form_become_json():
    assert value_from_text("assignee", "in", "me, none, 7") == ["me", None, 7]
    assert value_from_text("tags", "includes_any", "vip, billing") == ["vip", "billing"]
    assert value_from_text("hours_since_updated_at", "gte", "48") == 48


# --- property: the two compilations agree ------------------------------------------------

CATEGORIES = list(StatusCategory.values)
TAGS = ["vip", "billing", "bug"]
SUBJECT_WORDS = ["app", "Crash", "invoice", "LOGIN", "refund"]
HOURS = [0, 1, 24, 48, 200]


@st.composite
def ticket_specs(draw):
    def maybe_time():
        return draw(st.one_of(st.none(), st.sampled_from(HOURS).map(lambda h: NOW - dt.timedelta(hours=h, minutes=draw(st.integers(0, 59))))))

    return {
        "category": draw(st.sampled_from(CATEGORIES)),
        "priority": draw(st.integers(1, 4)),
        "assignee": draw(st.sampled_from([None, 0, 1])),
        "group": draw(st.sampled_from([None, 0])),
        "subject": " ".join(draw(st.lists(st.sampled_from(SUBJECT_WORDS), min_size=1, max_size=3))),
        "tags": draw(st.sets(st.sampled_from(TAGS))),
        "plan": draw(st.sampled_from([None, "gold", "silver", ""])),
        "channel": draw(st.sampled_from(["email", "phone", "web"])),
        **{name: maybe_time() for name in ("due_at", "solved_at", "last_customer_message_at", "first_agent_reply_at")},
        "updated_at": NOW - dt.timedelta(hours=draw(st.sampled_from(HOURS))),
    }


def _condition_leaf():
    ids = st.sampled_from(["A0", "A1", "me", None])
    relative = st.sampled_from(["now", "-1h", "-24h", "-48h", "-3d", "+2h", "2026-03-01T00:00:00"])
    return st.one_of(
        st.builds(lambda op, v: {"field": "assignee", "operator": op, "value": v}, st.sampled_from(["is", "is_not"]), ids),
        st.builds(lambda op, v: {"field": "assignee", "operator": op, "value": v}, st.sampled_from(["in", "not_in"]), st.lists(ids, min_size=1, max_size=3)),
        st.builds(lambda op: {"field": "group", "operator": op}, st.sampled_from(["is_set", "is_not_set"])),
        st.builds(lambda op, v: {"field": "status_category", "operator": op, "value": v}, st.sampled_from(["in", "not_in"]), st.lists(st.sampled_from(CATEGORIES), min_size=1, max_size=3)),
        st.builds(lambda op, v: {"field": "priority", "operator": op, "value": v}, st.sampled_from(["is", "is_not", "lt", "lte", "gt", "gte"]), st.sampled_from([1, 2, 3, 4, "low", "urgent"])),
        st.builds(lambda op, v: {"field": "channel", "operator": op, "value": v}, st.sampled_from(["is", "is_not"]), st.sampled_from(["email", "phone", "chat"])),
        st.builds(lambda op, v: {"field": "subject", "operator": op, "value": v}, st.sampled_from(["contains", "not_contains"]), st.sampled_from(["app", "crash", "LOG", "x"])),
        st.builds(lambda op, v: {"field": "tags", "operator": op, "value": v}, st.sampled_from(["includes_any", "includes_all", "includes_none"]), st.lists(st.sampled_from([*TAGS, "other"]), min_size=1, max_size=3)),
        st.builds(lambda op: {"field": "tags", "operator": op}, st.sampled_from(["is_set", "is_not_set"])),
        st.builds(lambda f, op, v: {"field": f, "operator": op, "value": v}, st.sampled_from(["due_at", "solved_at", "updated_at", "last_customer_message_at"]), st.sampled_from(["before", "after", "lt", "gte"]), relative),
        st.builds(lambda f, op: {"field": f, "operator": op}, st.sampled_from(["due_at", "first_agent_reply_at"]), st.sampled_from(["is_set", "is_not_set"])),
        st.builds(lambda f, op, v: {"field": f"hours_since_{f}", "operator": op, "value": v}, st.sampled_from(["updated_at", "last_customer_message_at"]), st.sampled_from(["lt", "lte", "gt", "gte"]), st.sampled_from(HOURS)),
        st.builds(lambda op, v: {"field": "custom_fields.plan", "operator": op, "value": v}, st.sampled_from(["is", "is_not", "contains", "not_contains"]), st.sampled_from(["gold", "silver", "old"])),
        st.builds(lambda op: {"field": "custom_fields.plan", "operator": op}, st.sampled_from(["is_set", "is_not_set"])),
    )


conditions_strategy = st.recursive(
    st.fixed_dictionaries({}, optional={"all": st.lists(_condition_leaf(), max_size=3), "any": st.lists(_condition_leaf(), max_size=3)}),
    lambda inner: st.fixed_dictionaries({}, optional={"all": st.lists(st.one_of(_condition_leaf(), inner), max_size=3),
                                                      "any": st.lists(st.one_of(_condition_leaf(), inner), max_size=3)}),
    max_leaves=6,
)


def _resolve_agents(node, agents):
    """Replace the A0/A1 placeholders with real agent ids."""
    if isinstance(node, dict):
        return {k: _resolve_agents(v, agents) for k, v in node.items()}
    if isinstance(node, list):
        return [_resolve_agents(v, agents) for v in node]
    if isinstance(node, str) and node in ("A0", "A1"):
        return agents[int(node[1])].pk
    return node


@pytest.fixture
def world(db):
    agents = [make_agent(role=Role.ADMIN), make_agent()]
    group = make_group()
    contact = make_contact()
    statuses = {c: Status.objects.get_or_create(category=c, defaults={"name": f"status-{c}", "is_default": True})[0] for c in CATEGORIES}
    tags = {name: Tag.objects.get_or_create(name=name)[0] for name in TAGS}
    return {"agents": agents, "group": group, "contact": contact, "statuses": statuses, "tags": tags}


def _create(spec, index, world):
    ticket = Ticket.objects.create(
        number=900000 + index,
        subject=spec["subject"],
        status=world["statuses"][spec["category"]],
        status_category=spec["category"],
        priority=spec["priority"],
        channel=spec["channel"],
        contact=world["contact"],
        assignee=None if spec["assignee"] is None else world["agents"][spec["assignee"]],
        group=None if spec["group"] is None else world["group"],
        custom_fields={} if spec["plan"] is None else {"plan": spec["plan"]},
        due_at=spec["due_at"],
        solved_at=spec["solved_at"],
        last_customer_message_at=spec["last_customer_message_at"],
        first_agent_reply_at=spec["first_agent_reply_at"],
        updated_at=spec["updated_at"],
    )
    ticket.tags.set([world["tags"][t] for t in spec["tags"]])
    return ticket


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(specs=st.lists(ticket_specs(), min_size=1, max_size=6), conditions=conditions_strategy, as_agent=st.integers(0, 1))
def test_matches_and_to_q_agree(world, specs, conditions, as_agent):
    user = world["agents"][as_agent]
    conditions = _resolve_agents(conditions, world["agents"])
    with transaction.atomic():
        tickets = [_create(spec, i, world) for i, spec in enumerate(specs)]
        reloaded = list(Ticket.objects.filter(pk__in=[t.pk for t in tickets]).prefetch_related("tags"))
        expected = {t.pk for t in reloaded if matches(conditions, t, user=user, now=NOW)}
        got = set(Ticket.objects.filter(pk__in=[t.pk for t in tickets]).filter(to_q(conditions, user=user, now=NOW)).values_list("pk", flat=True))
        transaction.set_rollback(True)
    assert got == expected


def test_every_timestamp_field_is_known():
    for name in TIMESTAMPS:
        parse(cond(name, "is_set"))
        parse(cond(f"hours_since_{name}", "gt", 1))


def test_changes_made_through_actions_are_seen(db):
    agent = make_agent()
    ticket = make_ticket()
    actions.assign_ticket(ticket, assignee=agent, actor=agent, via="web")
    ticket.refresh_from_db()
    assert both(cond("assignee", "is", "me"), ticket, user=agent)


def test_mine_means_the_groups_of_the_agent_asking(db):
    billing, tech = make_group(), make_group()
    marie = make_agent(groups=[billing])
    in_billing = make_ticket(group=billing)
    in_tech = make_ticket(group=tech)
    assert both(cond("group", "is", "mine"), in_billing, user=marie)
    assert not both(cond("group", "is", "mine"), in_tech, user=marie)
    assert both(cond("group", "is_not", "mine"), in_tech, user=marie)
