"""Who may enter the agent workspace: a signed-in, active Agent.

The gate itself lives in core (comptoir/core/access.py), shared by every staff
page of every edge; this module keeps the names the workspace views import.
Every workspace and list view is wrapped in `agent_required`; an anonymous
visitor (or an agent deactivated since signing in) is sent to the sign-in page.
"""

from __future__ import annotations

from comptoir.core.access import AgentRequest, agent_required, signed_in_agent

__all__ = ["AgentRequest", "agent_required", "signed_in_agent"]
