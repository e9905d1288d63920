"""The getting-started checklist on the admin home: four first steps, each ticked only when really done.

Each item is one cheap EXISTS query over the real data, never a flag an admin
could tick by hand: a colleague who is really active, email really connected
(a mailbox polling, or mail that really arrived), a saved view that exists, a
customer ticket that really came in after the helpdesk was set up.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.apps import apps
from django.db.models import Min
from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from comptoir.channels.email.models import InboundEmail, Mailbox
from comptoir.core.models import Agent
from comptoir.tickets.models import Channel, Ticket


@dataclass(frozen=True)
class ChecklistItem:
    key: str
    title: Promise | str
    url: str
    done: bool


def _url(name: str) -> str:
    try:
        return reverse(name)
    except NoReverseMatch:
        return ""


def has_colleague() -> bool:
    """More than one active agent: the first admin is not alone any more."""
    return len(Agent.objects.filter(is_active=True).values_list("pk", flat=True)[:2]) == 2


def email_connected() -> bool:
    """An active mailbox is polled, or a mail reached a support address and became a ticket message."""
    return Mailbox.objects.filter(active=True).exists() or InboundEmail.objects.filter(ticket__isnull=False).exists()


def view_created() -> bool:
    """A saved view exists. Saved views are the agent workspace's data, which the admin center may not
    import (both are edges); the model is looked up by name in the app registry, read only."""
    saved_view = apps.get_model("agent", "SavedView")
    return bool(saved_view.objects.exists())


def customer_ticket_received() -> bool:
    """A ticket arrived by email or the web form after the first agent was set up (demo rows made before do not count)."""
    setup = Agent.objects.aggregate(first=Min("date_joined"))["first"]
    tickets = Ticket.objects.filter(channel__in=[Channel.EMAIL, Channel.WEB])
    if setup is not None:
        tickets = tickets.filter(created_at__gte=setup)
    return tickets.exists()


def getting_started() -> list[ChecklistItem]:
    """The four steps in order, each with the page that does it and whether it is really done."""
    return [
        ChecklistItem("add-agent", _("Add an agent"), _url("admin_center:agents"), has_colleague()),
        ChecklistItem("connect-email", _("Connect email"), _url("admin_center:email"), email_connected()),
        ChecklistItem("create-view", _("Create a view"), _url("agent:view-new"), view_created()),
        ChecklistItem("test-ticket", _("Send a test ticket"), _url("admin_center:email"), customer_ticket_received()),
    ]
