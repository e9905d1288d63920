"""Activities on a ticket, the agent's activity list, and the ticket's resolution."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from comptoir.casework import actions, queries
from comptoir.core.errors import ValidationFailed
from comptoir.core.models import TicketScope
from comptoir.knowledge.models import Article, ArticleStatus
from comptoir.tickets.models import TicketEvent
from tests.factories import make_agent, make_group, make_ticket

pytestmark = pytest.mark.django_db


def test_a_logged_call_keeps_direction_duration_and_outcome():
    agent = make_agent()
    ticket = make_ticket(actor=agent)
    call = actions.create_activity(ticket, "call", "Customer called about invoice", actor=agent, via="phone",
                                   direction="in", duration_minutes=12, outcome="Explained the late fee")
    assert (call.owner, call.direction, call.duration_minutes) == (agent, "in", 12)
    assert TicketEvent.objects.filter(ticket=ticket, kind="activity_created").exists()


def test_an_event_needs_an_end_after_its_start():
    agent = make_agent()
    start = timezone.now() + dt.timedelta(days=1)
    with pytest.raises(ValidationFailed) as exc:
        actions.create_activity(make_ticket(actor=agent), "event", "Site visit", actor=agent, via="web",
                                due_at=start, ends_at=start - dt.timedelta(hours=1))
    assert "ends_at" in exc.value.fields


def test_an_activity_cannot_be_given_to_an_agent_who_cannot_see_the_ticket():
    outsider = make_agent(scope=TicketScope.GROUPS, groups=[make_group("Hardware")])
    ticket = make_ticket(group=make_group("Billing"))
    with pytest.raises(ValidationFailed) as exc:
        actions.create_activity(ticket, "task", "Call back", actor=make_agent(), via="web", owner=outsider)
    assert "owner" in exc.value.fields
    assert not ticket.activities.exists()


def test_completing_an_activity_is_recorded_once():
    agent = make_agent()
    task = actions.create_activity(make_ticket(actor=agent), "task", "Send the invoice", actor=agent, via="web")
    actions.complete_activity(task, actor=agent, via="web")
    actions.complete_activity(task, actor=agent, via="web")
    assert TicketEvent.objects.filter(kind="activity_completed").count() == 1


def test_my_activities_lists_overdue_first(client):
    agent = make_agent()
    now = timezone.now()
    ticket = make_ticket(actor=agent)
    later = actions.create_activity(ticket, "task", "Later task", actor=agent, via="web", due_at=now + dt.timedelta(days=2))
    undated = actions.create_activity(ticket, "task", "Someday task", actor=agent, via="web")
    overdue = actions.create_activity(ticket, "task", "Overdue task", actor=agent, via="web", due_at=now - dt.timedelta(days=1))
    actions.create_activity(ticket, "task", "Someone else's", actor=agent, via="web", owner=make_agent())
    assert list(queries.my_activities(agent)) == [overdue, later, undated]
    client.force_login(agent)
    page = client.get("/agent/casework/activities/").content.decode()
    assert page.index("Overdue task") < page.index("Later task") < page.index("Someday task")
    assert "Someone else" not in page


def test_editing_the_resolution_keeps_old_and_new_text_in_history():
    agent = make_agent()
    ticket = make_ticket(actor=agent)
    actions.save_resolution(ticket, "Reinstalled the app.", actor=agent, via="web")
    actions.save_resolution(ticket, "Cleared the cache, then reinstalled.", actor=agent, via="web")
    last = TicketEvent.objects.filter(ticket=ticket, kind="resolution_saved").order_by("-pk").first()
    assert (last.old_value, last.new_value) == ("Reinstalled the app.", "Cleared the cache, then reinstalled.")
    ticket.refresh_from_db()
    assert ticket.resolution.text == "Cleared the cache, then reinstalled."


def test_the_resolution_can_be_emailed_to_the_contact(django_capture_on_commit_callbacks):
    agent = make_agent()
    ticket = make_ticket(actor=agent)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        actions.save_resolution(ticket, "Update to version 2.3.", actor=agent, via="web", email_contact=True)
    assert [m.to for m in mail.outbox] == [[ticket.contact.primary_email]]
    assert "Update to version 2.3." in mail.outbox[0].body


def test_publishing_creates_a_draft_article_linked_to_the_ticket():
    agent = make_agent()
    ticket = make_ticket(actor=agent, subject="App crashes on start")
    actions.save_resolution(ticket, "Update to version 2.3.", actor=agent, via="web")
    article = actions.publish_resolution_to_knowledge_base(ticket, actor=agent, via="web")
    assert (article.title, article.status, article.source_ticket_id) == ("App crashes on start", ArticleStatus.DRAFT, ticket.pk)
    assert Article.objects.count() == 1


def test_the_tab_partials_render_for_a_ticket(client, rf):
    from django.template import Context, Template

    agent = make_agent()
    ticket = make_ticket(actor=agent)
    actions.log_time(ticket, 20, actor=agent, via="web")
    request = rf.get("/")
    request.user = agent
    for name in ("approval", "resolution", "activities", "time"):
        html = Template('{% load casework %}{% casework_tab name ticket %}').render(Context({"request": request, "ticket": ticket, "name": name}))
        assert f'data-testid="tab-{name}"' in html


def test_my_activities_query_count_does_not_grow(client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    agent = make_agent()
    client.force_login(agent)
    actions.create_activity(make_ticket(actor=agent), "task", "First", actor=agent, via="web")
    client.get("/agent/casework/activities/")  # the first page of a process reads the helpdesk's settings once
    with CaptureQueriesContext(connection) as one:
        client.get("/agent/casework/activities/")
    for n in range(5):
        actions.create_activity(make_ticket(actor=agent), "task", f"Task {n}", actor=agent, via="web")
    with CaptureQueriesContext(connection) as six:
        response = client.get("/agent/casework/activities/")
    assert len(response.context["activities"]) == 6
    assert len(six.captured_queries) == len(one.captured_queries)
