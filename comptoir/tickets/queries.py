"""The read side. Every list, search, report and API endpoint starts from visible_tickets()."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, Q, QuerySet

from comptoir.contacts.models import Contact
from comptoir.core.models import Agent, TicketScope
from comptoir.core.permissions import agents_with, can
from comptoir.tickets.models import Attachment, Message, MessageKind, Ticket


def agent_group_ids(agent: Agent) -> frozenset[int]:
    """The agent's group ids, cached on the instance for the request."""
    cached = getattr(agent, "_comptoir_group_ids", None)
    if cached is None:
        cached = frozenset(agent.support_groups.values_list("pk", flat=True))
        agent._comptoir_group_ids = cached  # type: ignore[attr-defined]
    return cached


def effective_scope(agent: Agent) -> str:
    """Agents with ticket.view_all (owners, admins) see everything; those with
    ticket.view_groups (supervisors) at least their groups' tickets."""
    if can(agent, "ticket.view_all"):
        return TicketScope.ALL
    if can(agent, "ticket.view_groups") and agent.ticket_scope == TicketScope.ASSIGNED:
        return TicketScope.GROUPS
    return agent.ticket_scope


def visibility_branches(user: Any) -> list[Q] | None:
    """What `user` may see as alternatives (a ticket is visible if it matches any); None: everything.

    Lists on a million tickets read each branch through its own index and merge
    the pages (an OR of two indexes cannot be read in sorted order).
    """
    if isinstance(user, Agent):
        if not user.is_active:
            return [Q(pk__in=[])]
        scope = effective_scope(user)
        if scope == TicketScope.ALL:
            return None
        if scope == TicketScope.GROUPS:
            return [Q(group_id__in=list(agent_group_ids(user))), Q(assignee_id=user.pk)]
        return [Q(assignee_id=user.pk)]
    if isinstance(user, Contact):
        branches = [Q(contact_id=user.pk)]
        if user.can_view_account_tickets and user.account_id:
            branches.append(Q(account_id=user.account_id))
        return branches
    return [Q(pk__in=[])]


def visibility_filter(user: Any) -> Q | None:
    """The Q restricting tickets to what `user` may see; None means no restriction."""
    branches = visibility_branches(user)
    if branches is None:
        return None
    combined = branches[0]
    for branch in branches[1:]:
        combined |= branch
    return combined


def visible_tickets(user: Any, *, include_archived: bool = False) -> QuerySet[Ticket]:
    """Tickets `user` (agent or contact) may see; archived ones only when asked for."""
    qs = Ticket.objects.all()
    restriction = visibility_filter(user)
    if restriction is not None:
        qs = qs.filter(restriction)
    if not include_archived:
        qs = qs.filter(archived_at__isnull=True)
    return qs


def visible_ticket_branches(user: Any) -> list[QuerySet[Ticket]] | None:
    """visible_tickets(user) as querysets whose union it is, one per branch; None for "everything".

    Each can be read in index order on its own, which an OR of them cannot.
    """
    branches = visibility_branches(user)
    if branches is None:
        return None
    return [Ticket.objects.filter(branch, archived_at__isnull=True) for branch in branches]


def is_visible(user: Any, ticket: Ticket) -> bool:
    """The same rule as visible_tickets(), for one loaded ticket, without a query per ticket."""
    if isinstance(user, Agent):
        if not user.is_active:
            return False
        scope = effective_scope(user)
        if scope == TicketScope.ALL:
            return True
        if ticket.assignee_id == user.pk:
            return True
        return scope == TicketScope.GROUPS and ticket.group_id in agent_group_ids(user)
    if isinstance(user, Contact):
        if ticket.contact_id == user.pk:
            return True
        return bool(user.can_view_account_tickets and user.account_id and ticket.account_id == user.account_id)
    return False


# Columns a list row never shows. Every loaded column costs a conversion and an
# attribute per row; leaving these out cut the first page's Python time by a third.
LIST_DEFERRED = (
    "description",
    "assignee__password", "assignee__last_login", "assignee__is_superuser", "assignee__signature",
    "assignee__notification_preferences", "assignee__date_joined", "assignee__time_zone",
    "contact__notes", "contact__created_at", "contact__updated_at", "contact__merged_into_id",
    "department__signature", "department__from_name", "department__created_at", "department__agent_name_in_from",
    "department__send_confirmation", "department__default_locale",
    "group__created_at",
    "account__notes", "account__created_at", "account__updated_at",
)


def agents_who_see(ticket: Ticket) -> QuerySet[Agent]:
    """Active agents for whom is_visible(agent, ticket) holds, in one query.

    The same rule read the other way round (pickers of approvers, activity
    owners, mention suggestions); tests check it agrees with is_visible().
    """
    groups_rule = Q(ticket_scope=TicketScope.GROUPS) | agents_with("ticket.view_groups")
    condition = (
        agents_with("ticket.view_all")
        | Q(ticket_scope=TicketScope.ALL)
        | Q(pk=ticket.assignee_id)
    )
    if ticket.group_id is not None:
        condition |= groups_rule & Q(pk__in=Agent.objects.filter(support_groups=ticket.group_id).values("pk"))
    return Agent.objects.filter(condition, is_active=True)


def ticket_list(user: Any, **filters: Any) -> QuerySet[Ticket]:
    """Visible tickets with what a list row shows loaded in a constant number of queries.

    Rows come without the columns in LIST_DEFERRED: code that shows a ticket in
    full loads it with visible_tickets() instead.
    """
    return (
        visible_tickets(user)
        .filter(**filters)
        .select_related("status", "contact", "assignee", "group", "department", "account")
        .defer(*LIST_DEFERRED)
        .prefetch_related("tags")
    )


def visible_messages(user: Any, ticket: Ticket) -> QuerySet[Message]:
    """The conversation as `user` may read it: contacts never get internal notes."""
    qs = Message.objects.filter(ticket=ticket).select_related("author_agent", "author_contact")
    if not isinstance(user, Agent):
        qs = qs.filter(kind=MessageKind.REPLY)
    return qs.prefetch_related("attachments")


def conversation(user: Any, ticket: Ticket) -> QuerySet[Message]:
    return visible_messages(user, ticket).prefetch_related(
        Prefetch("mentions", queryset=Agent.objects.only("pk", "name"))
    )


def visible_attachments(user: Any) -> QuerySet[Attachment]:
    """The files `user` may list or download: every path to an attachment starts here.

    Agents: the attachments of the tickets they see, internal notes included.
    Contacts: only those of public replies on the tickets they see; never a
    note's, a system message's or a file not tied to a message. Archived
    tickets count, as they do when a ticket is opened by its number.
    """
    qs = Attachment.objects.all()
    if visibility_filter(user) is not None:
        qs = qs.filter(ticket__in=visible_tickets(user, include_archived=True).values("pk"))
    if not isinstance(user, Agent):
        qs = qs.filter(message__kind=MessageKind.REPLY)
    return qs
