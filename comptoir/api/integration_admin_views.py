"""The admin center's Integrations pages that belong to the API: every agent's tokens, and the export.

They live in the API edge, as the agent's own token pages and the webhook
pages do, because tokens and export cursors are the API's data and the admin
center may not import another edge. The admin center mounts them under its
own namespace (`admin_center:api-tokens`, `admin_center:export`) by URL module
name, and they render inside its frame (`admin_center/base.html`).
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from comptoir.api.models import ApiToken
from comptoir.api.pagination import encode_cursor
from comptoir.api.routers.export import SETTLE, START
from comptoir.api.routers.export import TAG as EXPORT_TAG
from comptoir.api.tokens import revoke_token
from comptoir.core.access import AgentRequest, agent_required
from comptoir.core.permissions import PermissionDenied
from comptoir.tickets.models import Ticket

AGENTS = "admin.agents"
SETTINGS = "admin.settings"
VIA = "admin"


@agent_required(AGENTS)
@require_GET
def api_tokens(request: AgentRequest) -> HttpResponse:
    """Every agent's tokens, live ones first: name, owner, created, last used, prefix (the secret is only hashed)."""
    tokens = (ApiToken.objects.filter(agent__isnull=False).select_related("agent")
              .order_by("revoked_at", "-created_at")[:500])
    return render(request, "api/admin_tokens.html", {"tokens": list(tokens)})


@agent_required(AGENTS)
@require_POST
def api_token_revoke(request: AgentRequest, pk: int) -> HttpResponse:
    """Revoke any agent's token; it stops working at once and the audit log names who did it."""
    token = ApiToken.objects.select_related("agent").filter(pk=pk, agent__isnull=False).first()
    if token is None:
        raise Http404(_("Token not found."))
    try:
        revoke_token(token, actor=request.user, via=VIA)
    except PermissionDenied as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Token “%(name)s” of %(owner)s revoked.") % {
            "name": token.name or token.prefix, "owner": token.agent.name if token.agent else ""})
    return redirect("admin_center:api-tokens")


def current_export_cursor() -> str:
    """The cursor that starts the export at the newest settled change: a mirror starting now gets
    only what changes from here on (the API holds back the last SETTLE seconds, so must this)."""
    newest = (Ticket.objects.filter(updated_at__lte=timezone.now() - SETTLE)
              .order_by("-updated_at", "-id").values_list("updated_at", "id").first())
    if newest is None:
        return encode_cursor([EXPORT_TAG, START, 0])
    return encode_cursor([EXPORT_TAG, newest[0], newest[1]])


@agent_required(SETTINGS)
@require_GET
def export(request: AgentRequest) -> HttpResponse:
    """How to pull every ticket change for a warehouse: the endpoint, the cursor of now, a curl to copy."""
    base = settings.BASE_URL
    cursor = current_export_cursor()
    return render(request, "api/admin_export.html", {
        "endpoint": f"{base}/api/v1/export/tickets",
        "cursor": cursor,
        "curl_all": f'curl -H "Authorization: Bearer $TOKEN" "{base}/api/v1/export/tickets?limit=100"',
        "curl_from_now": f'curl -H "Authorization: Bearer $TOKEN" "{base}/api/v1/export/tickets?since_cursor={cursor}"',
    })
