"""In Chromium, in French: a fresh admin sets the helpdesk up from the admin center, and every change is audited.

1. invites an agent, who accepts the invitation and signs in;
2. creates a category with two subcategories, a contact field "Numéro client"
   and a custom status mapped to pending;
3. turns on the agent name in From, and a reply's From header shows it (the
   real SMTP server — aiosmtpd — catches the mail);
4. sees each change in the audit log.
Screenshots of the admin home, the audit log and the helpdesk page (1440×900
and 768×1024) go to test-artifacts/screenshots/.
"""

from __future__ import annotations

import email
import re
from email import policy

import pytest

from tests.browser.conftest import SCREENSHOTS
from tests.channels.email.conftest import smtp_sink  # noqa: F401  (the real SMTP server fixture)

pytestmark = pytest.mark.browser

PASSWORD = "cheval-correct-1"


@pytest.fixture
def desk(seeded_statuses, smtp_sink, settings, live_server):  # noqa: F811
    """A new helpdesk: one admin (in French), one department with a support address, one customer ticket."""
    from comptoir.core.models import Role
    from tests.factories import make_agent, make_contact, make_department, make_ticket

    settings.BASE_URL = live_server.url
    admin = make_agent(role=Role.OWNER, email="sophie@dupont.test", password=PASSWORD, name="Sophie Martin", locale="fr")
    department = make_department(name="Facturation", address="facturation@dupont.test")
    department.from_name = "Facturation Dupont"
    department.save()
    contact = make_contact(email="nadia@client.test", name="Nadia Haddad", locale="fr")
    ticket = make_ticket(contact=contact, subject="Facture en double", department=department)
    return {"admin": admin, "department": department, "ticket": ticket, "smtp": smtp_sink}


def sign_in_fr(page, live_server, email_address: str, password: str) -> None:
    page.goto(f"{live_server.url}/agent/login/")
    page.fill("#id_username", email_address)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/agent/")


def submit_admin_form(page) -> None:
    """Click the admin form's main button and wait for the page it leads to (htmx answers with HX-Redirect)."""
    before = page.url
    page.locator("form[hx-post] button.button--primary").first.click()
    page.wait_for_function("url => window.location.href !== url", arg=before)
    page.wait_for_load_state()


def mail_to(smtp, address: str, count: int):
    for captured in smtp.wait_for(count, timeout=10):
        if address in captured.rcpt_tos:
            yield email.message_from_bytes(captured.raw, policy=policy.default)


