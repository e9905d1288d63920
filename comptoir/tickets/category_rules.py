"""What a ticket's category and subcategory may be, checked before an edge calls `update_ticket`.

`update_ticket` checks that a new subcategory belongs to the ticket's
category. What it does not know is what an edge means by changing only the
category: here a subcategory of the old category is cleared with it (and
said so in the ticket's history, as its own change), and a subcategory given
as the category is refused, so the two levels stay two.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from comptoir.core.errors import ValidationFailed
from comptoir.tickets.models import Category, Ticket


def _id(value: Any) -> Any:
    return getattr(value, "pk", value)


def category_changes(ticket: Ticket, changes: dict[str, Any]) -> dict[str, Any]:
    """Extra changes implied by `changes` (at most a cleared subcategory); refuses a subcategory as category."""
    if "category" not in changes:
        return {}
    category_id = _id(changes["category"])
    if category_id is not None:
        category = Category.objects.filter(pk=category_id).only("pk", "parent_id").first()
        if category is not None and category.parent_id is not None:
            raise ValidationFailed(_("This is a subcategory: set it as the subcategory, with its category."),
                                   {"category": "is_subcategory"})
    if "subcategory" in changes or ticket.subcategory_id is None:
        return {}
    parent_id = Category.objects.filter(pk=ticket.subcategory_id).values_list("parent_id", flat=True).first()
    return {} if parent_id == category_id else {"subcategory": None}
