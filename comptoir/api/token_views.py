"""The agent's own API tokens, in the workspace: create (secret shown once), see last use, revoke.

These pages live in the API edge because issuing tokens is the API's business
and the agent edge may not import it (layering contract); comptoir/urls.py mounts
them under /agent/tokens/ and the profile page links here by URL name. Only the
signed-in agent's own tokens are listed or revocable: someone else's is a 404.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from comptoir.api.models import ApiToken
from comptoir.api.tokens import issue_token, revoke_token
from comptoir.core.access import AgentRequest, agent_required


class NewTokenForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("Token name"), max_length=120,
        help_text=gettext_lazy("What will use it, e.g. \"CRM sync\"; helps you recognise it later."),
    )


def _page(request: AgentRequest, form: NewTokenForm, new_secret: str = "", status: int = 200) -> HttpResponse:
    tokens = ApiToken.objects.filter(agent=request.user).order_by("revoked_at", "-created_at")
    return render(request, "api/tokens.html", {"tokens": list(tokens), "form": form, "new_secret": new_secret}, status=status)


@agent_required
@require_http_methods(["GET", "POST"])
def token_list(request: AgentRequest) -> HttpResponse:
    """The agent's tokens, newest live ones first; POST creates one and shows its secret this once."""
    if request.method == "POST":
        form = NewTokenForm(request.POST)
        if not form.is_valid():
            return _page(request, form, status=422)
        _token, raw = issue_token(request.user, form.cleaned_data["name"].strip())
        response = _page(request, NewTokenForm(), new_secret=raw)
        # The secret is in this page only: keep it out of caches and history.
        response["Cache-Control"] = "no-store"
        return response
    return _page(request, NewTokenForm())


@agent_required
@require_POST
def token_revoke(request: AgentRequest, pk: int) -> HttpResponse:
    """Revoke one of the agent's own tokens; it stops working at once."""
    token = ApiToken.objects.filter(pk=pk, agent=request.user).first()
    if token is None:
        raise Http404(_("Token not found."))
    revoke_token(token, actor=request.user, via="web")
    messages.success(request, _("Token “%(name)s” revoked.") % {"name": token.name or token.prefix})
    return redirect("tokens:list")
