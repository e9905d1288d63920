"""Display names of ticket statuses in the agent's language.

Statuses are data (admins name their own, like "Escalated"), but the six seeded
with the database carry the English names of their categories. Shown as such,
a French or Dutch screen would say "New" and "Pending"; those built-in names
are therefore shown as their category's translated label, and any name an
admin typed is shown as written.
"""

from __future__ import annotations

from comptoir.tickets.models import StatusCategory

# The English names the default-statuses migration seeds, one per category.
BUILT_IN_NAMES = {
    "New": StatusCategory.NEW,
    "Open": StatusCategory.OPEN,
    "Pending": StatusCategory.PENDING,
    "On hold": StatusCategory.ON_HOLD,
    "Solved": StatusCategory.SOLVED,
    "Closed": StatusCategory.CLOSED,
}


def status_label(status: object) -> str:
    """The name to show for a status (a Status or its name): translated when it is a built-in one."""
    name = str(getattr(status, "name", status) or "")
    category = BUILT_IN_NAMES.get(name)
    return str(category.label) if category is not None else name
