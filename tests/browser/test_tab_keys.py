"""In Chromium: the ticket page tabs follow the WAI-ARIA tabs pattern from the keyboard.

Left/Right move between tabs (wrapping), Home/End jump to the first/last, Enter opens the
focused tab, and only the selected tab sits in the Tab order (roving tabindex).
"""

from __future__ import annotations

import pytest

from tests.browser.conftest import sign_in

pytestmark = pytest.mark.browser

TAB_NAMES = ["Conversation", "History", "Attachments", "Approval", "Resolution", "Activities", "Time"]


@pytest.fixture
def ticket_page(new_page, live_server, seeded_statuses):
    from tests.factories import make_agent, make_ticket

    make_agent(email="marie@example.test", password="correct-horse-1", name="Marie Dupont")
    ticket = make_ticket(subject="Tabs from the keyboard")
    page = new_page(live_server)
    sign_in(page, live_server, "marie@example.test", "correct-horse-1")
    page.goto(f"{live_server.url}/agent/tickets/{ticket.number}/")
    return page


def focused_tab(page) -> str:
    return page.evaluate("document.activeElement.matches('[role=tab]') ? document.activeElement.textContent.trim() : ''")


def test_only_the_selected_tab_is_in_the_tab_order(ticket_page):
    tabs = ticket_page.locator("[role=tablist] [role=tab]")
    assert [t.strip() for t in tabs.all_inner_texts()] == TAB_NAMES
    assert [tabs.nth(i).get_attribute("tabindex") for i in range(tabs.count())] == ["0"] + ["-1"] * (len(TAB_NAMES) - 1)
    assert ticket_page.locator("#tab-panel").get_attribute("aria-labelledby") == "ticket-tab-conversation"


def test_arrow_keys_home_and_end_move_the_focus_between_tabs(ticket_page):
    ticket_page.get_by_role("tab", name="Conversation").focus()
    ticket_page.keyboard.press("ArrowRight")
    assert focused_tab(ticket_page) == "History"
    ticket_page.keyboard.press("ArrowRight")
    assert focused_tab(ticket_page) == "Attachments"
    ticket_page.keyboard.press("ArrowLeft")
    assert focused_tab(ticket_page) == "History"
    ticket_page.keyboard.press("End")
    assert focused_tab(ticket_page) == "Time"
    ticket_page.keyboard.press("ArrowRight")
    assert focused_tab(ticket_page) == "Conversation"
    ticket_page.keyboard.press("ArrowLeft")
    assert focused_tab(ticket_page) == "Time"
    ticket_page.keyboard.press("Home")
    assert focused_tab(ticket_page) == "Conversation"
    # Moving the focus does not open a tab: the conversation is still the selected one.
    assert ticket_page.get_by_role("tab", name="Conversation").get_attribute("aria-selected") == "true"


def test_enter_opens_the_focused_tab_and_it_becomes_the_tab_stop(ticket_page):
    ticket_page.get_by_role("tab", name="Conversation").focus()
    ticket_page.keyboard.press("ArrowRight")
    ticket_page.keyboard.press("Enter")
    ticket_page.wait_for_selector("[data-tab=history]")
    history = ticket_page.get_by_role("tab", name="History")
    conversation = ticket_page.get_by_role("tab", name="Conversation")
    assert history.get_attribute("aria-selected") == "true" and history.get_attribute("tabindex") == "0"
    assert conversation.get_attribute("aria-selected") == "false" and conversation.get_attribute("tabindex") == "-1"
    assert ticket_page.locator("#tab-panel").get_attribute("aria-labelledby") == "ticket-tab-history"


def test_tab_key_leaves_the_tab_list_for_the_panel(ticket_page):
    ticket_page.get_by_role("tab", name="Conversation").focus()
    ticket_page.keyboard.press("Tab")
    assert ticket_page.evaluate("document.activeElement.id") == "tab-panel"
