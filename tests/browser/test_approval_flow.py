"""In Chromium: a supervisor approves a refund from the emailed link; the link cannot be reused or forged.

Mail goes through Django's SMTP backend to a real aiosmtpd server on a free port.
"""

from __future__ import annotations

import email
import email.policy
import re
import time
from dataclasses import dataclass, field

import pytest
from aiosmtpd.controller import Controller

from tests.browser.conftest import sign_in

pytestmark = pytest.mark.browser
LINK = re.compile(r"https?://\S+?(/agent/casework/approvals/link/[^/\s]+/)")


@dataclass
class Inbox:
    messages: list[email.message.EmailMessage] = field(default_factory=list)

    def handle_DATA_sync(self, envelope) -> None:
        self.messages.append(email.message_from_bytes(envelope.original_content or envelope.content, policy=email.policy.default))

    async def handle_DATA(self, server, session, envelope) -> str:
        self.handle_DATA_sync(envelope)
        return "250 OK"

    def for_address(self, address: str, count: int = 1, timeout: float = 5.0) -> list[email.message.EmailMessage]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = [m for m in self.messages if address in str(m["To"])]
            if len(found) >= count:
                return found
            time.sleep(0.02)
        return [m for m in self.messages if address in str(m["To"])]


class _FreePortController(Controller):
    def _trigger_server(self) -> None:
        if self.port == 0 and self.server is not None:
            self.port = self.server.sockets[0].getsockname()[1]
        super()._trigger_server()


@pytest.fixture
def inbox(settings):
    box = Inbox()
    controller = _FreePortController(box, hostname="127.0.0.1", port=0)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", controller.port
    settings.EMAIL_USE_TLS, settings.EMAIL_HOST_USER, settings.EMAIL_HOST_PASSWORD = False, "", ""
    yield box
    controller.stop()


@pytest.fixture
def refund_request(seeded_statuses, inbox):
    """Rita asks Sam (a supervisor) to approve a refund; Sam's email arrives through SMTP."""
    from comptoir.casework import actions
    from comptoir.core.models import Role
    from tests.factories import make_agent, make_ticket

    rita = make_agent(email="rita@example.test", name="Rita Requester")
    sam = make_agent(email="sam@example.test", password="correct-horse-1", name="Sam Supervisor", role=Role.SUPERVISOR)
    ticket = make_ticket(subject="Refund 400 EUR for a double charge", actor=rita)
    actions.request_approval(ticket, [sam], "Refund above my limit", actor=rita, via="web")
    [message] = inbox.for_address("sam@example.test")
    approve_path, reject_path = LINK.findall(message.get_body(("plain",)).get_content())
    return ticket, rita, sam, approve_path, reject_path


def test_approver_approves_from_the_email_and_the_requester_hears_back(new_page, live_server, inbox, refund_request):
    from comptoir.casework.models import ApprovalRequest
    from comptoir.core.models import Notification
    from comptoir.tickets.models import TicketEvent

    ticket, rita, sam, approve_path, _reject = refund_request
    page = new_page(live_server)
    page.goto(live_server.url + approve_path)
    assert ApprovalRequest.objects.get().state == "pending"  # opening the link decides nothing
    page.fill("#comment", "Loyal customer, go ahead")
    page.click("[data-testid=confirm]")
    page.wait_for_selector("[data-testid=decision-done]")

    event = TicketEvent.objects.get(ticket=ticket, kind="approval_decided")
    assert (event.new_value, event.data["comment"], event.actor_agent_id) == ("approved", "Loyal customer, go ahead", sam.pk)
    [notice] = inbox.for_address("rita@example.test")
    assert f"#{ticket.number}" in str(notice["Subject"])
    assert "Loyal customer, go ahead" in notice.get_body(("plain",)).get_content()
    assert Notification.objects.filter(agent=rita, kind="approval_decided").exists()


def test_a_used_link_is_refused(new_page, live_server, refund_request):
    _ticket, _rita, _sam, approve_path, reject_path = refund_request
    page = new_page(live_server)
    page.goto(live_server.url + approve_path)
    page.click("[data-testid=confirm]")
    page.wait_for_selector("[data-testid=decision-done]")
    for path in (approve_path, reject_path):
        response = page.goto(live_server.url + path)
        assert response.status == 400
        assert page.locator("[data-testid=link-invalid]").inner_text() == "This link is invalid"


def test_a_tampered_link_is_refused(new_page, live_server, refund_request):
    from comptoir.casework.models import ApprovalRequest

    _ticket, _rita, _sam, approve_path, _reject = refund_request
    token = approve_path.rstrip("/").rsplit("/", 1)[1]
    forged = approve_path.replace(token, token[:-4] + ("AAAA" if token[-4:] != "AAAA" else "BBBB"))
    page = new_page(live_server)
    response = page.goto(live_server.url + forged)
    assert response.status == 400
    assert page.locator("[data-testid=link-invalid]").is_visible()
    assert ApprovalRequest.objects.get().state == "pending"


def test_a_signed_in_approver_decides_from_the_waiting_list(new_page, live_server, refund_request):
    from comptoir.casework.models import ApprovalRequest

    ticket, _rita, _sam, _approve, _reject = refund_request
    page = new_page(live_server)
    sign_in(page, live_server, "sam@example.test", "correct-horse-1")
    page.goto(f"{live_server.url}/agent/casework/approvals/")
    assert ticket.subject in page.locator("[data-testid=approvals-waiting]").inner_text()
    page.get_by_role("button", name="Reject").click()
    page.wait_for_load_state()
    assert ApprovalRequest.objects.get().state == "rejected"
    assert "Nothing is waiting for your approval." in page.content()
