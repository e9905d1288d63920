"""New ticket, typically logged during a phone call, and the contact search it uses.

The agent picks a contact (autocomplete on name, email or phone) or types a new
one (name plus email and/or phone); create_ticket finds or creates the contact
and makes the agent the owner.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from comptoir.agent.workspace.access import AgentRequest, agent_required
from comptoir.agent.workspace.properties import custom_value, field_options
from comptoir.contacts.models import Contact
from comptoir.core.errors import PermissionDenied, ValidationFailed
from comptoir.core.models import Department
from comptoir.tickets import actions
from comptoir.tickets.actions.field_options import option_label
from comptoir.tickets.attachments import IncomingFile
from comptoir.tickets.form_layouts import fields_on_form
from comptoir.tickets.models import Channel, FieldKind, Priority, TicketType


class NewTicketForm(forms.Form):
    contact = forms.ModelChoiceField(queryset=Contact.objects.all(), required=False, widget=forms.HiddenInput)
    contact_name = forms.CharField(label=gettext_lazy("Contact name"), max_length=200, required=False)
    contact_email = forms.EmailField(label=gettext_lazy("Email"), required=False)
    contact_phone = forms.CharField(label=gettext_lazy("Phone"), max_length=40, required=False)
    subject = forms.CharField(label=gettext_lazy("Subject"), max_length=250)
    description = forms.CharField(label=gettext_lazy("Description"), widget=forms.Textarea(attrs={"rows": 6}), required=False)
    department = forms.ModelChoiceField(
        label=gettext_lazy("Department"), queryset=Department.objects.order_by("name"), required=False,
        widget=forms.Select(attrs={"hx-get": reverse_lazy("agent:ticket-new"), "hx-trigger": "change", "hx-include": "this",
                                   "hx-select": "#new-ticket-custom-fields", "hx-target": "#new-ticket-custom-fields",
                                   "hx-swap": "outerHTML"}),
    )
    channel = forms.ChoiceField(label=gettext_lazy("Channel"), choices=Channel.choices, initial=Channel.PHONE)
    priority = forms.TypedChoiceField(label=gettext_lazy("Priority"), choices=Priority.choices, coerce=int, initial=Priority.NORMAL)
    type = forms.ChoiceField(label=gettext_lazy("Type"), choices=TicketType.choices, initial=TicketType.QUESTION)
    tags = forms.CharField(label=gettext_lazy("Tags"), required=False, help_text=gettext_lazy("Separate tags with commas."))

    def clean(self) -> dict:
        data = super().clean() or {}
        if not data.get("contact") and not (data.get("contact_email") or data.get("contact_phone")):
            raise forms.ValidationError(_("Choose a contact, or give the new contact's email or phone."))
        return data


@agent_required
def new_ticket(request: AgentRequest) -> HttpResponse:
    """Log a ticket for a contact; on success go to it with a confirmation message."""
    form = NewTicketForm(request.POST or None)
    # The department's form layout (admin center) decides which custom fields show, in which order;
    # choosing another department reloads the block (htmx on the select) with that department's fields.
    chosen = (request.POST or request.GET).get("department", "")
    department = Department.objects.filter(pk=int(chosen)).first() if chosen.isdigit() else None
    definitions = fields_on_form(department)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        department_id = data["department"].pk if data["department"] else None
        custom_fields = {
            d.key: value for d in definitions
            if d.department_id in (None, department_id) and (value := custom_value(d, request.POST)) not in (None, [], False)
        }
        contact_fields: dict = (
            {"contact": data["contact"]}
            if data["contact"]
            else {"contact_email": data["contact_email"] or None, "contact_phone": data["contact_phone"] or None,
                  "contact_name": data["contact_name"]}
        )
        try:
            ticket = actions.create_ticket(
                actor=request.user, via=data["channel"], subject=data["subject"], description=data["description"],
                department=data["department"], channel=data["channel"], priority=data["priority"], type=data["type"],
                tags=[t.strip() for t in data["tags"].split(",") if t.strip()], custom_fields=custom_fields or None,
                attachments=[IncomingFile(name=f.name or "file", content=f.read(), content_type=f.content_type or "")
                             for f in request.FILES.getlist("attachments")],
                **contact_fields,
            )
        except (ValidationFailed, PermissionDenied) as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Ticket #%(number)s created.") % {"number": ticket.number})
            return redirect("agent:ticket", number=ticket.number)
    language = (get_language() or "en").split("-")[0]
    context = {"form": form, "custom_fields": [
                   (d, request.POST.get(f"cf_{d.key}", ""), [(o, option_label(d, o, language)) for o in field_options(d, {})])
                   for d in definitions],
               "field_kinds": FieldKind}
    return render(request, "agent/ticket/new.html", context, status=422 if form.errors else 200)


@agent_required
@require_GET
def contact_search(request: AgentRequest) -> HttpResponse:
    """Contacts whose name, email or phone contains `q` (at most 10), for pickers."""
    term = request.GET.get("q", "").strip()
    contacts: list[Contact] = []
    if len(term) >= 2:
        contacts = list(
            Contact.objects.filter(Q(name__icontains=term) | Q(identities__value__icontains=term.lower()), merged_into__isnull=True)
            .select_related("account").prefetch_related("identities").distinct().order_by("name")[:10]
        )
    return render(request, "agent/contacts/search_results.html", {"contacts": contacts, "target": request.GET.get("target", "new")})
