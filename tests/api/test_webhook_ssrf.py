"""Webhooks never reach private, loopback or link-local addresses unless the operator allows it.

The rest of the suite runs with COMPTOIR_WEBHOOK_ALLOW_PRIVATE on (its receiver
listens on 127.0.0.1); these tests turn it off, as in production.
"""

from __future__ import annotations

import pytest

from comptoir.api.models import WebhookDelivery, WebhookSubscription
from comptoir.api.webhooks import delivery as delivery_module
from comptoir.api.webhooks.destinations import is_public_address
from tests.api.test_webhooks import Receiver
from tests.factories import make_ticket

pytestmark = pytest.mark.django_db

PRIVATE_URLS = [
    "http://127.0.0.1:8000/hook",
    "http://127.8.9.10/hook",
    "http://localhost/hook",
    "http://10.1.2.3/hook",
    "http://172.16.0.1/hook",
    "http://172.31.255.254/hook",
    "http://192.168.1.20/hook",
    "http://169.254.169.254/latest/meta-data/",
    "http://0.0.0.0:8080/",
    "http://[::1]/hook",
    "http://[fc00::1]/hook",
    "http://[fd12:3456::1]/hook",
    "http://[::ffff:127.0.0.1]/hook",
    "https://[fe80::1]/hook",
]


@pytest.fixture
def production(settings):
    settings.COMPTOIR_WEBHOOK_ALLOW_PRIVATE = False
    return settings


@pytest.mark.parametrize("url", PRIVATE_URLS)
def test_subscribing_a_private_address_is_refused(api, team, production, url):
    response = api.post("/webhooks", team.token("admin"), json={"url": url, "events": ["ticket.created"]})
    assert response.status_code == 422, response.content
    assert response.json()["error"]["fields"]["url"] == "private_address"
    assert not WebhookSubscription.objects.exists()


def test_a_public_address_is_accepted(api, team, production):
    response = api.post("/webhooks", team.token("admin"), json={"url": "https://93.184.215.14/hooks", "events": ["ticket.created"]})
    assert response.status_code == 201, response.content


def test_a_host_that_does_not_resolve_is_refused_when_subscribing(api, team, production):
    response = api.post("/webhooks", team.token("admin"), json={"url": "http://no-such-host.invalid/", "events": ["ticket.created"]})
    assert response.status_code == 422
    assert "resolved" in response.json()["error"]["message"]


def test_moving_a_webhook_to_a_private_address_is_refused(api, team, production):
    hook = api.post("/webhooks", team.token("admin"), json={"url": "https://93.184.215.14/hooks", "events": ["ticket.created"]}).json()
    response = api.patch(f"/webhooks/{hook['id']}", team.token("admin"), json={"url": "http://169.254.169.254/"})
    assert response.status_code == 422
    assert WebhookSubscription.objects.get().url == "https://93.184.215.14/hooks"


def test_a_delivery_to_a_private_address_is_not_sent_and_fails_at_once(api, team, settings, django_capture_on_commit_callbacks):
    with Receiver([]) as receiver:
        # Subscribed while allowed (say the setting was on), then the operator turned it off.
        created = api.post("/webhooks", team.token("admin"), json={"url": receiver.url, "events": ["ticket.created"]})
        assert created.status_code == 201
        settings.COMPTOIR_WEBHOOK_ALLOW_PRIVATE = False
        with django_capture_on_commit_callbacks(execute=True):
            make_ticket()
    assert receiver.requests == []
    row = WebhookDelivery.objects.get()
    assert (row.state, row.status_code, row.next_retry_at) == ("failed", None, None)
    assert "private" in row.error


def test_the_test_button_reports_the_refusal(api, team, settings):
    with Receiver([]) as receiver:
        hook = api.post("/webhooks", team.token("admin"), json={"url": receiver.url, "events": ["ticket.created"]}).json()
        settings.COMPTOIR_WEBHOOK_ALLOW_PRIVATE = False
        body = api.post(f"/webhooks/{hook['id']}/test", team.token("admin")).json()
    assert receiver.requests == []
    assert body["state"] == "failed" and "private" in body["error"]


def test_the_connection_itself_refuses_a_private_peer(production):
    """Second line of defence (DNS rebinding): the socket's peer is checked, whatever the name resolved to before."""
    with Receiver([]) as receiver:
        status, _excerpt, error = delivery_module._post(receiver.url, {"Content-Type": "application/json"}, b"{}")
    assert receiver.requests == []
    assert status is None and "Refused" in error


def test_when_allowed_a_local_receiver_gets_its_deliveries(api, team, settings, django_capture_on_commit_callbacks):
    settings.COMPTOIR_WEBHOOK_ALLOW_PRIVATE = True
    with Receiver([]) as receiver:
        assert api.post("/webhooks", team.token("admin"), json={"url": receiver.url, "events": ["ticket.created"]}).status_code == 201
        with django_capture_on_commit_callbacks(execute=True):
            make_ticket()
    assert len(receiver.requests) == 1


@pytest.mark.parametrize(("address", "public"), [
    ("93.184.215.14", True),
    ("2606:4700::1111", True),
    ("127.0.0.1", False),
    ("10.0.0.1", False),
    ("172.20.0.1", False),
    ("192.168.0.1", False),
    ("169.254.1.1", False),
    ("0.0.0.0", False),
    ("::1", False),
    ("fc00::1", False),
    ("fe80::1%eth0", False),
    ("::ffff:10.0.0.1", False),
    ("224.0.0.1", False),
    ("not an address", False),
])
def test_which_addresses_count_as_public(address, public):
    assert is_public_address(address) is public
