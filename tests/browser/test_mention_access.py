"""In Chromium: @mentioning a colleague who cannot see the ticket is flagged while typing and after posting."""

from __future__ import annotations

import pytest

from tests.browser.conftest import sign_in

pytestmark = pytest.mark.browser


def test_mentioning_a_colleague_without_access_is_flagged_and_warned(new_page, live_server, seeded_statuses):
    from comptoir.core.models import TicketScope
    from tests.factories import make_agent, make_group, make_ticket

    billing, mobile = make_group("Billing"), make_group("Mobile")
    make_agent(email="paul@example.test", password="correct-horse-1", name="Paul Martin")
    make_agent(email="marie.dupont@example.test", name="Marie Dupont", scope=TicketScope.GROUPS, groups=[mobile])
    ticket = make_ticket(subject="Refund for a double charge", group=billing)
    page = new_page(live_server)
    sign_in(page, live_server, "paul@example.test", "correct-horse-1")
    page.goto(f"{live_server.url}/agent/tickets/{ticket.number}/")
    page.keyboard.press("n")
    page.locator("#composer-body").press_sequentially("Seen this before? @mar")
    option = page.locator("#mention-list [data-mention='marie.dupont']")
    option.wait_for()
    assert option.get_attribute("data-no-access") is not None
    assert "cannot see this ticket" in option.inner_text()
    option.click()
    page.get_by_test_id("send").click()
    warning = page.locator(".flash__item--warning")
    warning.wait_for()
    assert warning.inner_text() == "Marie Dupont cannot see this ticket and was not notified."
