"""The team section: agents (invite, edit, deactivate with a handover, reactivate), groups, departments, roles.

Thin: each view parses with a form, calls core's actions (or the tickets
handover action) with `actor=request.user, via="admin"`, and renders. Agents and
roles need "admin.agents"; groups and departments "admin.settings". The
invitation page is the one page open without signing in: its link is the key.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth import login
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from comptoir.admin_center.editing import run_change, run_form
from comptoir.admin_center.team.forms import (
    AcceptInvitationForm,
    AgentForm,
    CustomRoleForm,
    DepartmentForm,
    GroupForm,
    HandoverForm,
    InviteForm,
)
from comptoir.core import actions as team
from comptoir.core.access import AgentRequest, agent_required, signed_in_agent
from comptoir.core.actions import invitations, roles
from comptoir.core.errors import ValidationFailed
from comptoir.core.models import Agent, CustomRole, Department, Group, Role
from comptoir.core.permissions import CAPABILITY_LABELS, ROLE_CAPABILITIES, can
from comptoir.tickets.actions import transfer

AGENTS = "admin.agents"
SETTINGS = "admin.settings"
VIA = "admin"


# --- agents ------------------------------------------------------------------------------------------


@agent_required(AGENTS)
@require_GET
def agents(request: AgentRequest) -> HttpResponse:
    rows = Agent.objects.select_related("custom_role").prefetch_related("support_groups").order_by("-is_active", "name")
    return render(request, "admin_center/team/agents.html", {
        "rows": [{"agent": a, "pending": invitations.is_pending(a)} for a in rows],
    })


@agent_required(AGENTS)
def agent_invite(request: AgentRequest) -> HttpResponse:
    context = {"title": _("Invite an agent"), "breadcrumb_extra": [_("Invite an agent")], "submit_label": _("Send invitation"),
               "cancel_url": reverse("admin_center:agents")}
    form = InviteForm(request.POST or None)
    if request.method != "POST":
        return render(request, "admin_center/team/edit.html", {**context, "form": form})

    def invite(data: dict[str, Any]) -> None:
        with transaction.atomic():
            agent = invitations.invite_agent(**form.arguments(), actor=request.user, via=VIA)
            if data["custom_role"] is not None:
                roles.set_agent_custom_role(agent, data["custom_role"], actor=request.user, via=VIA)

    return run_form(request, form, invite, template="admin_center/team/edit.html", context=context,
                    success_url=reverse("admin_center:agents"), success_message=_("Invitation sent."))


@agent_required(AGENTS)
def agent_edit(request: AgentRequest, pk: int) -> HttpResponse:
    agent = get_object_or_404(Agent, pk=pk)
    context = {"title": str(agent), "breadcrumb_extra": [str(agent)], "agent": agent, "submit_label": _("Save"),
               "cancel_url": reverse("admin_center:agents"), "pending": invitations.is_pending(agent)}
    if request.method != "POST":
        form = AgentForm(initial={
            "name": agent.name, "role": agent.role, "custom_role": agent.custom_role_id, "ticket_scope": agent.ticket_scope,
            "groups": list(agent.support_groups.all()), "departments": list(agent.departments.all()),
        })
        return render(request, "admin_center/team/agent_edit.html", {**context, "form": form})
    form = AgentForm(request.POST)

    def save(data: dict[str, Any]) -> None:
        # One transaction: the role and the custom role change together or not at all.
        with transaction.atomic():
            team.update_agent(agent, form.changes(), actor=request.user, via=VIA)
            roles.set_agent_custom_role(agent, data["custom_role"], actor=request.user, via=VIA)

    return run_form(request, form, save, template="admin_center/team/agent_edit.html", context=context,
                    success_url=reverse("admin_center:agents"), success_message=_("Agent saved."))


@agent_required(AGENTS)
def agent_deactivate(request: AgentRequest, pk: int) -> HttpResponse:
    """Ask where their open tickets go, then deactivate; the last owner's refusal shows next to the choice."""
    agent = get_object_or_404(Agent, pk=pk, is_active=True)
    open_count = transfer.open_tickets_of(agent).count()
    context = {"title": _("Deactivate %(name)s") % {"name": agent}, "breadcrumb_extra": [str(agent), _("Deactivate")],
               "agent": agent, "open_count": open_count, "submit_label": _("Deactivate"),
               "cancel_url": reverse("admin_center:agent-edit", args=[agent.pk])}
    form = HandoverForm(request.POST or None, agent=agent)
    if request.method != "POST":
        return render(request, "admin_center/team/agent_deactivate.html", {**context, "form": form})

    def deactivate(_data: dict[str, Any]) -> None:
        try:
            transfer.deactivate_agent_with_handover(agent, **form.target(), actor=request.user, via=VIA)
        except ValidationFailed as refusal:
            # Core names the agent ("agent": "last_owner"/"self"); here that is the handover field's form.
            raise ValidationFailed(refusal.message, {"transfer_to": next(iter(refusal.fields.values()), "invalid")}) from refusal

    return run_form(request, form, deactivate, template="admin_center/team/agent_deactivate.html", context=context,
                    success_url=reverse("admin_center:agents"), success_message=_("Agent deactivated."))


