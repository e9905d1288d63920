"""In Chromium: the workspace used from the keyboard and at tablet width.

j/k and Enter in a list, "?" for help (closing it gives the focus back), r/n in the
composer, reply all with To and Cc, @mention and tag autocomplete, the contact picker
of the new-ticket form, and the layout at tablet width.
"""

from __future__ import annotations

import pytest

from tests.browser.conftest import sign_in

pytestmark = pytest.mark.browser


@pytest.fixture
def agent(seeded_statuses):
    from tests.factories import make_agent

    return make_agent(email="marie@example.test", password="correct-horse-1", name="Marie Dupont")


def test_j_k_and_enter_open_a_ticket_from_the_list(new_page, live_server, agent):
    from tests.factories import make_ticket

    tickets = [make_ticket(subject=f"Printer {i} jams") for i in range(3)]
    page = new_page(live_server)
    sign_in(page, live_server, "marie@example.test", "correct-horse-1")
    page.goto(f"{live_server.url}/agent/tickets/")
    page.wait_for_selector("[data-ticket-row]")
    page.keyboard.press("j")
    page.keyboard.press("j")
    page.keyboard.press("k")
    focused = page.locator("[data-ticket-row].is-focused")
    assert focused.count() == 1
    number = focused.get_attribute("data-number")
    assert number == page.locator("[data-ticket-row]").first.get_attribute("data-number")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/agent/tickets/{number}/")
    assert int(number) in {t.number for t in tickets}


def test_question_mark_shows_help_and_escape_gives_the_focus_back(new_page, live_server, agent):
    from tests.factories import make_ticket

    make_ticket(subject="Printer jams")
    page = new_page(live_server)
    sign_in(page, live_server, "marie@example.test", "correct-horse-1")
    page.goto(f"{live_server.url}/agent/tickets/")
    page.wait_for_selector("[data-ticket-row]")
    page.keyboard.press("j")
    page.keyboard.press("?")
    help_box = page.locator("#shortcut-help")
    help_box.wait_for(state="visible")
    assert "Next ticket" in help_box.inner_text() and "Assign to me" in help_box.inner_text()
    page.keyboard.press("Escape")
    help_box.wait_for(state="hidden")
    assert page.evaluate("document.activeElement.matches('[data-ticket-row]')")


def test_n_writes_a_note_with_a_mention_picked_from_the_suggestions(new_page, live_server, agent):
    from comptoir.tickets.models import Message
    from tests.factories import make_agent, make_ticket

    colleague = make_agent(email="lucas.bernard@example.test", name="Lucas Bernard")
    ticket = make_ticket(subject="Refund twice")
    page = new_page(live_server)
    sign_in(page, live_server, "marie@example.test", "correct-horse-1")
    page.goto(f"{live_server.url}/agent/tickets/{ticket.number}/")
    page.keyboard.press("n")
    assert page.locator("[data-composer]").get_attribute("data-mode") == "note"
    page.keyboard.type("Can you check this @luc")
    page.locator("#mention-list [data-mention]").first.click()
    assert page.input_value("#composer-body") == "Can you check this @lucas.bernard "
    page.click("[data-testid=send]")
    page.wait_for_selector(".message--note")
    note = Message.objects.get(ticket=ticket, kind="note")
    assert "@lucas.bernard" in note.body_text and colleague in ticket.followers.all()


def test_reply_all_shows_to_and_cc_and_r_goes_back_to_a_plain_reply(new_page, live_server, agent):
    from comptoir.tickets import actions
    from tests.factories import make_contact, make_ticket

    contact = make_contact(email="nadia@client.test", name="Nadia Haddad")
    ticket = make_ticket(contact=contact, subject="Invoice missing")
    actions.receive_customer_message(ticket, contact=contact, via="email", body_text="Any news?",
                                     email_headers={"to": ["support@comptoir.test"], "cc": ["boss@client.test"]})
    page = new_page(live_server)
    sign_in(page, live_server, "marie@example.test", "correct-horse-1")
    page.goto(f"{live_server.url}/agent/tickets/{ticket.number}/")
    assert not page.locator("#composer-to").is_visible()
    page.click("[data-composer-mode=reply_all]")
    page.locator("#composer-to").wait_for(state="visible")
    assert page.input_value("#composer-to") == "nadia@client.test"
    assert page.input_value("#composer-cc") == "boss@client.test"
    page.evaluate("document.activeElement.blur()")  # shortcuts are ignored while typing in the message
    page.keyboard.press("r")
    page.locator("#composer-to").wait_for(state="hidden")


