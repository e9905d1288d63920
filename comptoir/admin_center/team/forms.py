"""Forms of the team section: they parse input only; core's actions decide and write.

Each form turns its cleaned data into the arguments of one action
(`arguments()`/`changes()`); refusals come back from the action and are shown
next to the field they name (admin_center/editing.py).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from comptoir.core.models import Agent, CustomRole, Department, Group, Role, TicketScope
from comptoir.core.permissions import CAPABILITY_LABELS, CUSTOM_ROLE_CAPABILITIES

NO_CUSTOM_ROLE_HELP = _("When set, the agent holds exactly this role's capabilities instead of the built-in role's.")


def lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def _agents() -> forms.ModelMultipleChoiceField:
    return forms.ModelMultipleChoiceField(label=_("Members"), required=False, queryset=Agent.objects.filter(is_active=True),
                                          widget=forms.CheckboxSelectMultiple)


class AgentForm(forms.Form):
    """What an admin sets on an agent: name, role (built-in or custom), ticket access, teams and brands."""

    name = forms.CharField(label=_("Name"), max_length=150)
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices, initial=Role.AGENT,
                             help_text=_("Light agents see tickets, add internal notes and take tickets; they never reply to customers."))
    custom_role = forms.ModelChoiceField(label=_("Custom role"), required=False, queryset=CustomRole.objects.all(),
                                         empty_label=_("None: use the role above"), help_text=NO_CUSTOM_ROLE_HELP)
    ticket_scope = forms.ChoiceField(label=_("Ticket access"), choices=TicketScope.choices, initial=TicketScope.ALL)
    groups = forms.ModelMultipleChoiceField(label=_("Groups"), required=False, queryset=Group.objects.all(),
                                            widget=forms.CheckboxSelectMultiple)
    departments = forms.ModelMultipleChoiceField(
        label=_("Departments"), required=False, queryset=Department.objects.all(), widget=forms.CheckboxSelectMultiple,
        help_text=_("For a custom role that manages settings or agents: limits it to these departments."),
    )

    def changes(self) -> dict[str, Any]:
        """update_agent's `changes` (the custom role goes through set_agent_custom_role)."""
        data = self.cleaned_data
        return {"name": data["name"], "role": data["role"], "ticket_scope": data["ticket_scope"],
                "group_ids": [g.pk for g in data["groups"]], "department_ids": [d.pk for d in data["departments"]]}


class InviteForm(AgentForm):
    email = forms.EmailField(label=_("Email"), max_length=254)
    locale = forms.ChoiceField(label=_("Language of the invitation"), choices=settings.LANGUAGES, initial="en")
    field_order = ["email", "name", "locale", "role", "custom_role", "ticket_scope", "groups", "departments"]

    def arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {"email": data["email"], "name": data["name"], "role": data["role"], "ticket_scope": data["ticket_scope"],
                "locale": data["locale"], "group_ids": [g.pk for g in data["groups"]],
                "department_ids": [d.pk for d in data["departments"]]}


