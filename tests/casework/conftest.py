"""Casework API tests call /api/v1 like an integration: the JSON client of the API tests."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from tests.api_client import Api
from tests.factories import make_token


@pytest.fixture
def api(client: Client, settings: Any) -> Api:
    settings.API_RATE_LIMIT_PER_MINUTE = 0
    return Api(client)


def token_for(person: Any) -> str:
    """A live API token for an agent or a contact."""
    return make_token(person, "casework tests")
