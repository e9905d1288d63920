"""Casework pages under /agent/casework/: thin views that parse input, call an action or query, render.

Tab partials (casework/tabs/*.html) are rendered by the agent ticket page; the
POST endpoints here are what their forms submit to.
"""

from __future__ import annotations

from datetime import datetime

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from comptoir.casework import actions, queries
from comptoir.casework.actions.approvals import step_for_link
from comptoir.casework.models import Activity, ApprovalPolicy, ApprovalState, ApprovalStep
from comptoir.casework.signing import InvalidLink
from comptoir.core.access import AgentRequest, agent_required
from comptoir.core.errors import ActionError, Conflict, NotFound, PermissionDenied
from comptoir.core.models import Agent
from comptoir.core.redirects import safe_next
from comptoir.tickets.models import Status, Ticket
from comptoir.tickets.queries import visible_tickets

VIA = "web"


def _ticket(request: HttpRequest, ticket_id: int) -> Ticket:
    return get_object_or_404(visible_tickets(request.user), pk=ticket_id)


def _number(value: str | None) -> int:
    """A whole number from a form field; 0 (refused by the actions) when it is not one."""
    try:
        return int(value or "")
    except ValueError:
        return 0


def _back(request: HttpRequest, fallback: str) -> HttpResponse:
    """Back to the page the form was on (its `next` field), when that page is on this site."""
    return redirect(safe_next(request, fallback))


def _report(request: HttpRequest, exc: ActionError) -> None:
    if isinstance(exc, NotFound):
        raise Http404(exc.message)
    details = " ".join(str(v) for v in getattr(exc, "fields", {}).values())
    messages.error(request, f"{exc.message} {details}".strip())


# --- approvals -------------------------------------------------------------

@agent_required
def approvals_waiting(request: AgentRequest) -> HttpResponse:
    steps = list(queries.waiting_for_my_approval(request.user))
    return render(request, "casework/approvals_waiting.html", {"steps": steps})


@require_http_methods(["GET", "POST"])
def approval_link(request: HttpRequest, token: str) -> HttpResponse:
    """GET confirms (no state change: mail scanners prefetch links); POST decides."""
    try:
        step, decision = step_for_link(token)
    except InvalidLink:
        return render(request, "casework/link_invalid.html", status=400)
    already = step.decision != ApprovalState.PENDING or step.request.state != ApprovalState.PENDING
    if request.method == "POST" and not already:
        try:
            actions.decide_approval_by_link(token, request.POST.get("comment", ""))
        except InvalidLink:
            return render(request, "casework/link_invalid.html", status=400)
        except (Conflict, NotFound, PermissionDenied):
            already = True
        else:
            return render(request, "casework/link_done.html", {"step": step, "decision": decision})
    status = 409 if already else 200
    return render(request, "casework/link_confirm.html",
                  {"step": step, "ticket": step.request.ticket, "decision": decision, "already": already}, status=status)


@agent_required("admin.settings")
@require_http_methods(["GET", "POST"])
def approval_policy(request: AgentRequest) -> HttpResponse:
    """Admins choose the statuses an approval or a rejection applies when the request names none."""
    agent = request.user
    statuses = list(Status.objects.filter(active=True).order_by("position", "name"))
    if request.method == "POST":
        by_pk = {str(s.pk): s for s in statuses}
        try:
            actions.configure_approval_policy(by_pk.get(request.POST.get("status_on_approve", "")),
                                              by_pk.get(request.POST.get("status_on_reject", "")),
                                              actor=agent, via=VIA)
            messages.success(request, _("Approval policy saved."))
        except ActionError as exc:
            _report(request, exc)
        return redirect("casework:approval-policy")
    policy = ApprovalPolicy.objects.filter(pk=1).first()
    return render(request, "casework/approval_policy.html", {"policy": policy, "statuses": statuses})


@agent_required
@require_POST
def approval_decide(request: AgentRequest, step_id: int) -> HttpResponse:
    step = get_object_or_404(ApprovalStep.objects.select_related("request__ticket"), pk=step_id, approver=request.user)
    try:
        actions.decide_approval(step, request.POST.get("decision", ""), request.POST.get("comment", ""),
                                actor=request.user, via=VIA)
        messages.success(request, _("Your decision was recorded."))
    except PermissionDenied:
        return HttpResponse(_("You cannot decide approvals."), status=403)
    except ActionError as exc:
        _report(request, exc)
    return _back(request, "casework:approvals")


@agent_required
@require_POST
def approval_request(request: AgentRequest, ticket_id: int) -> HttpResponse:
    ticket = _ticket(request, ticket_id)
    approvers = list(Agent.objects.filter(pk__in=[v for v in request.POST.getlist("approvers") if v.isdigit()]))
    statuses = {k: Status.objects.filter(pk=v, active=True).first() if (v := request.POST.get(k, "")).isdigit() else None
                for k in ("status_on_approve", "status_on_reject")}
    try:
        actions.request_approval(ticket, approvers, request.POST.get("reason", ""), actor=request.user, via=VIA, **statuses)
        messages.success(request, _("Approval requested."))
    except PermissionDenied:
        return HttpResponse(_("You cannot request approvals."), status=403)
    except ActionError as exc:
        _report(request, exc)
    return _back(request, "casework:approvals")