def test_tag_suggestion_completes_the_last_tag_and_keeps_the_others(new_page, live_server, agent):
    from tests.factories import make_ticket

    make_ticket(tags=["urgent"])
    ticket = make_ticket(tags=["billing"], subject="Card declined")
    page = new_page(live_server)
    sign_in(page, live_server, "marie@example.test", "correct-horse-1")
    page.goto(f"{live_server.url}/agent/tickets/{ticket.number}/")
    page.click("#prop-tags")
    page.keyboard.press("End")
    page.keyboard.type(", ur")
    page.wait_for_selector("#tag-options option[value='billing, urgent']", state="attached")


def test_picking_a_contact_prefills_account_email_and_phone(new_page, live_server, agent):
    from comptoir.contacts.actions import find_or_create_contact
    from comptoir.contacts.models import Account
    from comptoir.tickets.models import Ticket

    account = Account.objects.create(name="Brasserie Lambert")
    contact, _created = find_or_create_contact(email="jan@brasserie.test", name="Jan Peeters", account=account)
    find_or_create_contact(email="jan@brasserie.test", phone="+32 470 12 34 56")
    page = new_page(live_server)
    sign_in(page, live_server, "marie@example.test", "correct-horse-1")
    page.goto(f"{live_server.url}/agent/tickets/new/")
    page.fill("#contact-search", "Jan Pee")
    page.locator("[data-pick-contact]").first.click()
    assert page.input_value("#id_contact_email") == "jan@brasserie.test"
    assert page.input_value("#id_contact_phone") == "+32470123456"
    assert page.input_value("#contact-account") == "Brasserie Lambert"
    page.fill("#id_subject", "Beer tap order")
    page.click("[data-testid=create-ticket]")
    page.wait_for_selector(".ticket__title")
    ticket = Ticket.objects.get(subject="Beer tap order")
    assert ticket.contact_id == contact.pk and ticket.account_id == account.pk


def test_editing_the_picked_contacts_details_creates_a_new_contact_instead(new_page, live_server, agent):
    from comptoir.contacts.actions import find_or_create_contact
    from comptoir.tickets.models import Ticket

    picked, _created = find_or_create_contact(email="jan@brasserie.test", name="Jan Peeters")
    page = new_page(live_server)
    sign_in(page, live_server, "marie@example.test", "correct-horse-1")
    page.goto(f"{live_server.url}/agent/tickets/new/")
    page.fill("#contact-search", "Jan Pee")
    page.locator("[data-pick-contact]").first.click()
    page.fill("#id_contact_name", "Els Peeters")
    page.fill("#id_contact_email", "els@brasserie.test")
    assert page.inner_text("#contact-chosen") == ""
    page.fill("#id_subject", "Second tap")
    page.click("[data-testid=create-ticket]")
    page.wait_for_selector(".ticket__title")
    ticket = Ticket.objects.get(subject="Second tap")
    assert ticket.contact_id != picked.pk and ticket.contact.primary_email == "els@brasserie.test"


def test_at_tablet_width_the_views_are_a_strip_and_properties_stay_beside_the_conversation(new_page, live_server, agent):
    from tests.factories import make_ticket

    ticket = make_ticket(subject="Screen flickers")
    page = new_page(live_server, width=1024)
    sign_in(page, live_server, "marie@example.test", "correct-horse-1")
    page.goto(f"{live_server.url}/agent/tickets/{ticket.number}/")
    page.wait_for_selector(".lists-sidebar__views")
    sidebar = page.locator(".sidebar").bounding_box()
    assert sidebar["height"] < 200
    main = page.locator(".ticket__main").bounding_box()
    side = page.locator(".ticket__side").bounding_box()
    assert side["x"] > main["x"] + main["width"] - 1
    assert page.evaluate("document.documentElement.scrollWidth") <= 1024


