"""Sign-in, sign-out, password reset, the agent's profile and notifications.

Django's auth views with our templates; the profile edits only the agent's own
preferences. API tokens are not managed here: issuing them lives in the API
edge, which this edge may not import (see the layering contract); the profile
page links to its pages (comptoir/api/token_views.py, under /agent/tokens/).
"""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from comptoir.agent.workspace.access import AgentRequest, agent_required
from comptoir.core import actions as core_actions
from comptoir.core.errors import ValidationFailed
from comptoir.core.models import Notification
from comptoir.core.redirects import safe_next

NOTIFICATION_KINDS = [
    ("assigned", gettext_lazy("A ticket is assigned to me")),
    ("mentioned", gettext_lazy("I am mentioned in a note")),
]


class SignInView(auth_views.LoginView):
    template_name = "agent/registration/login.html"
    redirect_authenticated_user = True


class SignOutView(auth_views.LogoutView):
    # django-stubs type next_page as str | None; Django resolves a lazy URL here as well.
    next_page = reverse_lazy("agent:login")  # type: ignore[assignment]


class PasswordResetView(auth_views.PasswordResetView):
    template_name = "agent/registration/password_reset.html"
    email_template_name = "agent/registration/password_reset_email.txt"
    subject_template_name = "agent/registration/password_reset_subject.txt"
    success_url = reverse_lazy("agent:password-reset-done")


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "agent/registration/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "agent/registration/password_reset_confirm.html"
    success_url = reverse_lazy("agent:password-reset-complete")


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "agent/registration/password_reset_complete.html"


class ProfileForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Name"), max_length=150)
    locale = forms.ChoiceField(label=gettext_lazy("Language"), choices=settings.LANGUAGES)
    time_zone = forms.ChoiceField(label=gettext_lazy("Time zone"), choices=[])
    signature = forms.CharField(label=gettext_lazy("Signature"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        # The one list of time zones, which update_profile validates against too.
        cast(forms.ChoiceField, self.fields["time_zone"]).choices = [(z, z) for z in core_actions.time_zones()]
        for key, label in NOTIFICATION_KINDS:
            self.fields[f"notify_{key}"] = forms.BooleanField(label=label, required=False)


@agent_required
def profile(request: AgentRequest) -> HttpResponse:
    """The agent's own preferences: language, time zone, signature, notification choices."""
    agent = request.user
    initial: dict[str, Any] = {"name": agent.name, "locale": agent.locale, "time_zone": agent.time_zone, "signature": agent.signature}
    for key, _label in NOTIFICATION_KINDS:
        initial[f"notify_{key}"] = agent.wants_notification(key, "email")
    form = ProfileForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        changes = {key: data[key] for key in ("name", "locale", "time_zone", "signature")}
        changes["notification_preferences"] = {f"{key}:email": bool(data[f"notify_{key}"]) for key, _label in NOTIFICATION_KINDS}
        try:
            core_actions.update_profile(agent, changes, actor=agent, via="web")
        except ValidationFailed as exc:
            form.add_error(next((f for f in exc.fields if f in form.fields), None), exc.message)
        else:
            messages.success(request, _("Your profile is saved."))
            response = redirect("agent:profile")
            response.set_cookie(settings.LANGUAGE_COOKIE_NAME, agent.locale)
            return response
    return render(request, "agent/profile.html", {"form": form})


@agent_required
def notifications(request: AgentRequest) -> HttpResponse:
    """The notifications dropdown: the latest 20 of the agent's notifications."""
    rows = list(Notification.objects.filter(agent=request.user).order_by("-created_at")[:20])
    return render(request, "agent/notifications.html", {"notifications": rows})


@agent_required
def notifications_read(request: AgentRequest) -> HttpResponse:
    """Mark all (or one, with `id`) of the agent's notifications read."""
    if request.method != "POST":
        return HttpResponse(status=405)
    one = request.POST.get("id", "")
    core_actions.mark_notifications_read(
        request.user, notification_ids=[int(one)] if one.isdigit() else None, actor=request.user, via="web")
    if request.htmx:
        return notifications(request)
    return redirect(safe_next(request, "agent:home"))
