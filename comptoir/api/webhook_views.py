"""The admins' webhooks page in the workspace: subscribe URLs, read the delivery log, send a test.

Like the tokens page, it lives in the API edge (webhooks are the API's data and
the agent edge may not import it); comptoir/urls.py mounts it under
/agent/webhooks/. Every change goes through comptoir.api.webhooks.subscriptions,
which checks the "admin.settings" capability; the views check it too, so a
non-admin gets 403 before seeing anyone's URLs.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.db.models import OuterRef, Subquery
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from comptoir.api.models import WebhookDelivery, WebhookEvent, WebhookSubscription
from comptoir.api.webhooks import subscriptions
from comptoir.api.webhooks.delivery import attempt_delivery, queue_test
from comptoir.core.access import agent_required
from comptoir.core.errors import ValidationFailed

ADMIN = "admin.settings"
VIA = "web"
RECENT_DELIVERIES = 50


class WebhookForm(forms.Form):
    url = forms.URLField(
        label=gettext_lazy("URL"), max_length=500, assume_scheme="https",
        help_text=gettext_lazy("Comptoir sends a signed POST here; it must be a public address."),
    )
    description = forms.CharField(label=gettext_lazy("Description"), max_length=200, required=False)
    events = forms.MultipleChoiceField(
        label=gettext_lazy("Events"), choices=WebhookEvent.choices, widget=forms.CheckboxSelectMultiple,
    )
    include_internal = forms.BooleanField(
        label=gettext_lazy("Include internal notes"), required=False,
        help_text=gettext_lazy("Internal notes are agent-only; send them only to a system you trust."),
    )


def _subscription(pk: int) -> WebhookSubscription:
    subscription = WebhookSubscription.objects.filter(pk=pk).first()
    if subscription is None:
        raise Http404(_("Webhook not found."))
    return subscription


def _list_page(request: HttpRequest, form: WebhookForm, *, new: WebhookSubscription | None = None, status: int = 200) -> HttpResponse:
    # The latest delivery of each subscription comes as annotations: one query whatever their number.
    latest = WebhookDelivery.objects.filter(subscription=OuterRef("pk")).order_by("-created_at", "-id")
    webhooks = WebhookSubscription.objects.order_by("id").annotate(
        last_state=Subquery(latest.values("state")[:1]),
        last_status_code=Subquery(latest.values("status_code")[:1]),
        last_delivery_at=Subquery(latest.values("created_at")[:1]),
    )
    context = {"webhooks": list(webhooks), "form": form, "new": new, "event_labels": dict(WebhookEvent.choices)}
    return render(request, "api/webhooks.html", context, status=status)


@agent_required(ADMIN)
@require_http_methods(["GET", "POST"])
def webhook_list(request: HttpRequest) -> HttpResponse:
    """The subscriptions; POST subscribes a URL and shows its signing secret this once."""
    if request.method != "POST":
        return _list_page(request, WebhookForm())
    form = WebhookForm(request.POST)
    if not form.is_valid():
        return _list_page(request, form, status=422)
    try:
        webhook = subscriptions.create_subscription(**form.cleaned_data, actor=request.user, via=VIA)
    except ValidationFailed as exc:
        form.add_error("url" if "url" in exc.fields else None, exc.message)
        return _list_page(request, form, status=422)
    response = _list_page(request, WebhookForm(), new=webhook)
    response["Cache-Control"] = "no-store"  # the secret is in this page only
    return response


@agent_required(ADMIN)
@require_http_methods(["GET"])
def webhook_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One subscription and its recent deliveries, newest first, with status codes and retries."""
    webhook = _subscription(pk)
    deliveries = list(WebhookDelivery.objects.filter(subscription=webhook).order_by("-created_at", "-id")[:RECENT_DELIVERIES])
    context = {"webhook": webhook, "deliveries": deliveries, "event_labels": dict(WebhookEvent.choices)}
    return render(request, "api/webhook_detail.html", context)


@agent_required(ADMIN)
@require_POST
def webhook_test(request: HttpRequest, pk: int) -> HttpResponse:
    """Send a signed "ping" now and report its outcome; a failure is retried like any delivery."""
    webhook = _subscription(pk)
    delivery = attempt_delivery(queue_test(webhook).pk)
    if delivery is not None and delivery.state == "succeeded":
        messages.success(request, _("Test delivered: the receiver answered %(code)s.") % {"code": delivery.status_code})
    elif delivery is not None and delivery.status_code is not None:
        messages.error(request, _("Test failed: the receiver answered %(code)s.") % {"code": delivery.status_code})
    else:
        error = delivery.error if delivery is not None else ""
        messages.error(request, _("Test failed: %(error)s") % {"error": error or _("no answer")})
    return redirect("webhooks:detail", pk=webhook.pk)


@agent_required(ADMIN)
@require_POST
def webhook_toggle(request: HttpRequest, pk: int) -> HttpResponse:
    """Pause or resume deliveries to this URL."""
    webhook = _subscription(pk)
    subscriptions.update_subscription(webhook, {"active": not webhook.active}, actor=request.user, via=VIA)
    if webhook.active:
        messages.success(request, _("Webhook resumed."))
    else:
        messages.success(request, _("Webhook paused."))
    return redirect("webhooks:detail", pk=webhook.pk)


@agent_required(ADMIN)
@require_POST
def webhook_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """Unsubscribe the URL; its delivery log goes with it."""
    webhook = _subscription(pk)
    subscriptions.delete_subscription(webhook, actor=request.user, via=VIA)
    messages.success(request, _("Webhook deleted."))
    return redirect("webhooks:list")
