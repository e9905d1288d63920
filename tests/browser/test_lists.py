"""In Chromium: a personal view filters, three tickets are assigned in bulk, the list in three languages."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"

pytestmark = [
    pytest.mark.browser,
]


@pytest.fixture
def statuses(transactional_db):
    """The default statuses the migration seeds, which transactional_db flushes between tests."""
    from comptoir.tickets.models import Status, StatusCategory

    for position, category in enumerate(StatusCategory):
        Status.objects.get_or_create(category=category.value, is_default=True,
                                     defaults={"name": str(category.label), "position": position})


@pytest.fixture
def chromium(chromium_browser):
    """The conftest's browser: one place decides what a missing Chromium means (tests/system_deps.py)."""
    return chromium_browser


def agent_page(chromium, live_server, agent, language: str | None = None):
    """A page signed in as `agent` (session cookie from Django's own login)."""
    from django.test import Client

    client = Client()
    client.force_login(agent)
    context = chromium.new_context(viewport={"width": 1280, "height": 800})
    cookies = [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    if language:
        cookies.append({"name": "django_language", "value": language, "url": live_server.url})
    context.add_cookies(cookies)
    page = context.new_page()
    page.set_default_timeout(10_000)
    return page


def test_a_personal_view_filters_its_tickets(chromium, live_server, statuses):
    from tests.factories import make_agent, make_ticket

    agent = make_agent(name="Marie Dupont")
    make_ticket(subject="Printer on fire", priority="urgent")
    make_ticket(subject="Question about an invoice", priority="low")
    page = agent_page(chromium, live_server, agent)
    page.goto(f"{live_server.url}/agent/views/new/")
    page.fill("input[name=name]", "Urgent work")
    row = page.locator("[data-condition-row]").first
    row.locator("select[name=cond_field]").select_option("priority")
    page.wait_for_function("document.querySelector('[data-condition-row] select[name=cond_operator] option[value=gte]') !== null")
    row = page.locator("[data-condition-row]").first
    row.locator("select[name=cond_operator]").select_option("is")
    row.locator("input[name=cond_value]").fill("urgent")
    page.get_by_role("button", name="Save view").click()
    page.wait_for_url("**/agent/views/*/")
    table = page.locator(".ticket-table")
    assert "Printer on fire" in table.inner_text()
    assert "Question about an invoice" not in table.inner_text()
    sidebar_link = page.locator("[data-view]", has_text="Urgent work")
    sidebar_link.wait_for()
    assert sidebar_link.locator("[data-count]").inner_text() == "1"


def test_bulk_assign_three_tickets_with_the_keyboard(chromium, live_server, statuses):
    from comptoir.core.models import Role
    from comptoir.tickets.models import Ticket
    from tests.factories import make_agent, make_ticket

    admin = make_agent(role=Role.ADMIN, name="Ada Admin")
    jan = make_agent(name="Jan Peeters")
    tickets = [make_ticket(subject=f"Cannot log in {i}") for i in range(4)]
    page = agent_page(chromium, live_server, admin)
    page.goto(f"{live_server.url}/agent/tickets/")
    for _ in range(3):  # j moves to the next row, x selects it
        page.keyboard.press("j")
        page.keyboard.press("x")
    assert page.locator("[data-ticket-row].is-focused").count() == 1
    assert page.locator("[data-row-select]:checked").count() == 3
    page.select_option("select[name=action]", "assign")
    page.select_option("select[name=assignee]", str(jan.pk))
    page.get_by_role("button", name="Apply to selected").click()
    page.locator("[data-bulk-summary]").wait_for()
    assert "3 tickets updated." in page.locator("[data-bulk-summary]").inner_text()
    assert Ticket.objects.filter(pk__in=[t.pk for t in tickets], assignee=jan).count() == 3


@pytest.mark.parametrize("language", ["en", "fr", "nl"])
def test_screenshot_of_the_list_in_each_language(chromium, live_server, statuses, language):
    from comptoir.core.models import Role
    from tests.factories import make_agent, make_contact, make_ticket

    admin = make_agent(role=Role.ADMIN, name="Ada Admin")
    for subject, priority in [("L'application plante au démarrage", "urgent"), ("Factuur klopt niet", "high"),
                              ("Cannot reset my password", "normal")]:
        make_ticket(subject=subject, priority=priority, contact=make_contact(name="Camille Martin"), assignee=admin)
    page = agent_page(chromium, live_server, admin, language=language)
    page.goto(f"{live_server.url}/agent/tickets/")
    page.locator(".ticket-table").wait_for()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"ticket-list-{language}.png"
    page.screenshot(path=str(path), full_page=True)
    assert path.stat().st_size > 0