@agent_required(AGENTS)
@require_POST
def agent_reactivate(request: AgentRequest, pk: int) -> HttpResponse:
    agent = get_object_or_404(Agent, pk=pk)
    return run_change(request, lambda: team.update_agent(agent, {"is_active": True}, actor=request.user, via=VIA),
                      success_url=reverse("admin_center:agents"), success_message=_("Agent reactivated."))


@agent_required(AGENTS)
@require_POST
def agent_resend_invitation(request: AgentRequest, pk: int) -> HttpResponse:
    agent = get_object_or_404(Agent, pk=pk)
    return run_change(request, lambda: invitations.resend_invitation(agent, actor=request.user, via=VIA),
                      success_url=reverse("admin_center:agents"), success_message=_("A new invitation was sent."))


def invitation_accept(request: HttpRequest, uid: str, token: str) -> HttpResponse:
    """The invited agent chooses a password and is signed in; an expired or used link says so plainly."""
    agent = invitations.agent_for_invitation(uid, token)
    if agent is None:
        invited = invitations.agent_for_uid(uid)
        viewer = signed_in_agent(request)
        can_resend = bool(viewer and invited and can(viewer, AGENTS, invited) and invitations.is_pending(invited))
        return render(request, "admin_center/team/invitation_invalid.html",
                      {"invited": invited if can_resend else None}, status=410)
    form = AcceptInvitationForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                agent = invitations.accept_invitation(uid, token, form.cleaned_data["password"], via="web")
            except ValidationFailed as refusal:
                form.add_error("password" if "password" in refusal.fields else None, refusal.message)
            else:
                login(request, agent, backend="django.contrib.auth.backends.ModelBackend")
                return redirect(settings.LOGIN_REDIRECT_URL)
        status = 422
    return render(request, "admin_center/team/invitation_accept.html", {"form": form, "invited": agent}, status=status)


# --- groups ------------------------------------------------------------------------------------------


@agent_required(SETTINGS)
@require_GET
def groups(request: AgentRequest) -> HttpResponse:
    rows = Group.objects.select_related("department").prefetch_related("members").order_by("name")
    return render(request, "admin_center/team/groups.html", {"groups": rows})


@agent_required(SETTINGS)
def group_new(request: AgentRequest) -> HttpResponse:
    context = {"title": _("Add a group"), "breadcrumb_extra": [_("Add a group")], "submit_label": _("Add group"),
               "cancel_url": reverse("admin_center:groups")}
    form = GroupForm(request.POST or None)
    if request.method != "POST":
        return render(request, "admin_center/team/edit.html", {**context, "form": form})
    return run_form(request, form, lambda _data: team.create_group(**form.arguments(), actor=request.user, via=VIA),
                    template="admin_center/team/edit.html", context=context,
                    success_url=reverse("admin_center:groups"), success_message=_("Group added."))


@agent_required(SETTINGS)
def group_edit(request: AgentRequest, pk: int) -> HttpResponse:
    group = get_object_or_404(Group, pk=pk)
    context = {"title": group.name, "breadcrumb_extra": [group.name], "submit_label": _("Save"),
               "cancel_url": reverse("admin_center:groups"), "delete_url": reverse("admin_center:group-delete", args=[group.pk])}
    if request.method != "POST":
        form = GroupForm(initial={"name": group.name, "department": group.department_id, "members": list(group.members.all())})
        return render(request, "admin_center/team/edit.html", {**context, "form": form})
    form = GroupForm(request.POST)
    return run_form(request, form, lambda _data: team.update_group(group, form.arguments(), actor=request.user, via=VIA),
                    template="admin_center/team/edit.html", context=context,
                    success_url=reverse("admin_center:groups"), success_message=_("Group saved."))


@agent_required(SETTINGS)
@require_POST
def group_delete(request: AgentRequest, pk: int) -> HttpResponse:
    group = get_object_or_404(Group, pk=pk)
    return run_change(request, lambda: team.delete_group(group, actor=request.user, via=VIA),
                      success_url=reverse("admin_center:groups"), success_message=_("Group deleted."))


# --- departments -------------------------------------------------------------------------------------


@agent_required(SETTINGS)
@require_GET
def departments(request: AgentRequest) -> HttpResponse:
    rows = Department.objects.select_related("default_group").prefetch_related("addresses").order_by("name")
    return render(request, "admin_center/team/departments.html", {"departments": rows})


