"""The one way to change casework data; every function is `fn(..., *, actor, via)`."""

from comptoir.casework.actions.activities import complete_activity, create_activity, update_activity
from comptoir.casework.actions.approvals import (
    configure_approval_policy,
    decide_approval,
    decide_approval_by_link,
    request_approval,
)
from comptoir.casework.actions.resolution import (
    publish_resolution_to_knowledge_base,
    save_resolution,
)
from comptoir.casework.actions.time import delete_time_entry, log_time, start_timer, stop_timer

__all__ = [
    "complete_activity",
    "configure_approval_policy",
    "create_activity",
    "decide_approval",
    "decide_approval_by_link",
    "delete_time_entry",
    "log_time",
    "publish_resolution_to_knowledge_base",
    "request_approval",
    "save_resolution",
    "start_timer",
    "stop_timer",
    "update_activity",
]
