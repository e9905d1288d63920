"""Which custom fields a department's new-ticket forms show (read side of TicketFormLayout).

The agent's new-ticket form and the customer's request form both ask here, so
an admin's layout applies to both; the customer form further keeps only the
fields customers may see and edit.
"""

from __future__ import annotations

from django.db.models import Q

from comptoir.core.models import Department
from comptoir.tickets.models import CustomFieldDefinition, TicketFormLayout


def fields_for_department(department: Department | None) -> list[CustomFieldDefinition]:
    """Active fields that apply to a department's tickets (its own and the shared ones), catalog order."""
    scope = Q(department__isnull=True)
    if department is not None:
        scope |= Q(department=department)
    return list(
        CustomFieldDefinition.objects.filter(scope, active=True).select_related("department", "depends_on").order_by("position", "pk")
    )


def layout_keys(department: Department | None) -> list[str] | None:
    """The keys the department's layout lists, or None when it has none (show every field that applies)."""
    if department is None:
        return None
    layout = TicketFormLayout.objects.filter(department=department).first()
    return list(layout.field_keys) if layout is not None else None


def fields_on_form(department: Department | None, *, customer: bool = False) -> list[CustomFieldDefinition]:
    """The fields a new-ticket form for `department` shows, in the layout's order.

    Without a layout every applicable field shows in catalog order; with one,
    only the listed fields (a field deactivated since is skipped). `customer`
    keeps the fields customers may both see and fill in.
    """
    applicable = fields_for_department(department)
    keys = layout_keys(department)
    if keys is not None:
        by_key = {d.key: d for d in applicable}
        applicable = [by_key[k] for k in keys if k in by_key]
    if customer:
        applicable = [d for d in applicable if d.visible_to_customers and d.editable_by_customers]
    return applicable
