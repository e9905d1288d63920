"""Test set-up shared by the whole suite: settings for tests, and the factories as fixtures."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _clear_process_caches():
    from comptoir.core.process_cache import clear_all

    clear_all()
    yield
    clear_all()


@pytest.fixture(autouse=True)
def _default_statuses(request):
    """A transactional test starts from a flushed database (the previous one emptied every
    table), without the statuses migration 0002 seeds; the catalog action puts them back."""
    marker = request.node.get_closest_marker("django_db")
    transactional = bool(marker and marker.kwargs.get("transaction")) or bool(
        {"transactional_db", "live_server"} & set(request.fixturenames))
    if not transactional:
        return
    request.getfixturevalue("transactional_db")
    from comptoir.core.actors import SYSTEM
    from comptoir.tickets.actions import restore_default_statuses

    restore_default_statuses(actor=SYSTEM, via="test")


@pytest.fixture
def api(client):
    """A JSON client for /api/v1 (tests.api_client.Api)."""
    from tests.api_client import Api

    return Api(client)
