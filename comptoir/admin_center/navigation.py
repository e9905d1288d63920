"""The admin center's map: its sections and pages, as data.

Grouped as Zendesk's Admin Center is. A page appears when its URL exists and
the signed-in agent holds its capability, so an issue that adds a page (the
rule builders, SLA, help-center settings) adds its URL and its entry here and
nothing else. Pages owned by other apps (email channel, webhooks, casework)
are linked by URL name: the admin center imports none of them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from comptoir.core.permissions import can

SETTINGS = "admin.settings"
AGENTS = "admin.agents"


@dataclass(frozen=True)
class Page:
    """One setting page: `keywords` are extra words the settings search matches (translated too)."""

    key: str
    title: Promise | str
    url_name: str
    capability: str = SETTINGS
    description: Promise | str = ""
    keywords: tuple[Promise | str, ...] = ()


@dataclass(frozen=True)
class Section:
    key: str
    title: Promise | str
    pages: tuple[Page, ...] = field(default_factory=tuple)
    # Shown under a section none of whose pages exist yet, so the map stays whole.
    empty: Promise | str = ""


SECTIONS: tuple[Section, ...] = (
    Section("team", _("Team"), (
        Page("agents", _("Agents"), "admin_center:agents", AGENTS,
             _("Invite colleagues, set their role, groups and ticket access."), (_("invite"), _("role"), _("deactivate"))),
        Page("groups", _("Groups"), "admin_center:groups", SETTINGS,
             _("Teams that tickets are routed to."), (_("members"),)),
        Page("departments", _("Departments"), "admin_center:departments", SETTINGS,
             _("Brands with their own addresses, sender name and signature."), (_("brand"), _("signature"), _("sender"))),
        Page("roles", _("Roles"), "admin_center:roles", AGENTS,
             _("What each role may do, and roles of your own."), (_("permissions"), _("capabilities"))),
        Page("contact-fields", _("Contact fields"), "admin_center:contact-fields", SETTINGS,
             _("Extra facts about customers, such as a customer number."), (_("customer number"),)),
        Page("account-fields", _("Account fields"), "admin_center:account-fields", SETTINGS,
             _("Extra facts about customer companies."), (_("company"),)),
        Page("account-domains", _("Account domains"), "admin_center:account-domains", SETTINGS,
             _("Link new contacts to their company by email domain."), (_("domain"), _("company"))),
    )),
    Section("tickets", _("Tickets"), (
        Page("statuses", _("Statuses"), "admin_center:statuses", SETTINGS,
             _("Your own statuses, mapped to the fixed categories."), (_("pending"), _("solved"))),
        Page("categories", _("Categories"), "admin_center:categories", SETTINGS,
             _("Categories and subcategories of requests."), (_("subcategory"),)),
        Page("products", _("Products"), "admin_center:products", SETTINGS, _("What your customers ask about.")),
        Page("ticket-fields", _("Ticket fields"), "admin_center:ticket-fields", SETTINGS,
             _("Custom fields: kinds, options, dependent fields, required at solve."), (_("custom field"), _("dropdown"))),
        Page("form-layouts", _("Ticket forms"), "admin_center:form-layouts", SETTINGS,
             _("Which fields each department's ticket form shows, in which order."), (_("layout"),)),
        Page("tags", _("Tags"), "admin_center:tags", SETTINGS, _("Rename and merge tags."), (_("merge"),)),
    )),
    Section("channels", _("Channels"), (
        Page("email", _("Email"), "admin_center:email", SETTINGS,
             _("Mailboxes and header rules."), (_("IMAP"), _("mailbox"))),
        Page("email-failed", _("Failed email intake"), "admin_center:email-failed", SETTINGS, _("Mails that could not be read; retry them.")),
        Page("email-spam", _("Email held as spam"), "admin_center:email-spam", SETTINGS, _("Release mails held as spam.")),
        Page("notification-templates", _("Notification templates"), "admin_center:notification-templates", SETTINGS,
             _("What customers receive: confirmation, reply, solved…"), (_("confirmation"), _("template"))),
        Page("confirmations", _("Confirmations"), "admin_center:confirmations", SETTINGS,
             _("Which channels send a confirmation with the ticket number."), (_("phone"),)),
    )),
    Section("rules", _("Business rules"), (
        Page("approval-policy", _("Approval policy"), "casework:approval-policy", SETTINGS,
             _("When tickets need an approval."), (_("approval"),)),
    )),
    Section("help_center", _("Help center"), (), empty=_("The help center's settings will live here.")),
    Section("integrations", _("Integrations"), (
        Page("webhooks", _("Webhooks"), "webhooks:list", SETTINGS, _("Send ticket events to other systems.")),
        Page("api-tokens", _("API tokens"), "admin_center:api-tokens", AGENTS,
             _("Every agent's API tokens; revoke any of them."), (_("token"), _("API"))),
        Page("export", _("Incremental export"), "admin_center:export", SETTINGS,
             _("Pull every change for a data warehouse."), (_("export"),)),
    )),
    Section("account", _("Account"), (
        Page("branding", _("Helpdesk"), "admin_center:branding", SETTINGS,
             _("Name, logo, colours, default language and time zone."), (_("logo"), _("colour"), _("language"), _("time zone"))),
        Page("audit", _("Audit log"), "admin_center:audit", SETTINGS,
             _("Every change to the settings: who, when, before and after."), (_("history"), _("changes"))),
    )),
)


@dataclass
class NavPage:
    page: Page
    url: str
    current: bool


@dataclass
class NavSection:
    section: Section
    pages: list[NavPage]


def _url(page: Page) -> str | None:
    try:
        return reverse(page.url_name)
    except NoReverseMatch:
        return None


def navigation(agent: Any, current_url_name: str = "", path: str = "") -> list[NavSection]:
    """The sections and the pages of them this agent may open, with the current page marked."""
    found = current_page(current_url_name, path)
    current = found[1] if found is not None else None
    sections = []
    for section in SECTIONS:
        pages = []
        for page in section.pages:
            url = _url(page)
            if url is not None and can(agent, page.capability):
                pages.append(NavPage(page, url, page is current))
        sections.append(NavSection(section, pages))
    return sections


def current_page(current_url_name: str, path: str = "") -> tuple[Section, Page] | None:
    """The section and page a URL belongs to, for breadcrumbs and the highlighted entry.

    Sub-pages (an editor, a detail page) belong to the page whose address is the
    longest prefix of theirs, so "Team › Agents" stays lit while editing an agent.
    """
    best: tuple[int, Section, Page] | None = None
    for section in SECTIONS:
        for page in section.pages:
            if page.url_name == current_url_name:
                return section, page
            url = _url(page)
            if url and path.startswith(url) and (best is None or len(url) > best[0]):
                best = (len(url), section, page)
    return (best[1], best[2]) if best is not None else None


def search_pages(agent: Any, query: str) -> list[tuple[Section, NavPage]]:
    """Pages whose title, description or keywords contain every word of `query`, in the reader's language."""
    words = [w for w in query.casefold().split() if w]
    found = []
    for nav in navigation(agent):
        for item in nav.pages:
            page = item.page
            haystack = " ".join(str(t) for t in (page.title, page.description, nav.section.title, *page.keywords)).casefold()
            if words and all(w in haystack for w in words):
                found.append((nav.section, item))
    return found


def can_enter(agent: Any) -> bool:
    """The admin center opens to agents who hold any capability one of its pages needs."""
    return any(can(agent, cap) for cap in {p.capability for s in SECTIONS for p in s.pages})
