"""Property-based run over the OpenAPI document: no 5xx, and every response matches the schema.

Schemathesis generates requests for each operation (a few examples each, to
keep the run short) and sends them to the WSGI app, authenticated as an admin.
"""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance, status_code_conformance

from comptoir.api.tokens import issue_token
from comptoir.core.models import Role
from comptoir.wsgi import application
from tests.factories import make_agent, make_ticket

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)
# The coverage phase enumerates every boundary of every parameter (hundreds of
# calls per operation); examples and bounded fuzzing keep the run near a minute.
schema.config.phases.coverage.enabled = False

CHECKS = [not_a_server_error, status_code_conformance, response_schema_conformance]


@pytest.fixture
def keep_test_connection():
    """Calling the WSGI app directly would close the test's database connection at each
    request end (Django's test Client disconnects this handler for the same reason)."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def admin_token(db, settings, monkeypatch, keep_test_connection) -> str:
    settings.API_RATE_LIMIT_PER_MINUTE = 0
    # Generated webhook URLs point anywhere; test-sends stay on this machine
    # (tests/api/test_webhooks.py covers real deliveries).
    from comptoir.api.webhooks import delivery

    monkeypatch.setattr(delivery, "_post", lambda url, headers, body: (None, "", "not sent during fuzzing"))
    admin = make_agent(Role.ADMIN)
    make_ticket(actor=admin, tags=["fuzz"])
    return issue_token(admin, "schemathesis")[1]


@pytest.mark.django_db
@schema.parametrize()
@settings(max_examples=5, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
def test_api_conforms_to_its_schema(case, admin_token):
    case.call_and_validate(headers={"Authorization": f"Bearer {admin_token}"}, checks=CHECKS)