def screenshots(page, live_server, name: str, path: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for width, height in ((1440, 900), (768, 1024)):
        page.set_viewport_size({"width": width, "height": height})
        page.goto(f"{live_server.url}{path}")
        page.screenshot(path=str(SCREENSHOTS / f"admin-{name}-fr-{width}x{height}.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


def test_a_fresh_admin_sets_up_the_helpdesk_in_french(new_page, live_server, desk):
    from comptoir.contacts.models import ContactFieldDefinition
    from comptoir.core.models import Agent, AuditEntry
    from comptoir.tickets.models import Category, Status

    smtp = desk["smtp"]
    admin_page = new_page(live_server, language="fr", width=1280)
    sign_in_fr(admin_page, live_server, "sophie@dupont.test", PASSWORD)

    # 1. Invite Paul; he follows the link in the mail, chooses a password and is signed in.
    admin_page.goto(f"{live_server.url}/agent/admin/agents/invite/")
    admin_page.fill("#id_email", "paul@dupont.test")
    admin_page.fill("#id_name", "Paul Durand")
    admin_page.select_option("#id_locale", "fr")
    submit_admin_form(admin_page)
    assert "Paul Durand" in admin_page.locator("main").inner_text()
    invitation = next(mail_to(smtp, "paul@dupont.test", 1))
    link = re.search(r"https?://\S+/agent/admin/invitation/\S+/", invitation.get_body(("plain",)).get_content()).group(0)
    paul_page = new_page(live_server, language="fr")
    paul_page.goto(link)
    paul_page.fill("#id_password", PASSWORD)
    paul_page.fill("#id_password_again", PASSWORD)
    paul_page.click("button[type=submit]")
    paul_page.wait_for_url(f"{live_server.url}/agent/")
    assert Agent.objects.get(email="paul@dupont.test").has_usable_password()

    # 2. A category with two subcategories, a contact field and a status mapped to "pending".
    admin_page.goto(f"{live_server.url}/agent/admin/categories/new/")
    admin_page.fill("#id_name", "Facturation")
    submit_admin_form(admin_page)
    parent = Category.objects.get(name="Facturation", parent=None)
    for child in ("Remboursement", "Facture en double"):
        admin_page.goto(f"{live_server.url}/agent/admin/categories/new/")
        admin_page.fill("#id_name", child)
        admin_page.select_option("#id_parent_id", str(parent.pk))
        submit_admin_form(admin_page)
    assert sorted(Category.objects.filter(parent=parent).values_list("name", flat=True)) == ["Facture en double", "Remboursement"]

    admin_page.goto(f"{live_server.url}/agent/admin/contact-fields/new/")
    admin_page.fill("#id_label", "Numéro client")
    admin_page.select_option("#id_kind", "text")
    submit_admin_form(admin_page)
    assert ContactFieldDefinition.objects.filter(label="Numéro client").exists()

    admin_page.goto(f"{live_server.url}/agent/admin/statuses/new/")
    admin_page.fill("#id_name", "En attente du client")
    admin_page.select_option("#id_category", "pending")
    submit_admin_form(admin_page)
    assert Status.objects.get(name="En attente du client").category == "pending"

    # 3. The agent's name in From, then Paul replies and the customer's mail shows it.
    department = desk["department"]
    admin_page.goto(f"{live_server.url}/agent/admin/departments/{department.pk}/")
    admin_page.check("#id_agent_name_in_from")
    submit_admin_form(admin_page)
    department.refresh_from_db()
    assert department.agent_name_in_from is True

    ticket = desk["ticket"]
    paul_page.goto(f"{live_server.url}/agent/tickets/{ticket.number}/")
    paul_page.keyboard.press("r")
    paul_page.fill("#composer-body", "Bonjour, le doublon est annulé.")
    paul_page.click("[data-testid=send]")
    paul_page.wait_for_selector("article.message--agent")
    # Nadia also got the confirmation of her ticket earlier; the reply is the mail that carries Paul's words.
    replies = [m for m in mail_to(smtp, "nadia@client.test", 3) if "le doublon est annulé" in m.get_body(("plain",)).get_content()]
    assert len(replies) == 1
    reply = replies[0]
    assert "Paul Durand" in str(reply["From"])
    assert "Facturation Dupont" in str(reply["From"])
    assert "facturation@dupont.test" in str(reply["From"])

    # 4. The audit log tells each change, in French, newest first.
    admin_page.goto(f"{live_server.url}/agent/admin/account/audit/")
    log = admin_page.locator("[data-testid=audit-log]").inner_text()
    for kind in ("agent.invited", "category.created", "contact_field.created", "status.created", "department.updated"):
        assert AuditEntry.objects.filter(kind=kind, actor_agent=desk["admin"]).exists(), kind
    assert log.count("«Facturation»") >= 2  # the category, and the department's sender switch
    assert "Remboursement»" in log and "Facture en double»" in log  # a subcategory reads "Parent › Child"
    assert "«Numéro client»" in log
    assert "«En attente du client»" in log
    assert "Paul Durand" in log
    assert "Département «Facturation»" in log
    assert admin_page.locator("[data-testid=audit-log] tbody tr").count() >= 7

    screenshots(admin_page, live_server, "home", "/agent/admin/")
    screenshots(admin_page, live_server, "audit", "/agent/admin/account/audit/")
    screenshots(admin_page, live_server, "branding", "/agent/admin/account/helpdesk/")