# --- resolution --------------------------------------------------------------

@agent_required
@require_POST
def resolution_save(request: AgentRequest, ticket_id: int) -> HttpResponse:
    ticket = _ticket(request, ticket_id)
    try:
        actions.save_resolution(ticket, request.POST.get("text", ""), actor=request.user, via=VIA,
                                email_contact=bool(request.POST.get("email_contact")))
        if request.POST.get("publish"):
            actions.publish_resolution_to_knowledge_base(ticket, actor=request.user, via=VIA)
            messages.success(request, _("A draft article was created from this resolution."))
        messages.success(request, _("Resolution saved."))
    except PermissionDenied:
        return HttpResponse(_("You cannot change this ticket."), status=403)
    except ActionError as exc:
        _report(request, exc)
    return _back(request, "casework:activities")


# --- activities --------------------------------------------------------------

def _aware(value: str) -> datetime | None:
    parsed = parse_datetime(value or "")
    if parsed is not None and timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed)
    return parsed


@agent_required
def my_activities(request: AgentRequest) -> HttpResponse:
    activities = list(queries.my_activities(request.user))
    return render(request, "casework/my_activities.html", {"activities": activities, "now": timezone.now()})


@agent_required
@require_POST
def activity_create(request: AgentRequest, ticket_id: int) -> HttpResponse:
    ticket = _ticket(request, ticket_id)
    post = request.POST
    reminders = []
    if post.get("reminder_channel") and post.get("remind_at"):
        reminders.append({"channel": post["reminder_channel"], "remind_at": _aware(post["remind_at"]), "sms_to": post.get("sms_to", "")})
    owner = Agent.objects.filter(pk=int(post["owner"])).first() if (post.get("owner") or "").isdigit() else None
    try:
        duration = int(post["duration_minutes"]) if (post.get("duration_minutes") or "").isdigit() else None
        actions.create_activity(ticket, post.get("kind", ""), post.get("subject", ""), actor=request.user, via=VIA,
                                owner=owner, due_at=_aware(post.get("due_at", "")), ends_at=_aware(post.get("ends_at", "")),
                                direction=post.get("direction", ""), duration_minutes=duration,
                                outcome=post.get("outcome", ""), reminders=reminders)
        messages.success(request, _("Activity saved."))
    except PermissionDenied:
        return HttpResponse(_("You cannot add activities here."), status=403)
    except ActionError as exc:
        _report(request, exc)
    return _back(request, "casework:activities")


@agent_required
@require_POST
def activity_complete(request: AgentRequest, activity_id: int) -> HttpResponse:
    activity = get_object_or_404(Activity.objects.select_related("ticket"), pk=activity_id,
                                 ticket__in=visible_tickets(request.user))
    try:
        actions.complete_activity(activity, actor=request.user, via=VIA)
    except PermissionDenied:
        return HttpResponse(_("You cannot complete this activity."), status=403)
    except ActionError as exc:
        _report(request, exc)
    return _back(request, "casework:activities")


# --- time --------------------------------------------------------------------

@agent_required
@require_POST
def time_log(request: AgentRequest, ticket_id: int) -> HttpResponse:
    ticket = _ticket(request, ticket_id)
    post = request.POST
    try:
        actions.log_time(ticket, _number(post.get("minutes")), actor=request.user, via=VIA,
                         on=parse_date(post.get("date", "")) or None, billable=bool(post.get("billable")),
                         note=post.get("note", ""), email_contact=bool(post.get("email_contact")))
        messages.success(request, _("Time logged."))
    except PermissionDenied:
        return HttpResponse(_("You cannot log time here."), status=403)
    except ActionError as exc:
        _report(request, exc)
    return _back(request, "casework:activities")


@agent_required
@require_POST
def timer_start(request: AgentRequest, ticket_id: int) -> HttpResponse:
    ticket = _ticket(request, ticket_id)
    try:
        actions.start_timer(ticket, actor=request.user, via=VIA)
    except PermissionDenied:
        return HttpResponse(_("You cannot log time here."), status=403)
    except ActionError as exc:
        _report(request, exc)
    return _back(request, "casework:activities")


@agent_required
@require_POST
def timer_stop(request: AgentRequest) -> HttpResponse:
    try:
        actions.stop_timer(actor=request.user, via=VIA, billable=bool(request.POST.get("billable", "1")))
        messages.success(request, _("Time logged."))
    except ActionError as exc:
        _report(request, exc)
    return _back(request, "casework:activities")


@agent_required
def time_export(request: AgentRequest) -> HttpResponse:
    """CSV of time entries for billing: ?from=YYYY-MM-DD&to=YYYY-MM-DD[&account=id]."""
    start, end = parse_date(request.GET.get("from", "") or ""), parse_date(request.GET.get("to", "") or "")
    account = request.GET.get("account", "")
    if start is None or end is None or end < start or (account and not account.isdigit()):
        return HttpResponseBadRequest(_("Give a period: from and to as YYYY-MM-DD, from before to."))
    try:
        body = queries.time_export_csv(request.user, start, end, int(account) if account else None)
    except PermissionDenied:
        return HttpResponse(_("Only administrators and supervisors can export time."), status=403)
    response = HttpResponse(body, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="time-{start:%Y%m%d}-{end:%Y%m%d}.csv"'
    return response