class HandoverForm(forms.Form):
    """Where a deactivated agent's open tickets go: "agent:<id>", "group:<id>" or "" (unassigned)."""

    transfer_to = forms.ChoiceField(label=_("Transfer their open tickets to"), required=False)

    def __init__(self, *args: Any, agent: Agent, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        colleagues = Agent.objects.filter(is_active=True).exclude(pk=agent.pk)
        field = self.fields["transfer_to"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [
            ("", _("Nobody: leave them unassigned")),
            (_("Agents"), [(f"agent:{a.pk}", str(a)) for a in colleagues]),
            (_("Groups (unassigned, in the group)"), [(f"group:{g.pk}", str(g)) for g in Group.objects.all()]),
        ]

    def target(self) -> dict[str, Any]:
        """deactivate_agent_with_handover's to_agent / to_group."""
        kind, _sep, pk = (self.cleaned_data.get("transfer_to") or "").partition(":")
        if kind == "agent":
            return {"to_agent": Agent.objects.get(pk=int(pk))}
        if kind == "group":
            return {"to_group": Group.objects.get(pk=int(pk))}
        return {}


class GroupForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    department = forms.ModelChoiceField(label=_("Department"), required=False, queryset=Department.objects.all(),
                                        empty_label=_("No department"))
    members = _agents()

    def arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {"name": data["name"], "department_id": data["department"].pk if data["department"] else None,
                "member_ids": [a.pk for a in data["members"]]}


class DepartmentForm(forms.Form):
    """A brand's identity; one signature field per interface language falls back to the default signature."""

    name = forms.CharField(label=_("Name"), max_length=120)
    slug = forms.SlugField(label=_("Slug"), max_length=120, help_text=_("Used in URLs and by the API."))
    addresses = forms.CharField(label=_("Support addresses"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
                                help_text=_("One per line; the first is the sender of replies. Mail to any of them becomes this department's tickets."))
    from_name = forms.CharField(label=_("Sender name"), max_length=120, required=False)
    agent_name_in_from = forms.BooleanField(label=_('Show "Agent via Department" as sender'), required=False)
    default_locale = forms.ChoiceField(label=_("Default language"), choices=settings.LANGUAGES)
    default_group = forms.ModelChoiceField(label=_("Default group"), required=False, queryset=Group.objects.all(),
                                           empty_label=_("None"),
                                           help_text=_("New tickets of this department that arrive without a group go to it."))
    send_confirmation = forms.BooleanField(label=_("Send confirmation to new tickets"), required=False, initial=True)
    signature = forms.CharField(label=_("Signature"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
                                help_text=_("Used for every language without its own signature below."))

    def __init__(self, *args: Any, department: Department | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for code, name in settings.LANGUAGES:
            self.fields[f"signature_{code}"] = forms.CharField(
                label=_("Signature in %(language)s") % {"language": name}, required=False,
                widget=forms.Textarea(attrs={"rows": 3}),
            )
        if department is not None:
            field = self.fields["default_group"]
            assert isinstance(field, forms.ModelChoiceField)
            field.queryset = Group.objects.filter(Q(department=department) | Q(department=None))

    @classmethod
    def initial_for(cls, department: Department) -> dict[str, Any]:
        initial: dict[str, Any] = {
            field: getattr(department, field)
            for field in ("name", "slug", "from_name", "agent_name_in_from", "default_locale", "send_confirmation", "signature")
        }
        initial["default_group"] = department.default_group_id
        initial["addresses"] = "\n".join(department.addresses.order_by("-is_primary", "id").values_list("email", flat=True))
        for code, text in (department.signatures or {}).items():
            initial[f"signature_{code}"] = text
        return initial

    def arguments(self) -> dict[str, Any]:
        """The department action's fields, "addresses" included."""
        data = self.cleaned_data
        return {
            "name": data["name"], "slug": data["slug"], "addresses": lines(data["addresses"]),
            "from_name": data["from_name"], "agent_name_in_from": data["agent_name_in_from"],
            "default_locale": data["default_locale"], "send_confirmation": data["send_confirmation"],
            "signature": data["signature"],
            "signatures": {code: data[f"signature_{code}"] for code, _name in settings.LANGUAGES if data.get(f"signature_{code}")},
            "default_group_id": data["default_group"].pk if data["default_group"] else None,
        }


class CustomRoleForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=80)
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    capabilities = forms.MultipleChoiceField(
        label=_("Capabilities"), widget=forms.CheckboxSelectMultiple,
        choices=[(c, CAPABILITY_LABELS[c]) for c in CUSTOM_ROLE_CAPABILITIES],
    )
    ticket_scope = forms.ChoiceField(label=_("Default ticket access"), choices=TicketScope.choices, initial=TicketScope.GROUPS,
                                     help_text=_("Given to an agent when they receive this role."))

    def arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {"name": data["name"], "description": data["description"], "capabilities": data["capabilities"],
                "ticket_scope": data["ticket_scope"]}


class AcceptInvitationForm(forms.Form):
    password = forms.CharField(label=_("Choose a password"), widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
                               strip=False)
    password_again = forms.CharField(label=_("Type it again"), widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
                                     strip=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("password") and data.get("password") != data.get("password_again"):
            self.add_error("password_again", _("The two passwords differ."))
        return data
