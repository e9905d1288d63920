"""In Chromium: the customer signs in with the emailed link and never sees the internal note."""

from __future__ import annotations

import os
import re

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


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


def test_an_internal_note_is_not_visible_in_the_customers_view(chromium, live_server, statuses, settings):
    from django.core import mail

    from comptoir.tickets import actions
    from tests.factories import make_agent, make_contact, make_ticket

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    ann = make_contact("ann@example.test", name="Ann Peeters")
    agent = make_agent(name="Marie Dupont")
    ticket = make_ticket(contact=ann, subject="My app crashes", assignee=agent)
    actions.add_internal_note(ticket, actor=agent, via="web", body_text="Known bug in 4.2, do not promise a date")
    actions.add_reply(ticket, actor=agent, via="web", body_text="Thanks, we are on it.")
    mail.outbox.clear()

    page = chromium.new_page()
    page.set_default_timeout(10_000)
    page.goto(f"{live_server.url}/help/")
    page.fill("input[name=email]", "ann@example.test")
    page.get_by_role("button", name="Email me a sign-in link").click()
    page.locator("[data-sent]").wait_for()
    link = re.search(r"https?://\S+/help/sign-in/\S+/", mail.outbox[-1].body).group(0)
    assert link.startswith(live_server.url)  # built from the request's own host
    page.goto(link)
    page.get_by_role("button", name="Continue to my requests").click()
    page.get_by_role("link", name="My app crashes").click()
    conversation = page.locator("[data-conversation]")
    conversation.wait_for()
    assert "Thanks, we are on it." in conversation.inner_text()
    assert "Known bug" not in page.content()
