"""Deleting through the API: tickets (owners and admins, everything goes), contacts, accounts, products."""

from __future__ import annotations

import json

import pytest
from django.core.files.storage import default_storage

from comptoir.api.models import WebhookDelivery
from comptoir.contacts.models import Account, Contact, Product
from comptoir.core.permissions import PermissionDenied
from comptoir.tickets import actions
from comptoir.tickets.attachments import IncomingFile
from comptoir.tickets.models import Attachment, Message, Ticket, TicketEvent
from tests.api.test_webhooks import Receiver
from tests.factories import make_contact, make_ticket

pytestmark = pytest.mark.django_db


def _ticket_with_a_conversation(team):
    ticket = make_ticket(contact=team.members["contact"], group=team.group, status="open",
                         attachments=[IncomingFile("passport.pdf", b"%PDF-1.4 personal data")])
    actions.add_internal_note(ticket, body_text="Customer sent their passport by mistake", actor=team.members["agent"], via="web",
                              attachments=[IncomingFile("copy.txt", b"passport copy")])
    return ticket


def test_an_admin_deletes_a_ticket_with_its_messages_history_and_files(api, team, django_capture_on_commit_callbacks):
    ticket = _ticket_with_a_conversation(team)
    files = [a.file.name for a in ticket.attachments.all()]
    assert len(files) == 2 and all(default_storage.exists(name) for name in files)

    with django_capture_on_commit_callbacks(execute=True):  # files go once the deletion is committed
        response = api.delete(f"/tickets/{ticket.pk}", team.token("admin"))

    assert response.status_code == 204
    assert not Ticket.objects.filter(pk=ticket.pk).exists()
    assert not Message.objects.filter(ticket_id=ticket.pk).exists()
    assert not TicketEvent.objects.filter(ticket_id=ticket.pk).exists()
    assert not Attachment.objects.filter(ticket_id=ticket.pk).exists()
    assert not any(default_storage.exists(name) for name in files)
    assert api.get(f"/tickets/{ticket.pk}", team.token("admin")).status_code == 404


def test_the_owner_may_delete_too(api, team):
    ticket = make_ticket(group=team.group)
    assert api.delete(f"/tickets/{ticket.pk}", team.token("owner")).status_code == 204
    assert not Ticket.objects.filter(pk=ticket.pk).exists()


@pytest.mark.parametrize("role", ["supervisor", "agent", "light_agent", "contact"])
def test_other_roles_cannot_delete_a_ticket_they_see(api, team, role):
    ticket = _ticket_with_a_conversation(team)
    response = api.delete(f"/tickets/{ticket.pk}", team.token(role))
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "forbidden"
    assert Ticket.objects.get(pk=ticket.pk).messages.count() == 2


def test_a_ticket_the_caller_cannot_see_is_not_found(api, team):
    someone_elses = make_ticket(contact=make_contact("other@example.test"))
    assert api.delete(f"/tickets/{someone_elses.pk}", team.token("contact")).status_code == 404
    assert api.delete("/tickets/999999", team.token("admin")).status_code == 404
    assert Ticket.objects.filter(pk=someone_elses.pk).exists()


def test_deleting_twice_answers_not_found_the_second_time(api, team):
    ticket = make_ticket()
    assert api.delete(f"/tickets/{ticket.pk}", team.token("admin")).status_code == 204
    assert api.delete(f"/tickets/{ticket.pk}", team.token("admin")).status_code == 404


def test_a_shared_file_stays_while_another_ticket_uses_it(team, django_capture_on_commit_callbacks):
    first = make_ticket(attachments=[IncomingFile("logo.png", b"\x89PNG\r\n\x1a\nsame bytes")])
    second = make_ticket()
    shared = first.attachments.get()
    # Forwarded mail can point two tickets at one stored file.
    Attachment.objects.create(ticket=second, file=shared.file.name, name="logo.png", size=shared.size,
                              content_type=shared.content_type, sha256=shared.sha256)
    with django_capture_on_commit_callbacks(execute=True):
        actions.delete_ticket(first, actor=team.members["admin"], via="web")
    assert default_storage.exists(shared.file.name)
    assert second.attachments.get().file.read() == b"\x89PNG\r\n\x1a\nsame bytes"


