"""Read side of core's singletons: the helpdesk's own identity (name, logo, colours, language, time zone).

Every agent page and portal page shows the helpdesk's name and colours, so the
row is read through a per-process cache (see `core.process_cache`): no query
per page. `update_helpdesk_settings` clears it in the process that wrote, and
other processes see the change within a few seconds.
"""

from __future__ import annotations

from comptoir.core.models import HelpdeskSettings
from comptoir.core.process_cache import process_cached

HELPDESK_SETTINGS_CACHE_SECONDS = 5.0


@process_cached(HELPDESK_SETTINGS_CACHE_SECONDS)
def helpdesk_settings() -> HelpdeskSettings:
    """The helpdesk's settings row (pk=1); the model's defaults, unsaved, until an admin first saves them.

    Callers read it and never save it: changes go through `update_helpdesk_settings`.
    """
    row = HelpdeskSettings.objects.filter(pk=1).first()
    return row if row is not None else HelpdeskSettings(pk=1)
