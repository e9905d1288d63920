"""Display names of ticket statuses in the agent's language.

Kept as the agent screens' entry point; the rule (an admin's translation, else
a built-in name as its category's translated label, else the name as typed)
lives in comptoir.tickets.labels, which the portal and the API share.
"""

from __future__ import annotations

from comptoir.tickets.labels import BUILT_IN_STATUS_NAMES as BUILT_IN_NAMES
from comptoir.tickets.labels import localized_name

__all__ = ["BUILT_IN_NAMES", "status_label"]


def status_label(status: object) -> str:
    """The name to show for a status (a Status or its name), in the active language."""
    return localized_name(status)
