"""THE way to change a ticket. Every edge (agent UI, API, email, portal, automation) calls these.

Each function takes `actor=` and `via=`, checks permission, validates, writes in
one transaction with its history, and emits its event after commit.
"""

from comptoir.tickets.actions.catalog import (
    create_custom_field,
    create_status,
    create_tag,
    deactivate_custom_field,
    deactivate_status,
    delete_tag,
    rename_tag,
    restore_default_statuses,
    update_custom_field,
    update_status,
)
from comptoir.tickets.actions.catalog_categories import (
    create_category,
    delete_category,
    update_category,
)
from comptoir.tickets.actions.catalog_statuses import delete_status, move_status, replace_status
from comptoir.tickets.actions.catalog_tags import merge_tags
from comptoir.tickets.actions.conversation import (
    add_internal_note,
    add_reply,
    find_mentions,
    receive_customer_message,
)
from comptoir.tickets.actions.create import create_ticket, split_message_into_ticket
from comptoir.tickets.actions.delete import delete_ticket
from comptoir.tickets.actions.guards import UNSET
from comptoir.tickets.actions.merge import merge_contacts, merge_tickets
from comptoir.tickets.actions.update import (
    add_tags,
    archive_ticket,
    assign_email_message_id,
    assign_ticket,
    close_solved_tickets,
    mark_message_delivery,
    remove_tags,
    replace_message_html,
    take_ticket,
    unarchive_ticket,
    update_ticket,
)

__all__ = [
    "UNSET",
    "add_internal_note",
    "add_reply",
    "add_tags",
    "archive_ticket",
    "assign_email_message_id",
    "assign_ticket",
    "close_solved_tickets",
    "create_category",
    "create_custom_field",
    "create_status",
    "create_tag",
    "create_ticket",
    "deactivate_custom_field",
    "deactivate_status",
    "delete_category",
    "delete_status",
    "delete_tag",
    "delete_ticket",
    "find_mentions",
    "mark_message_delivery",
    "merge_contacts",
    "merge_tags",
    "merge_tickets",
    "move_status",
    "receive_customer_message",
    "remove_tags",
    "rename_tag",
    "replace_message_html",
    "replace_status",
    "restore_default_statuses",
    "split_message_into_ticket",
    "take_ticket",
    "unarchive_ticket",
    "update_category",
    "update_custom_field",
    "update_status",
    "update_ticket",
]
