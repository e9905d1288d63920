"""In Chromium: an agent signs in, logs a phone call for a new contact, then replies and solves."""

from __future__ import annotations

import pytest

from tests.browser.conftest import SCREENSHOTS, sign_in

pytestmark = pytest.mark.browser


@pytest.fixture
def agent(seeded_statuses):
    from tests.factories import make_agent

    return make_agent(email="marie@example.test", password="correct-horse-1", name="Marie Dupont")


def test_agent_signs_in(new_page, live_server, agent):
    page = new_page(live_server)
    sign_in(page, live_server, "marie@example.test", "correct-horse-1")
    assert page.get_by_role("link", name="New ticket").is_visible()


def test_wrong_password_keeps_the_agent_out(new_page, live_server, agent):
    page = new_page(live_server)
    page.goto(f"{live_server.url}/agent/login/")
    page.fill("#id_username", "marie@example.test")
    page.fill("#id_password", "wrong")
    page.click("button[type=submit]")
    assert page.locator("[role=alert]").is_visible()
    assert "/agent/login/" in page.url


def test_phone_ticket_for_a_new_contact(new_page, live_server, agent):
    from comptoir.tickets.models import Ticket

    page = new_page(live_server)
    sign_in(page, live_server, "marie@example.test", "correct-horse-1")
    page.get_by_role("link", name="New ticket").click()
    page.fill("#id_contact_name", "Jan Peeters")
    page.fill("#id_contact_phone", "+32 470 12 34 56")
    page.fill("#id_subject", "Cannot log in after update")
    page.fill("#id_description", "Called at 10:05, app says password invalid.")
    page.click("[data-testid=create-ticket]")
    page.wait_for_selector(".ticket__title")
    ticket = Ticket.objects.get()
    assert page.url.endswith(f"/agent/tickets/{ticket.number}/")
    assert page.locator(".flash").inner_text().strip() == f"Ticket #{ticket.number} created."
    assert ticket.channel == "phone" and ticket.assignee_id == agent.pk


def test_reply_and_solve_in_one_step(new_page, live_server, agent):
    from tests.factories import make_contact, make_ticket

    ticket = make_ticket(contact=make_contact(email="nadia@example.test", name="Nadia Haddad"), subject="App crashes on start")
    page = new_page(live_server)
    sign_in(page, live_server, "marie@example.test", "correct-horse-1")
    page.goto(f"{live_server.url}/agent/tickets/{ticket.number}/")
    page.keyboard.press("r")
    page.fill("#composer-body", "Version 4.3 fixes this; please update.")
    page.click("[data-testid=send-solve]")
    page.wait_for_selector(".flash")
    ticket.refresh_from_db()
    assert ticket.status_category == "solved"
    assert page.locator("article.message--agent").last.inner_text().count("Version 4.3 fixes this") == 1
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "ticket-page-en.png"), full_page=True)


def test_internal_note_is_shown_as_a_note(new_page, live_server, agent):
    from tests.factories import make_ticket

    ticket = make_ticket(subject="Refund request")
    page = new_page(live_server)
    sign_in(page, live_server, "marie@example.test", "correct-horse-1")
    page.goto(f"{live_server.url}/agent/tickets/{ticket.number}/")
    page.keyboard.press("n")
    page.fill("#composer-body", "Check the invoice first.")
    page.click("[data-testid=send]")
    page.wait_for_selector("article.message--note")
    assert "Internal note" in page.locator("article.message--note").text_content()


def test_priority_changes_in_place(new_page, live_server, agent):
    from tests.factories import make_ticket

    ticket = make_ticket(subject="Slow sync")
    page = new_page(live_server)
    sign_in(page, live_server, "marie@example.test", "correct-horse-1")
    page.goto(f"{live_server.url}/agent/tickets/{ticket.number}/")
    page.select_option("#prop-priority", "4")
    page.wait_for_selector(".properties .saved")
    ticket.refresh_from_db()
    assert ticket.priority == 4


def test_colleague_sees_that_another_agent_is_typing(new_page, live_server, agent):
    from tests.factories import make_agent, make_ticket

    make_agent(email="jan@example.test", password="correct-horse-1", name="Jan Peeters")
    ticket = make_ticket(subject="Double charge")
    marie, jan = new_page(live_server), new_page(live_server)
    sign_in(marie, live_server, "marie@example.test", "correct-horse-1")
    sign_in(jan, live_server, "jan@example.test", "correct-horse-1")
    url = f"{live_server.url}/agent/tickets/{ticket.number}/"
    marie.goto(url)
    marie.fill("#composer-body", "We refunded the second charge.")
    jan.goto(url)
    notice = jan.locator("[data-presence-typing]")
    notice.wait_for(timeout=15_000)
    assert "Marie Dupont" in notice.inner_text()


def test_refused_status_change_is_explained_next_to_the_field(new_page, live_server, agent):
    from comptoir.tickets.models import CustomFieldDefinition, FieldKind, Status
    from tests.factories import make_ticket

    CustomFieldDefinition.objects.create(key="root_cause", label="Root cause", kind=FieldKind.TEXT, required_in=["solved"])
    ticket = make_ticket(subject="Sync stuck")
    solved = Status.objects.get(category="solved", is_default=True)
    page = new_page(live_server)
    sign_in(page, live_server, "marie@example.test", "correct-horse-1")
    page.goto(f"{live_server.url}/agent/tickets/{ticket.number}/")
    page.select_option("#prop-status", str(solved.pk))
    page.wait_for_selector(".properties .field-error")
    assert "required fields" in page.locator(".properties .field-error").first.inner_text()
    ticket.refresh_from_db()
    assert ticket.status_category == "new"


def test_history_tab_loads_in_place(new_page, live_server, agent):
    from tests.factories import make_ticket

    ticket = make_ticket(subject="Login loop")
    page = new_page(live_server)
    sign_in(page, live_server, "marie@example.test", "correct-horse-1")
    page.goto(f"{live_server.url}/agent/tickets/{ticket.number}/")
    page.get_by_role("tab", name="History").click()
    page.wait_for_selector("[data-tab=history]")
    assert page.url.endswith(f"/agent/tickets/{ticket.number}/history/")
    assert page.locator("#properties").count() == 1  # the rest of the page stayed in place