def test_the_action_refuses_an_agent_without_the_capability(team):
    ticket = make_ticket(group=team.group)
    with pytest.raises(PermissionDenied):
        actions.delete_ticket(ticket, actor=team.members["supervisor"], via="web")
    assert Ticket.objects.filter(pk=ticket.pk).exists()


def test_a_deleted_ticket_is_announced_to_webhooks(api, team, django_capture_on_commit_callbacks):
    ticket = make_ticket(subject="Spam: cheap watches", group=team.group)
    with Receiver([]) as receiver:
        created = api.post("/webhooks", team.token("admin"), json={"url": receiver.url, "events": ["ticket.deleted"]})
        assert created.status_code == 201, created.content
        with django_capture_on_commit_callbacks(execute=True):
            assert api.delete(f"/tickets/{ticket.pk}", team.token("admin")).status_code == 204
    assert len(receiver.requests) == 1
    headers, body = receiver.requests[0]
    payload = json.loads(body)
    assert headers["X-Comptoir-Event"] == "ticket.deleted"
    assert payload["data"]["ticket"] == {"id": ticket.pk, "number": ticket.number, "subject": "Spam: cheap watches",
                                         "contact_id": ticket.contact_id}
    assert payload["data"]["actor"] == {"kind": "agent", "id": team.members["admin"].pk}
    assert WebhookDelivery.objects.get().state == "succeeded"


def test_an_admin_deletes_a_contact_without_tickets(api, team):
    contact = make_contact("typo@exmaple.test")
    assert api.delete(f"/contacts/{contact.pk}", team.token("admin")).status_code == 204
    assert not Contact.objects.filter(pk=contact.pk).exists()
    # The address is free again for the right person.
    assert api.post("/contacts", team.token("agent"), json={"email": "typo@exmaple.test"}).status_code == 201


def test_a_contact_with_tickets_cannot_be_deleted(api, team):
    ticket = make_ticket()
    response = api.delete(f"/contacts/{ticket.contact_id}", team.token("admin"))
    assert response.status_code == 409
    assert Contact.objects.filter(pk=ticket.contact_id).exists()


def test_only_admins_delete_contacts(api, team):
    contact = make_contact()
    for role in ("supervisor", "agent", "light_agent", "contact"):
        assert api.delete(f"/contacts/{contact.pk}", team.token(role)).status_code == 403
    assert api.delete(f"/contacts/{contact.pk}").status_code == 401
    assert Contact.objects.filter(pk=contact.pk).exists()


def test_deleting_an_account_keeps_its_contacts_and_tickets(api, team):
    account = Account.objects.create(name="Acme")
    ticket = make_ticket(contact=make_contact("ana@acme.test", account=account))
    assert api.delete(f"/accounts/{account.pk}", team.token("admin")).status_code == 204
    ticket.refresh_from_db()
    assert ticket.contact.account_id is None


def test_deleting_a_product_keeps_its_tickets(api, team):
    product = Product.objects.create(name="Watch app")
    ticket = make_ticket(product_name="Watch app")
    assert api.delete(f"/products/{product.pk}", team.token("owner")).status_code == 204
    ticket.refresh_from_db()
    assert ticket.product_id is None


def test_account_updates_go_through_validation(api, team):
    Account.objects.create(name="Globex")
    account = Account.objects.create(name="Acme")
    token = team.token("agent")
    assert api.patch(f"/accounts/{account.pk}", token, json={"name": "globex"}).status_code == 409
    assert api.patch(f"/accounts/{account.pk}", token, json={"name": "   "}).status_code in (400, 422)
    response = api.patch(f"/accounts/{account.pk}", token, json={"notes": "Key account", "domains": ["@Acme.test"]})
    assert response.status_code == 200
    assert (response.json()["name"], response.json()["notes"], response.json()["domains"]) == ("Acme", "Key account", ["acme.test"])