@agent_required(SETTINGS)
def department_new(request: AgentRequest) -> HttpResponse:
    context = {"title": _("Add a department"), "breadcrumb_extra": [_("Add a department")], "submit_label": _("Add department"),
               "cancel_url": reverse("admin_center:departments")}
    form = DepartmentForm(request.POST or None)
    if request.method != "POST":
        return render(request, "admin_center/team/edit.html", {**context, "form": form})

    def create(_data: dict[str, Any]) -> None:
        arguments = form.arguments()
        team.create_department(name=arguments.pop("name"), slug=arguments.pop("slug"), addresses=arguments.pop("addresses"),
                               **arguments, actor=request.user, via=VIA)

    return run_form(request, form, create, template="admin_center/team/edit.html", context=context,
                    success_url=reverse("admin_center:departments"), success_message=_("Department added."))


@agent_required(SETTINGS)
def department_edit(request: AgentRequest, pk: int) -> HttpResponse:
    department = get_object_or_404(Department, pk=pk)
    context = {"title": department.name, "breadcrumb_extra": [department.name], "submit_label": _("Save"),
               "cancel_url": reverse("admin_center:departments"),
               "delete_url": reverse("admin_center:department-delete", args=[department.pk])}
    if request.method != "POST":
        form = DepartmentForm(initial=DepartmentForm.initial_for(department), department=department)
        return render(request, "admin_center/team/edit.html", {**context, "form": form})
    form = DepartmentForm(request.POST, department=department)
    return run_form(request, form, lambda _data: team.update_department(department, form.arguments(), actor=request.user, via=VIA),
                    template="admin_center/team/edit.html", context=context,
                    success_url=reverse("admin_center:departments"), success_message=_("Department saved."))


@agent_required(SETTINGS)
@require_POST
def department_delete(request: AgentRequest, pk: int) -> HttpResponse:
    department = get_object_or_404(Department, pk=pk)
    return run_change(request, lambda: team.delete_department(department, actor=request.user, via=VIA),
                      success_url=reverse("admin_center:departments"), success_message=_("Department deleted."))


# --- roles -------------------------------------------------------------------------------------------


@agent_required(AGENTS)
@require_GET
def roles_page(request: AgentRequest) -> HttpResponse:
    """Built-in roles as a read-only capability table, then the helpdesk's own roles."""
    built_in = [(Role(value).label, ROLE_CAPABILITIES[value]) for value in Role.values]
    table = [{"label": label, "cells": [capability in held for _label, held in built_in]} for capability, label in CAPABILITY_LABELS.items()]
    return render(request, "admin_center/team/roles.html", {
        "built_in": [label for label, _held in built_in], "table": table,
        "custom_roles": [
            {"role": r, "labels": [CAPABILITY_LABELS.get(c, c) for c in r.capabilities], "agents": r.agents.count()}
            for r in CustomRole.objects.order_by("name")
        ],
    })


@agent_required(AGENTS)
def role_new(request: AgentRequest) -> HttpResponse:
    context = {"title": _("Add a role"), "breadcrumb_extra": [_("Add a role")], "submit_label": _("Add role"),
               "cancel_url": reverse("admin_center:roles")}
    form = CustomRoleForm(request.POST or None)
    if request.method != "POST":
        return render(request, "admin_center/team/edit.html", {**context, "form": form})
    return run_form(request, form, lambda _data: roles.create_custom_role(**form.arguments(), actor=request.user, via=VIA),
                    template="admin_center/team/edit.html", context=context,
                    success_url=reverse("admin_center:roles"), success_message=_("Role added."))


@agent_required(AGENTS)
def role_edit(request: AgentRequest, pk: int) -> HttpResponse:
    role = get_object_or_404(CustomRole, pk=pk)
    context = {"title": role.name, "breadcrumb_extra": [role.name], "submit_label": _("Save"),
               "cancel_url": reverse("admin_center:roles"), "delete_url": reverse("admin_center:role-delete", args=[role.pk])}
    if request.method != "POST":
        form = CustomRoleForm(initial={"name": role.name, "description": role.description, "capabilities": role.capabilities,
                                       "ticket_scope": role.ticket_scope})
        return render(request, "admin_center/team/edit.html", {**context, "form": form})
    form = CustomRoleForm(request.POST)
    return run_form(request, form, lambda _data: roles.update_custom_role(role, form.arguments(), actor=request.user, via=VIA),
                    template="admin_center/team/edit.html", context=context,
                    success_url=reverse("admin_center:roles"), success_message=_("Role saved."))


@agent_required(AGENTS)
@require_POST
def role_delete(request: AgentRequest, pk: int) -> HttpResponse:
    role = get_object_or_404(CustomRole, pk=pk)
    return run_change(request, lambda: roles.delete_custom_role(role, actor=request.user, via=VIA),
                      success_url=reverse("admin_center:roles"), success_message=_("Role deleted."))
