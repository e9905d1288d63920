from comptoir.tickets import actions
from tests.factories import make_agent, make_contact, make_group, make_ticket


def test_customer_reply_on_closed_assigned_ticket_opens_follow_up_in_same_group(db):
    agent = make_agent()
    group = make_group(members=[agent])
    customer = make_contact("lena@example.test")
    closed = make_ticket(contact=customer, assignee=agent, group=group, status="closed")

    message = actions.receive_customer_message(closed, contact=customer, via="portal", body_text="It broke again.")

    follow_up = message.ticket
    closed.refresh_from_db()
    assert follow_up.pk != closed.pk
    assert follow_up.follow_up_of_id == closed.pk
    assert follow_up.group_id == group.pk
    assert closed.status_category == "closed"
    assert closed.events.filter(kind="follow_up_created").exists()


def test_customer_reply_on_solved_ticket_reopens_it(db):
    customer = make_contact("omar@example.test")
    ticket = make_ticket(contact=customer, status="solved")

    actions.receive_customer_message(ticket, contact=customer, via="email", body_text="Still not working.")

    ticket.refresh_from_db()
    assert ticket.status_category == "open"
    assert ticket.events.filter(kind="field_changed", field="status").last().new_value == "Open"
