"""Browser tests: Playwright's sync API driving Debian's Chromium against pytest-django's live_server.

The browser is Debian's /usr/bin/chromium, or the executable COMPTOIR_CHROMIUM
names. When it is absent the tests skip, and fail when CI is set
(tests/system_deps.py). Playwright's sync API runs an event loop in the test
thread, so Django's async-safety guard is relaxed here.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from tests.system_deps import require_system

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("COMPTOIR_CHROMIUM") or "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"


@pytest.fixture
def seeded_statuses(transactional_db):
    """The default statuses the migration seeds, which transactional_db flushes between tests."""
    from comptoir.tickets.models import Status, StatusCategory

    for position, category in enumerate(StatusCategory):
        Status.objects.get_or_create(category=category.value, is_default=True,
                                     defaults={"name": str(category.label), "position": position})


@pytest.fixture
def chromium_browser():
    if not shutil.which(CHROMIUM):
        require_system("chromium", f"no executable at {CHROMIUM} (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def new_page(chromium_browser):
    """A factory of fresh pages (own cookies each), optionally with a language cookie."""
    contexts = []

    def make(live_server, language: str | None = None, width: int = 1280):
        context = chromium_browser.new_context(viewport={"width": width, "height": 900})
        if language:
            context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(10_000)
        return page

    yield make
    for context in contexts:
        context.close()


def sign_in(page, live_server, email: str, password: str) -> None:
    """Sign in through the real form, as a person would."""
    page.goto(f"{live_server.url}/agent/login/")
    page.fill("#id_username", email)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/agent/")