def test_changing_a_property_keeps_the_keyboard_focus_on_it(new_page, live_server, agent):
    from comptoir.tickets.models import Ticket
    from tests.factories import make_ticket

    ticket = make_ticket(subject="Wrong invoice address")
    page = new_page(live_server)
    sign_in(page, live_server, "marie@example.test", "correct-horse-1")
    page.goto(f"{live_server.url}/agent/tickets/{ticket.number}/")
    page.focus("#prop-priority")
    page.select_option("#prop-priority", "4")
    page.wait_for_selector("#properties .saved")
    page.wait_for_function("document.activeElement && document.activeElement.id === 'prop-priority'")
    assert Ticket.objects.get(pk=ticket.pk).priority == 4


def test_s_with_nothing_written_solves_the_ticket(new_page, live_server, agent):
    from comptoir.tickets import actions
    from comptoir.tickets.models import Ticket
    from tests.factories import make_ticket

    ticket = make_ticket(subject="Password reset worked")
    actions.add_reply(ticket, actor=agent, via="web", body_text="Try the reset link.")
    page = new_page(live_server)
    sign_in(page, live_server, "marie@example.test", "correct-horse-1")
    page.goto(f"{live_server.url}/agent/tickets/{ticket.number}/")
    page.keyboard.press("s")
    page.wait_for_selector("#properties .saved")
    assert Ticket.objects.get(pk=ticket.pk).status_category == "solved"


def test_s_after_writing_a_reply_sends_it_and_solves(new_page, live_server, agent):
    from comptoir.tickets.models import Message, Ticket
    from tests.factories import make_ticket

    ticket = make_ticket(subject="Export is empty")
    page = new_page(live_server)
    sign_in(page, live_server, "marie@example.test", "correct-horse-1")
    page.goto(f"{live_server.url}/agent/tickets/{ticket.number}/")
    page.keyboard.press("r")
    page.keyboard.type("Fixed in today's release.")
    page.evaluate("document.activeElement.blur()")  # shortcuts are ignored while typing in the message
    page.keyboard.press("s")
    page.wait_for_selector(".flash")
    assert Ticket.objects.get(pk=ticket.pk).status_category == "solved"
    assert Message.objects.filter(ticket=ticket, kind="reply", body_text="Fixed in today's release.").count() == 1


def test_a_assigns_the_ticket_to_me(new_page, live_server, agent):
    from comptoir.tickets.models import Ticket
    from tests.factories import make_ticket

    ticket = make_ticket(subject="Unassigned question")
    page = new_page(live_server)
    sign_in(page, live_server, "marie@example.test", "correct-horse-1")
    page.goto(f"{live_server.url}/agent/tickets/{ticket.number}/")
    page.keyboard.press("a")
    page.wait_for_selector(".flash")
    assert Ticket.objects.get(pk=ticket.pk).assignee_id == agent.pk


def test_the_tab_loaded_in_place_is_marked_as_the_selected_one(new_page, live_server, agent):
    from tests.factories import make_ticket

    ticket = make_ticket(subject="Which tab am I on")
    page = new_page(live_server)
    sign_in(page, live_server, "marie@example.test", "correct-horse-1")
    page.goto(f"{live_server.url}/agent/tickets/{ticket.number}/")
    page.get_by_role("tab", name="History").click()
    page.wait_for_selector("[data-tab=history]")
    assert page.get_by_role("tab", name="History").get_attribute("aria-selected") == "true"
    assert page.get_by_role("tab", name="Conversation").get_attribute("aria-selected") == "false"


def test_at_tablet_portrait_width_nothing_sticks_out_of_the_page_or_the_properties_panel(new_page, live_server, agent):
    from tests.factories import make_contact, make_group, make_ticket

    group = make_group(name="Mobile applications – second line escalation team", members=[agent])
    contact = make_contact(name="Maximiliaan Vanderstraeten-Verhoeven")
    ticket = make_ticket(group=group, contact=contact,
                         subject="De applicatie crasht telkens bij het openen van mijn winkelmandje na de update")
    page = new_page(live_server, width=768)
    sign_in(page, live_server, "marie@example.test", "correct-horse-1")
    page.goto(f"{live_server.url}/agent/tickets/{ticket.number}/")
    panel = page.locator("#properties").bounding_box()
    group_select = page.locator("#prop-group").bounding_box()
    assert group_select["x"] + group_select["width"] <= panel["x"] + panel["width"]
    assert page.evaluate("document.documentElement.scrollWidth") <= 768
    page.goto(f"{live_server.url}/agent/tickets/")
    page.wait_for_selector("[data-ticket-row]")
    assert page.evaluate("document.documentElement.scrollWidth") <= 768
