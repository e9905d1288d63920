"""update_ticket, assign/take, tags and archiving: one history entry per change, roles respected."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from comptoir.contacts.actions import find_or_create_account
from comptoir.contacts.models import Product
from comptoir.core.actors import SYSTEM, RuleActor
from comptoir.core.errors import NotFound, ValidationFailed
from comptoir.core.models import Notification, Role, TicketScope
from comptoir.core.permissions import PermissionDenied
from comptoir.tickets import actions
from comptoir.tickets.models import Category, CustomFieldDefinition, EventKind, Status, Ticket
from comptoir.tickets.queries import visible_tickets
from tests.factories import (
    capture_events,
    make_agent,
    make_contact,
    make_department,
    make_group,
    make_ticket,
)

pytestmark = pytest.mark.django_db


def _changes(ticket):
    return list(
        ticket.events.exclude(kind=EventKind.CREATED).values_list("kind", "field", "old_value", "new_value", "actor_kind")
    )


# --- update_ticket, field by field ----------------------------------------------------------

DUE = datetime(2026, 12, 1, 9, 30, tzinfo=UTC)


def _plain_cases():
    return [
        ("subject", "Phone overheats", "Help needed", "Phone overheats"),
        ("priority", "urgent", 2, 4),
        ("type", "incident", "question", "incident"),
        ("channel", "phone", "web", "phone"),
        ("due_at", DUE, None, DUE.isoformat()),
    ]


@pytest.mark.parametrize(("field", "value", "old", "new"), _plain_cases(), ids=[c[0] for c in _plain_cases()])
def test_plain_field_change_is_saved_and_recorded(field, value, old, new):
    admin = make_agent(role=Role.ADMIN)
    ticket = make_ticket(subject="Help needed")
    actions.update_ticket(ticket, {field: value}, actor=admin, via="web")
    saved = Ticket.objects.get(pk=ticket.pk)
    assert getattr(saved, field) == (4 if field == "priority" else value)
    assert _changes(ticket) == [("field_changed", field, old, new, "agent")]
    assert ticket.events.get(field=field).actor_agent == admin


def test_related_field_changes_record_names_old_and_new():
    admin = make_agent(role=Role.ADMIN)
    support, sales = make_department("Support"), make_department("Sales")
    group = make_group("Tier 2", members=[admin])
    hardware = Category.objects.create(name="Hardware")
    battery = Category.objects.create(name="Battery", parent=hardware)
    product = Product.objects.create(name="Phone X")
    ticket = make_ticket(department=support)

    actions.update_ticket(ticket, {"department": sales, "group": group.pk, "product": product,
                                   "category": hardware, "subcategory": battery, "assignee": admin},
                          actor=admin, via="web")

    saved = Ticket.objects.get(pk=ticket.pk)
    assert (saved.department, saved.group, saved.product, saved.category, saved.subcategory, saved.assignee) == (
        sales, group, product, hardware, battery, admin)
    assert sorted(_changes(ticket)) == sorted([
        ("field_changed", "department", "Support", "Sales", "agent"),
        ("field_changed", "group", None, "Tier 2", "agent"),
        ("field_changed", "product", None, "Phone X", "agent"),
        ("field_changed", "category", None, "Hardware", "agent"),
        ("field_changed", "subcategory", None, "Hardware › Battery", "agent"),
        ("field_changed", "assignee", None, str(admin), "agent"),
    ])


def test_changing_the_contact_brings_their_account():
    acme = find_or_create_account("Acme", actor=SYSTEM)
    old, new = make_contact(name="Old Customer"), make_contact(name="New Customer", account=acme)
    ticket = make_ticket(contact=old)
    actions.update_ticket(ticket, {"contact": new}, actor=SYSTEM, via="system")
    saved = Ticket.objects.get(pk=ticket.pk)
    assert (saved.contact, saved.account) == (new, acme)
    assert _changes(ticket) == [("field_changed", "contact", "Old Customer", "New Customer", "system")]


def test_status_change_by_name_sets_category_and_timestamps():
    escalated = Status.objects.create(name="Escalated", category="on_hold")
    ticket = make_ticket()
    actions.update_ticket(ticket, {"status": "escalated"}, actor=SYSTEM, via="system")
    saved = Ticket.objects.get(pk=ticket.pk)
    assert (saved.status, saved.status_category) == (escalated, "on_hold")
    assert saved.status_changed_at > ticket.status_changed_at
    assert _changes(ticket) == [("field_changed", "status", "New", "Escalated", "system")]


def test_solving_stamps_solved_at_and_emits_solved(django_capture_on_commit_callbacks):
    ticket = make_ticket(status="open")
    with (
        capture_events("ticket.solved") as solved,
        capture_events("ticket.updated") as updated,
        django_capture_on_commit_callbacks(execute=True),
    ):
        actions.update_ticket(ticket, {"status": "solved"}, actor=SYSTEM, via="system")
    assert Ticket.objects.get(pk=ticket.pk).solved_at is not None
    assert [e.ticket_id for e in solved] == [ticket.pk]
    assert updated[-1].data["status"] == {"old": "Open", "new": "Solved", "category": "solved"}


def test_rule_actor_is_recorded_as_a_rule():
    ticket = make_ticket()
    rule = RuleActor(rule_id=7, label="VIP escalation")
    actions.update_ticket(ticket, {"priority": "high"}, actor=rule, via="automation")
    event = ticket.events.get(kind=EventKind.FIELD_CHANGED)
    assert (event.actor_kind, event.actor_label, event.via) == ("rule", "VIP escalation", "automation")


def test_custom_field_change_records_old_and_new_values():
    CustomFieldDefinition.objects.create(key="device", label="Device", kind="text")
    ticket = make_ticket()
    actions.update_ticket(ticket, {"custom_fields": {"device": "Pixel 8"}}, actor=SYSTEM, via="system")
    actions.update_ticket(ticket, {"custom_fields": {"device": "Pixel 9"}}, actor=SYSTEM, via="system")
    assert Ticket.objects.get(pk=ticket.pk).custom_fields == {"device": "Pixel 9"}
    assert _changes(ticket) == [
        ("field_changed", "custom_fields", {}, {"device": "Pixel 8"}, "system"),
        ("field_changed", "custom_fields", {"device": "Pixel 8"}, {"device": "Pixel 9"}, "system"),
    ]


def test_unchanged_values_write_no_history():
    ticket = make_ticket(priority="high")
    actions.update_ticket(ticket, {"priority": "high", "subject": ticket.subject}, actor=SYSTEM, via="system")
    assert _changes(ticket) == []


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"number": 1}, "number"),
        ({"priority": "critical"}, "priority"),
        ({"type": "rant"}, "type"),
        ({"channel": "pigeon"}, "channel"),
        ({"subject": "  "}, "subject"),
        ({"due_at": "tomorrow"}, "due_at"),
        ({"status": "Nonexistent"}, "status"),
        ({"group": 999999}, "group"),
        ({"custom_fields": {"nope": 1}}, "nope"),
    ],
)
def test_invalid_changes_are_refused_and_nothing_recorded(changes, field):
    ticket = make_ticket()
    with pytest.raises(ValidationFailed) as err:
        actions.update_ticket(ticket, changes, actor=SYSTEM, via="system")
    assert field in err.value.fields
    assert _changes(ticket) == []


def test_subcategory_must_belong_to_the_category():
    hardware, software = Category.objects.create(name="Hardware"), Category.objects.create(name="Software")
    crash = Category.objects.create(name="Crash", parent=software)
    ticket = make_ticket()
    with pytest.raises(ValidationFailed) as err:
        actions.update_ticket(ticket, {"category": hardware, "subcategory": crash}, actor=SYSTEM, via="system")
    assert err.value.fields == {"subcategory": "invalid"}


def test_closed_ticket_cannot_be_changed():
    ticket = make_ticket(status="closed")
    with pytest.raises(ValidationFailed):
        actions.update_ticket(ticket, {"priority": "urgent"}, actor=SYSTEM, via="system")
    with pytest.raises(ValidationFailed):
        actions.update_ticket(ticket, {"status": "open"}, actor=SYSTEM, via="system")


# --- required custom fields on status change ------------------------------------------------


def test_required_field_blocks_entering_its_status_until_filled():
    CustomFieldDefinition.objects.create(key="app_version", label="App version", kind="text", required_in=["solved"])
    ticket = make_ticket(status="open")

    with pytest.raises(ValidationFailed) as err:
        actions.update_ticket(ticket, {"status": "solved"}, actor=SYSTEM, via="system")
    assert err.value.fields == {"app_version": "required"}
    assert Ticket.objects.get(pk=ticket.pk).status_category == "open"

    actions.update_ticket(ticket, {"status": "solved", "custom_fields": {"app_version": "2.3.1"}},
                          actor=SYSTEM, via="system")
    assert Ticket.objects.get(pk=ticket.pk).status_category == "solved"
    assert {f for (_k, f, *_rest) in _changes(ticket)} == {"status", "custom_fields"}


def test_required_field_of_another_department_does_not_apply():
    mobile, finance = make_department("Mobile"), make_department("Finance")
    CustomFieldDefinition.objects.create(key="device", label="Device", kind="text", required_in=["solved"],
                                         department=mobile)
    ticket = make_ticket(department=finance, status="open")
    actions.update_ticket(ticket, {"status": "solved"}, actor=SYSTEM, via="system")
    assert Ticket.objects.get(pk=ticket.pk).status_category == "solved"


def test_required_checkbox_must_be_ticked():
    CustomFieldDefinition.objects.create(key="verified", label="Identity verified", kind="checkbox",
                                         required_in=["pending"])
    ticket = make_ticket(status="open")
    with pytest.raises(ValidationFailed):
        actions.update_ticket(ticket, {"status": "pending", "custom_fields": {"verified": False}}, actor=SYSTEM, via="system")
    actions.update_ticket(ticket, {"status": "pending", "custom_fields": {"verified": True}}, actor=SYSTEM, via="system")
    assert Ticket.objects.get(pk=ticket.pk).status_category == "pending"


# --- assigning, by role ---------------------------------------------------------------------


def test_light_agent_can_take_a_ticket_for_themselves():
    group = make_group()
    light = make_agent(role=Role.LIGHT_AGENT, scope=TicketScope.GROUPS, groups=[group])
    ticket = make_ticket(group=group)
    actions.take_ticket(ticket, actor=light, via="web")
    assert Ticket.objects.get(pk=ticket.pk).assignee == light
    assert _changes(ticket) == [("field_changed", "assignee", None, str(light), "agent")]


def test_light_agent_cannot_assign_to_someone_else_or_change_fields():
    group = make_group()
    light = make_agent(role=Role.LIGHT_AGENT, scope=TicketScope.GROUPS, groups=[group])
    colleague = make_agent(groups=[group])
    ticket = make_ticket(group=group)
    with pytest.raises(PermissionDenied):
        actions.assign_ticket(ticket, assignee=colleague, actor=light, via="web")
    with pytest.raises(PermissionDenied):
        actions.update_ticket(ticket, {"priority": "urgent"}, actor=light, via="web")
    assert _changes(ticket) == []


def test_light_agent_cannot_take_a_ticket_outside_their_scope():
    light = make_agent(role=Role.LIGHT_AGENT, scope=TicketScope.GROUPS, groups=[make_group()])
    ticket = make_ticket(group=make_group())
    with pytest.raises(NotFound):
        actions.take_ticket(ticket, actor=light, via="web")


def test_supervisor_assigns_to_members_of_their_groups_only():
    team = make_group("Mobile")
    supervisor = make_agent(role=Role.SUPERVISOR, scope=TicketScope.GROUPS, groups=[team])
    member = make_agent(groups=[team])
    outsider = make_agent(groups=[make_group("Finance")])
    ticket = make_ticket(group=team)

    actions.assign_ticket(ticket, assignee=member, actor=supervisor, via="web")
    assert Ticket.objects.get(pk=ticket.pk).assignee == member

    with pytest.raises(ValidationFailed) as err:
        actions.assign_ticket(ticket, assignee=outsider, actor=supervisor, via="web")
    assert err.value.fields == {"assignee": "forbidden"}
    assert Ticket.objects.get(pk=ticket.pk).assignee == member
    assert _changes(ticket) == [("field_changed", "assignee", None, str(member), "agent")]


def test_group_scoped_agent_assigns_within_their_groups_and_cannot_touch_other_groups_tickets():
    team, other = make_group("Mobile"), make_group("Finance")
    agent = make_agent(scope=TicketScope.GROUPS, groups=[team])
    teammate = make_agent(groups=[team])
    ours, theirs = make_ticket(group=team), make_ticket(group=other)

    actions.assign_ticket(ours, assignee=teammate, actor=agent, via="web")
    assert Ticket.objects.get(pk=ours.pk).assignee == teammate
    with pytest.raises(NotFound):
        actions.assign_ticket(theirs, assignee=agent, actor=agent, via="web")


def test_admin_assigns_to_anyone_and_the_assignee_is_notified(django_capture_on_commit_callbacks):
    admin = make_agent(role=Role.ADMIN)
    anyone = make_agent()
    ticket = make_ticket()
    with django_capture_on_commit_callbacks(execute=True):
        actions.assign_ticket(ticket, assignee=anyone, actor=admin, via="web", group=make_group("Any"))
    saved = Ticket.objects.get(pk=ticket.pk)
    assert (saved.assignee, saved.group.name) == (anyone, "Any")
    assert Notification.objects.filter(agent=anyone, kind="assigned", ticket_id=ticket.pk).exists()


def test_deactivated_agent_cannot_be_assigned():
    admin = make_agent(role=Role.ADMIN)
    gone = make_agent(is_active=False)
    with pytest.raises(ValidationFailed) as err:
        actions.assign_ticket(make_ticket(), assignee=gone, actor=admin, via="web")
    assert err.value.fields == {"assignee": "inactive"}


def test_unassigning_is_recorded():
    admin = make_agent(role=Role.ADMIN)
    ticket = make_ticket(assignee=admin)
    actions.assign_ticket(ticket, assignee=None, actor=admin, via="web")
    assert Ticket.objects.get(pk=ticket.pk).assignee is None
    assert _changes(ticket)[-1] == ("field_changed", "assignee", str(admin), None, "agent")


# --- tags -----------------------------------------------------------------------------------


def test_add_tags_normalises_and_records_each_added_tag():
    agent = make_agent()
    ticket = make_ticket(tags=["vip"])
    actions.add_tags(ticket, ["Billing Issue", "VIP", "refund"], actor=agent, via="web")
    assert sorted(ticket.tags.values_list("name", flat=True)) == ["billing-issue", "refund", "vip"]
    assert _changes(ticket) == [
        ("tag_added", "", None, "billing-issue", "agent"),
        ("tag_added", "", None, "refund", "agent"),
    ]


def test_remove_tags_records_each_removed_tag_and_ignores_absent_ones():
    agent = make_agent()
    ticket = make_ticket(tags=["vip", "refund"])
    actions.remove_tags(ticket, ["REFUND", "never-there"], actor=agent, via="web")
    assert list(ticket.tags.values_list("name", flat=True)) == ["vip"]
    assert _changes(ticket) == [("tag_removed", "", "refund", None, "agent")]


def test_adding_tags_already_there_writes_nothing():
    ticket = make_ticket(tags=["vip"])
    actions.add_tags(ticket, ["vip"], actor=SYSTEM, via="system")
    assert _changes(ticket) == []


# --- archiving ------------------------------------------------------------------------------


def test_archive_and_unarchive_a_solved_ticket():
    admin = make_agent(role=Role.ADMIN)
    ticket = make_ticket(status="solved")

    actions.archive_ticket(ticket, actor=admin, via="web")
    assert Ticket.objects.get(pk=ticket.pk).archived_at is not None
    assert not visible_tickets(admin).filter(pk=ticket.pk).exists()
    assert visible_tickets(admin, include_archived=True).filter(pk=ticket.pk).exists()

    actions.unarchive_ticket(ticket, actor=admin, via="web")
    assert Ticket.objects.get(pk=ticket.pk).archived_at is None
    assert visible_tickets(admin).filter(pk=ticket.pk).exists()
    assert [k for (k, *_rest) in _changes(ticket)][-2:] == ["archived", "unarchived"]
    assert ticket.events.get(kind="archived").actor_agent == admin


def test_archiving_twice_records_once():
    ticket = make_ticket(status="closed")
    actions.archive_ticket(ticket, actor=SYSTEM, via="system")
    actions.archive_ticket(Ticket.objects.get(pk=ticket.pk), actor=SYSTEM, via="system")
    assert ticket.events.filter(kind="archived").count() == 1


def test_unsolved_ticket_cannot_be_archived():
    ticket = make_ticket(status="open")
    with pytest.raises(ValidationFailed) as err:
        actions.archive_ticket(ticket, actor=SYSTEM, via="system")
    assert err.value.fields == {"status": "unsolved"}


def test_light_agent_cannot_archive():
    light = make_agent(role=Role.LIGHT_AGENT)
    ticket = make_ticket(status="solved", assignee=light)
    with pytest.raises(PermissionDenied):
        actions.archive_ticket(ticket, actor=light, via="web")


def test_agent_cannot_unarchive_a_ticket_outside_their_scope():
    ticket = make_ticket(status="solved")
    actions.archive_ticket(ticket, actor=SYSTEM, via="system")
    mine_only = make_agent(scope=TicketScope.ASSIGNED)
    with pytest.raises(NotFound):
        actions.unarchive_ticket(Ticket.objects.get(pk=ticket.pk), actor=mine_only, via="web")
    assert Ticket.objects.get(pk=ticket.pk).archived_at is not None
    assert not ticket.events.filter(kind="unarchived").exists()


def test_reopening_an_archived_ticket_brings_it_back_into_lists():
    admin = make_agent(role=Role.ADMIN)
    ticket = make_ticket(status="solved")
    actions.archive_ticket(ticket, actor=admin, via="web")

    actions.update_ticket(Ticket.objects.get(pk=ticket.pk), {"status": "open"}, actor=admin, via="web")

    saved = Ticket.objects.get(pk=ticket.pk)
    assert (saved.status_category, saved.archived_at) == ("open", None)
    assert visible_tickets(admin).filter(pk=ticket.pk).exists()
    unarchived = ticket.events.get(kind="unarchived")
    assert (unarchived.actor_kind, unarchived.data) == ("agent", {"reason": "reopened"})
