"""Test set-up shared by the whole suite: settings for tests, and the factories as fixtures."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _clear_status_cache():
    from comptoir.tickets.statuses import forget_cached_statuses

    forget_cached_statuses()
    yield
    forget_cached_statuses()
