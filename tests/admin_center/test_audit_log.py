"""The audit log: every existing configuration action leaves an entry (who, how, before → after),
and the admin center's page reads them as sentences, filters them, and costs the same few queries
whatever the number of entries."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from comptoir.agent import actions as view_actions
from comptoir.api.webhooks import subscriptions
from comptoir.casework.actions import configure_approval_policy
from comptoir.core import actions
from comptoir.core.models import AuditEntry, Role
from comptoir.tickets.models import Status
from tests.factories import make_agent, make_department, make_group

pytestmark = pytest.mark.django_db


@pytest.fixture
def sophie():
    return make_agent(role=Role.ADMIN, name="Sophie Martin", email="sophie@example.test")


def only_entry(kind: str) -> AuditEntry:
    entries = list(AuditEntry.objects.filter(kind=kind))
    assert len(entries) == 1, [e.kind for e in AuditEntry.objects.all()]
    return entries[0]


# --- each existing action writes its entry ---------------------------------------------------------


def test_renaming_a_departments_sender_is_recorded_with_before_and_after(sophie):
    billing = make_department("Billing")
    actions.update_department(billing, {"from_name": "Billing team"}, actor=sophie, via="admin")
    entry = only_entry("department.updated")
    assert entry.actor_agent == sophie
    assert entry.actor_label == "Sophie Martin"
    assert entry.via == "admin"
    assert entry.object_repr == "Billing"
    assert entry.changes == {"from_name": ["", "Billing team"]}


def test_a_new_department_is_recorded_with_its_addresses(sophie):
    actions.create_department(name="Sales", slug="sales", addresses=["sales@example.test"], actor=sophie, via="api")
    entry = only_entry("department.created")
    assert entry.changes["name"] == [None, "Sales"]
    assert entry.changes["addresses"] == [None, ["sales@example.test"]]


def test_replacing_support_addresses_is_recorded(sophie):
    billing = make_department("Billing", address="billing@example.test")
    actions.set_support_addresses(billing, ["invoices@example.test"], actor=sophie, via="admin")
    assert only_entry("department.updated").changes == {"addresses": [["billing@example.test"], ["invoices@example.test"]]}


def test_deleting_a_department_is_recorded_with_what_it_was(sophie):
    billing = make_department("Billing")
    actions.delete_department(billing, actor=sophie, via="admin")
    entry = only_entry("department.deleted")
    assert entry.object_repr == "Billing"
    assert entry.changes["name"] == ["Billing", None]


def test_a_saving_that_changes_nothing_writes_no_entry(sophie):
    billing = make_department("Billing")
    actions.update_department(billing, {"name": "Billing"}, actor=sophie, via="admin")
    assert not AuditEntry.objects.filter(kind="department.updated").exists()


def test_group_membership_changes_are_recorded_by_name(sophie):
    group = make_group("Tier 2")
    paul = make_agent(name="Paul Durand")
    actions.set_group_members(group, [paul.pk], actor=sophie, via="admin")
    assert only_entry("group.updated").changes == {"members": [[], ["Paul Durand"]]}


def test_creating_and_deleting_a_group_are_recorded(sophie):
    group = actions.create_group(name="Tier 3", actor=sophie, via="admin")
    actions.delete_group(group, actor=sophie, via="admin")
    assert only_entry("group.created").changes["name"] == [None, "Tier 3"]
    assert only_entry("group.deleted").changes["name"] == ["Tier 3", None]


def test_inviting_an_agent_is_recorded(sophie):
    actions.create_agent(email="lea@example.test", name="Léa Petit", role=Role.AGENT, actor=sophie, via="admin")
    entry = only_entry("agent.created")
    assert entry.changes["role"] == [None, "agent"]
    assert entry.changes["email"] == [None, "lea@example.test"]


def test_changing_an_agents_role_is_recorded(sophie):
    paul = make_agent(name="Paul Durand")
    actions.update_agent(paul, {"role": Role.SUPERVISOR}, actor=sophie, via="admin")
    assert only_entry("agent.updated").changes == {"role": ["agent", "supervisor"]}


def test_deactivating_an_agent_is_recorded(sophie):
    paul = make_agent(name="Paul Durand")
    actions.deactivate_agent(paul, actor=sophie, via="admin")
    assert only_entry("agent.deactivated").changes == {"is_active": [True, False]}


def test_setting_a_password_is_recorded_without_the_password(sophie):
    paul = make_agent(name="Paul Durand")
    actions.set_agent_password(paul, "a-new-secret-99", actor=sophie, via="admin")
    entry = only_entry("agent.password_set")
    assert entry.changes == {}
    assert "a-new-secret-99" not in str(AuditEntry.objects.values_list("changes", "object_repr", "actor_label"))
    paul.refresh_from_db()
    assert paul.password not in str(AuditEntry.objects.values_list("changes", flat=True))


def test_webhook_subscriptions_are_recorded_without_their_secret(sophie):
    sub = subscriptions.create_subscription(url="http://127.0.0.1:9/hook", events=["ticket.created"], actor=sophie, via="admin")
    subscriptions.update_subscription(sub, {"active": False}, actor=sophie, via="admin")
    subscriptions.delete_subscription(sub, actor=sophie, via="admin")
    created = only_entry("webhook.created")
    assert created.changes["url"] == [None, "http://127.0.0.1:9/hook"]
    assert "secret" not in created.changes and sub.secret not in str(created.changes)
    assert only_entry("webhook.updated").changes == {"active": [True, False]}
    assert only_entry("webhook.deleted").changes["url"] == ["http://127.0.0.1:9/hook", None]


def test_a_shared_view_is_recorded_but_a_personal_one_is_not(sophie):
    conditions = {"all": [{"field": "priority", "operator": "is", "value": "urgent"}]}
    view_actions.create_saved_view(name="Mine", conditions=conditions, columns=["number", "subject"], actor=sophie, via="web")
    assert not AuditEntry.objects.filter(object_type="savedview").exists()
    view_actions.create_saved_view(name="Open for everyone", conditions=conditions, columns=["number", "subject"], shared=True,
                                   actor=sophie, via="web")
    assert only_entry("saved_view.created").changes["name"] == [None, "Open for everyone"]


def test_sharing_a_personal_view_is_recorded(sophie):
    conditions = {"all": [{"field": "priority", "operator": "is", "value": "urgent"}]}
    view = view_actions.create_saved_view(name="Mine", conditions=conditions, columns=["number", "subject"], actor=sophie, via="web")
    view_actions.update_saved_view(view, {"shared": True}, actor=sophie, via="web")
    assert only_entry("saved_view.updated").changes == {"shared": [False, True]}


def test_the_approval_policy_is_recorded_with_status_names(sophie):
    pending = Status.objects.filter(active=True, category="pending").order_by("position").first()
    configure_approval_policy(pending, None, actor=sophie, via="admin")
    changes = only_entry("approval_policy.updated").changes
    assert changes == {"status_on_approve": [None, {"id": pending.pk, "name": str(pending)}]}


# --- the page ------------------------------------------------------------------------------------


def test_the_page_reads_an_entry_as_a_sentence(client, sophie):
    billing = make_department("Billing")
    billing.from_name = "A"
    billing.save()
    actions.update_department(billing, {"from_name": "B"}, actor=sophie, via="admin")
    client.force_login(sophie)
    page = client.get(reverse("admin_center:audit")).content.decode()
    assert "Sophie Martin changed Department «Billing»: sender name “A” → “B”" in page
    assert "from_name" not in page


def test_the_page_names_choices_by_their_label(client, sophie):
    paul = make_agent(name="Paul Durand")
    actions.update_agent(paul, {"role": Role.SUPERVISOR}, actor=sophie, via="admin")
    client.force_login(sophie)
    page = client.get(reverse("admin_center:audit")).content.decode()
    assert "role “Agent” → “Supervisor”" in page


def test_the_page_speaks_the_readers_language(client, sophie):
    """A French-speaking admin reads the kind of object and the field in French (the shipped catalogue)."""
    billing = make_department("Billing")
    billing.from_name = "A"
    billing.save()
    actions.update_department(billing, {"from_name": "B"}, actor=sophie, via="admin")
    sophie.locale = "fr"
    sophie.save(update_fields=["locale"])
    client.force_login(sophie)
    page = client.get(reverse("admin_center:audit")).content.decode()
    assert "Département «Billing»" in page
    assert "nom de l&#x27;expéditeur “A” → “B”" in page or "nom de l'expéditeur “A” → “B”" in page


def test_newest_changes_come_first(client, sophie):
    billing = make_department("Billing")
    actions.update_department(billing, {"from_name": "First"}, actor=sophie, via="admin")
    actions.update_department(billing, {"from_name": "Second"}, actor=sophie, via="admin")
    client.force_login(sophie)
    page = client.get(reverse("admin_center:audit")).content.decode()
    assert page.index("“First” → “Second”") < page.index("“(empty)” → “First”")


def test_filter_by_kind_of_object(client, sophie):
    actions.create_group(name="Tier 3", actor=sophie, via="admin")
    actions.create_department(name="Sales", slug="sales", actor=sophie, via="admin")
    client.force_login(sophie)
    page = client.get(reverse("admin_center:audit"), {"object_type": "group"}).content.decode()
    assert "«Tier 3»" in page
    assert "«Sales»" not in page


def test_filter_by_who_made_the_change(client, sophie):
    marc = make_agent(role=Role.ADMIN, name="Marc Leroy")
    actions.create_group(name="By Sophie", actor=sophie, via="admin")
    actions.create_group(name="By Marc", actor=marc, via="admin")
    client.force_login(sophie)
    page = client.get(reverse("admin_center:audit"), {"actor": marc.pk}).content.decode()
    assert "«By Marc»" in page
    assert "«By Sophie»" not in page


def test_filter_by_dates_includes_both_whole_days(client, sophie):
    for name, day in (("Before", 9), ("First day", 10), ("Last day", 12), ("After", 13)):
        actions.create_group(name=name, actor=sophie, via="admin")
        AuditEntry.objects.filter(object_repr=name).update(
            created_at=timezone.make_aware(datetime(2026, 11, day, 23, 30)) if day != 10 else timezone.make_aware(datetime(2026, 11, 10, 0, 5)))
    client.force_login(sophie)
    page = client.get(reverse("admin_center:audit"), {"date_from": "2026-11-10", "date_to": "2026-11-12"}).content.decode()
    assert "«First day»" in page and "«Last day»" in page
    assert "«Before»" not in page and "«After»" not in page


def test_older_changes_are_on_the_next_page_without_repeats(client, sophie):
    start = timezone.now() - timedelta(days=1)
    for n in range(55):
        actions.create_group(name=f"Team {n:02d}", actor=sophie, via="admin")
    # Same second for several entries: the id breaks ties, so none is skipped or repeated.
    for n, entry in enumerate(AuditEntry.objects.order_by("id")):
        entry.created_at = start + timedelta(seconds=n // 3)
        entry.save(update_fields=["created_at"])
    client.force_login(sophie)
    first = client.get(reverse("admin_center:audit"))
    lines = [line.entry.object_repr for line in first.context["lines"]]
    assert lines[:2] == ["Team 54", "Team 53"] and len(lines) == 50
    second = client.get(reverse("admin_center:audit") + "?" + first.context["next_query"])
    rest = [line.entry.object_repr for line in second.context["lines"]]
    assert rest == ["Team 04", "Team 03", "Team 02", "Team 01", "Team 00"]
    assert not second.context["next_query"]


def test_the_page_costs_the_same_queries_for_many_entries(client, sophie, django_assert_max_num_queries):
    for n in range(3):
        actions.create_group(name=f"Few {n}", actor=sophie, via="admin")
    client.force_login(sophie)
    client.get(reverse("admin_center:audit"))  # warm the session and the process caches
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(reverse("admin_center:audit"))
    for n in range(60):
        group = actions.create_group(name=f"Many {n}", actor=sophie, via="admin")
        actions.update_group(group, {"name": f"Renamed {n}"}, actor=sophie, via="admin")
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("admin_center:audit"))
    assert len(response.context["lines"]) == 50


def test_an_empty_log_explains_itself(client, sophie):
    client.force_login(sophie)
    page = client.get(reverse("admin_center:audit")).content.decode()
    assert "Nothing has been changed yet" in page


def test_the_page_says_how_each_change_was_made(client, sophie):
    actions.create_group(name="From the API", actor=sophie, via="api")
    client.force_login(sophie)
    page = client.get(reverse("admin_center:audit")).content.decode()
    assert '<span class="pill">API</span>' in page


def test_a_creation_lists_only_the_values_set(client, sophie):
    actions.create_department(name="Sales", slug="sales", actor=sophie, via="admin")
    client.force_login(sophie)
    line = client.get(reverse("admin_center:audit")).context["lines"][0]
    assert line.sentence.startswith("Sophie Martin created Department «Sales»: ")
    assert "name “Sales”" in line.sentence and "slug “sales”" in line.sentence
    assert "sender name" not in line.sentence  # left empty, so not listed
