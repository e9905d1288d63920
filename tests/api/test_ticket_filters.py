"""Every ticket list filter and sort the API promises, each narrowing a real list of tickets."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from comptoir.core.actors import SYSTEM
from comptoir.tickets import actions
from tests.factories import make_contact, make_department, make_group, make_ticket

pytestmark = pytest.mark.django_db

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def _ids(api, token, query):
    response = api.get(f"/tickets?limit=100&{query}", token)
    assert response.status_code == 200, response.content
    return {t["id"] for t in response.json()["results"]}


def test_status_category_takes_several_values(api, team):
    new, pending, solved = make_ticket(), make_ticket(status="pending"), make_ticket(status="solved")
    assert _ids(api, team.token("admin"), "status=pending&status=solved") == {pending.pk, solved.pk}
    assert _ids(api, team.token("admin"), "status=new") == {new.pk}


def test_priority_type_and_channel(api, team):
    urgent = make_ticket(priority="urgent", type="incident", channel="phone")
    make_ticket(priority="low", type="question", channel="email")
    token = team.token("admin")
    assert _ids(api, token, "priority=urgent") == {urgent.pk}
    assert _ids(api, token, "type=incident") == {urgent.pk}
    assert _ids(api, token, "channel=phone") == {urgent.pk}
    assert api.get("/tickets?channel=pigeon", token).status_code == 422


def test_assignee_by_id_me_and_none(api, team):
    admin, agent = team.members["admin"], team.members["agent"]
    mine = make_ticket(assignee=admin)
    theirs = make_ticket(assignee=agent)
    nobody = make_ticket()
    token = team.token("admin")
    assert _ids(api, token, "assignee=me") == {mine.pk}
    assert _ids(api, token, f"assignee={agent.pk}") == {theirs.pk}
    assert _ids(api, token, "assignee=none") == {nobody.pk}
    assert api.get("/tickets?assignee=someone", token).status_code == 422


def test_group_and_department(api, team):
    billing = make_group("Billing")
    paris = make_department("Paris")
    in_team = make_ticket(group=team.group)
    in_billing = make_ticket(group=billing, department=paris)
    ungrouped = make_ticket()
    token = team.token("admin")
    assert _ids(api, token, f"group={team.group.pk}") == {in_team.pk}
    assert _ids(api, token, "group=none") == {ungrouped.pk}
    assert _ids(api, token, f"department={paris.pk}") == {in_billing.pk}


def test_several_tags_must_all_be_present(api, team):
    both = make_ticket(tags=["ios", "login"])
    make_ticket(tags=["ios"])
    assert _ids(api, team.token("admin"), "tag=ios&tag=login") == {both.pk}
    assert len(_ids(api, team.token("admin"), "tag=IOS")) == 2  # tags are stored lower-case


def test_contact_and_account(api, team):
    noor = make_contact("noor@example.test")
    hers = make_ticket(contact=noor, account_name="Acme")
    other = make_ticket(account_name="Globex")
    token = team.token("admin")
    assert _ids(api, token, f"contact={noor.pk}") == {hers.pk}
    assert _ids(api, token, f"account={other.account_id}") == {other.pk}


def test_created_and_updated_ranges(api, team):
    with time_machine.travel(T0):
        old = make_ticket()
    with time_machine.travel(T0 + timedelta(days=2)):
        recent = make_ticket()
    with time_machine.travel(T0 + timedelta(days=5)):
        actions.update_ticket(old, {"priority": "high"}, actor=SYSTEM, via="system")
    token = team.token("admin")
    day1 = (T0 + timedelta(days=1)).isoformat().replace("+00:00", "Z")
    day3 = (T0 + timedelta(days=3)).isoformat().replace("+00:00", "Z")
    assert _ids(api, token, f"created_after={day1}") == {recent.pk}
    assert _ids(api, token, f"created_before={day1}") == {old.pk}
    assert _ids(api, token, f"updated_after={day3}") == {old.pk}
    assert _ids(api, token, f"updated_after={day1}&updated_before={day3}") == {recent.pk}


def test_free_text_q_matches_subject_or_description(api, team):
    crash = make_ticket(subject="App crashes on launch", description="Since the update.")
    refund = make_ticket(subject="Invoice", description="I want a refund please")
    make_ticket(subject="Hello", description="Just saying hi.")
    token = team.token("admin")
    assert _ids(api, token, "q=crashes") == {crash.pk}
    assert _ids(api, token, "q=REFUND") == {refund.pk}


@pytest.mark.parametrize("sort", ["created", "-created", "updated", "-updated"])
def test_sorting_by_created_and_updated(api, team, sort):
    tickets = []
    for i in range(3):
        with time_machine.travel(T0 + timedelta(minutes=i)):
            tickets.append(make_ticket())
    with time_machine.travel(T0 + timedelta(minutes=10)):
        actions.update_ticket(tickets[0], {"priority": "high"}, actor=SYSTEM, via="system")  # now the most recently updated
    order = [t["id"] for t in api.get(f"/tickets?sort={sort}&limit=2", team.token("admin")).json()["results"]]
    created = [t.pk for t in tickets]
    updated = [tickets[1].pk, tickets[2].pk, tickets[0].pk]
    expected = {"created": created, "-created": created[::-1], "updated": updated, "-updated": updated[::-1]}[sort]
    assert order == expected[:2]


def test_filters_never_widen_what_a_group_scoped_agent_sees(api, team):
    outside = make_ticket(group=make_group("Billing"))
    inside = make_ticket(group=team.group)
    token = team.token("agent")
    assert _ids(api, token, "") == {inside.pk}
    assert _ids(api, token, f"contact={outside.contact_id}") == set()


def test_a_customer_asking_for_assignee_me_gets_nothing(api, team):
    make_ticket(contact=team.members["contact"], assignee=team.members["agent"])
    assert _ids(api, team.token("contact"), "") != set()
    assert _ids(api, team.token("contact"), "assignee=me") == set()
