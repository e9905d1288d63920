from comptoir.core.models import Role
from comptoir.tickets import actions
from comptoir.tickets.models import EventKind
from tests.factories import make_agent, make_contact, make_ticket


def test_agent_creates_phone_ticket_and_becomes_owner(db):
    agent = make_agent(role=Role.AGENT)
    ticket = actions.create_ticket(actor=agent, via="phone", subject="Cannot log in", description="Called at 10:00",
                                   contact_phone="+32 470 12 34 56", contact_name="Jan Peeters")
    assert ticket.assignee == agent
    assert ticket.status_category == "open"
    assert ticket.contact.primary_phone == "+32470123456"
    assert list(ticket.events.values_list("kind", flat=True)) == [EventKind.CREATED]


def test_reply_and_solve_in_one_step(db):
    agent = make_agent()
    ticket = make_ticket(contact=make_contact("ann@example.test"))
    message = actions.add_reply(ticket, actor=agent, via="web", body_text="Try again now.", new_status="solved")
    ticket.refresh_from_db()
    assert message.is_public
    assert ticket.status_category == "solved"
    assert ticket.first_agent_reply_at is not None
