"""Contacts and accounts: searchable lists, detail pages with their tickets, edit, merge.

Tickets shown on a contact or account page come from visible_tickets(), so an
agent never learns about a ticket outside their scope from here.
"""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from comptoir.agent.workspace.access import AgentRequest, agent_required
from comptoir.agent.workspace.custom_values import add_custom_controls, custom_changes, error_field
from comptoir.contacts import actions as contact_actions
from comptoir.contacts.custom_fields import active_definitions, shown_values
from comptoir.contacts.models import Account, Contact, FieldTarget
from comptoir.core.errors import Conflict, PermissionDenied, ValidationFailed
from comptoir.core.permissions import can
from comptoir.tickets import actions, queries

PAGE_SIZE = 25


def _tickets_of(request: AgentRequest, **filters: object) -> list:
    return list(queries.visible_tickets(request.user).filter(**filters).select_related("status", "assignee").order_by("-updated_at")[:50])


@agent_required
def contact_list(request: AgentRequest) -> HttpResponse:
    """Contacts, searched by name, email or phone, 25 a page, in a constant number of queries."""
    term = request.GET.get("q", "").strip()
    contacts = Contact.objects.filter(merged_into__isnull=True).select_related("account").prefetch_related("identities")
    if term:
        contacts = contacts.filter(Q(name__icontains=term) | Q(identities__value__icontains=term.lower())).distinct()
    page = Paginator(contacts.order_by("name", "pk"), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "agent/contacts/list.html", {"page": page, "q": term})


@agent_required
def contact_detail(request: AgentRequest, pk: int) -> HttpResponse:
    """A contact with identities and their tickets across channels (those the agent may see)."""
    contact = get_object_or_404(Contact.objects.select_related("account").prefetch_related("identities"), pk=pk)
    return render(request, "agent/contacts/detail.html", {
        "contact": contact, "tickets": _tickets_of(request, contact=contact),
        "custom_values": shown_values(active_definitions(FieldTarget.CONTACT), contact.custom_fields),
        "can_edit": can(request.user, "contact.edit"), "can_merge": can(request.user, "contact.merge"),
    })


class ContactForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Name"), max_length=200, required=False)
    # Offered as a list, checked by update_contact: the API and this form give the same error.
    locale = forms.CharField(label=gettext_lazy("Language"), widget=forms.Select(choices=settings.LANGUAGES))
    account = forms.ModelChoiceField(label=gettext_lazy("Account"), queryset=Account.objects.order_by("name"), required=False)
    can_view_account_tickets = forms.BooleanField(label=gettext_lazy("Sees the account's tickets"), required=False)
    notes = forms.CharField(label=gettext_lazy("Notes"), widget=forms.Textarea(attrs={"rows": 4}), required=False)


@agent_required
def contact_edit(request: AgentRequest, pk: int) -> HttpResponse:
    """Edit a contact's own fields through contacts.actions.update_contact."""
    contact = get_object_or_404(Contact, pk=pk)
    initial = {f: getattr(contact, f) for f in ("name", "locale", "account", "can_view_account_tickets", "notes")}
    form = ContactForm(request.POST or None, initial=initial)
    definitions = add_custom_controls(form, FieldTarget.CONTACT, contact.custom_fields)
    if request.method == "POST" and form.is_valid():
        changes = dict(form.cleaned_data)
        if definitions:
            changes["custom_fields"] = custom_changes(changes, definitions)
        try:
            contact_actions.update_contact(contact, changes, actor=request.user, via="web")
        except ValidationFailed as exc:
            form.add_error(next((error_field(f) for f in exc.fields if error_field(f) in form.fields), None), exc.message)
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Contact saved."))
            return redirect("agent:contact", pk=contact.pk)
    return render(request, "agent/contacts/edit.html", {"form": form, "contact": contact}, status=422 if form.errors else 200)


@agent_required
def contact_merge(request: AgentRequest, pk: int) -> HttpResponse:
    """Fold this duplicate contact into another one (merge_contacts moves identities and tickets)."""
    source = get_object_or_404(Contact.objects.prefetch_related("identities"), pk=pk)
    error = ""
    if request.method == "POST":
        target = Contact.objects.filter(pk=request.POST.get("target") or 0).first() if (request.POST.get("target") or "").isdigit() else None
        if target is None:
            error = _("Choose the contact to keep.")
        else:
            try:
                actions.merge_contacts(source, target, actor=request.user, via="web")
            except (ValidationFailed, PermissionDenied) as exc:
                error = str(exc)
            else:
                messages.success(request, _("Contacts merged."))
                return redirect("agent:contact", pk=target.pk)
    return render(request, "agent/contacts/merge.html", {"contact": source, "error": error}, status=422 if error else 200)


@agent_required
def account_list(request: AgentRequest) -> HttpResponse:
    """Accounts with their contact counts, searched by name, 25 a page."""
    term = request.GET.get("q", "").strip()
    accounts = Account.objects.annotate(contact_count=Count("contacts"))
    if term:
        accounts = accounts.filter(name__icontains=term)
    page = Paginator(accounts.order_by("name", "pk"), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "agent/accounts/list.html", {"page": page, "q": term})


@agent_required
def account_detail(request: AgentRequest, pk: int) -> HttpResponse:
    """An account, its contacts and its tickets (those the agent may see)."""
    account = get_object_or_404(Account, pk=pk)
    contacts = list(account.contacts.filter(merged_into__isnull=True).prefetch_related("identities").order_by("name")[:100])
    return render(request, "agent/accounts/detail.html", {
        "account": account, "contacts": contacts, "tickets": _tickets_of(request, account=account),
        "custom_values": shown_values(active_definitions(FieldTarget.ACCOUNT), account.custom_fields),
        "can_edit": can(request.user, "account.edit"),
    })


class AccountForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Name"), max_length=200)
    notes = forms.CharField(label=gettext_lazy("Notes"), widget=forms.Textarea(attrs={"rows": 4}), required=False)
    domains = forms.CharField(
        label=gettext_lazy("Email domains"), required=False,
        help_text=gettext_lazy("Comma-separated, e.g. example.com; new contacts from them join this account."),
    )

    def clean_domains(self) -> list[str]:
        return [d.strip() for d in self.cleaned_data["domains"].replace("\n", ",").split(",") if d.strip()]


@agent_required
def account_edit(request: AgentRequest, pk: int) -> HttpResponse:
    """Rename an account, edit its notes or domains, through contacts.actions.update_account."""
    account = get_object_or_404(Account.objects.prefetch_related("domains"), pk=pk)
    if not can(request.user, "account.edit"):
        messages.error(request, _("You cannot edit accounts."))
        return redirect("agent:account", pk=pk)
    initial = {"name": account.name, "notes": account.notes, "domains": ", ".join(d.domain for d in account.domains.all())}
    form = AccountForm(request.POST or None, initial=initial)
    definitions = add_custom_controls(form, FieldTarget.ACCOUNT, account.custom_fields)
    if request.method == "POST" and form.is_valid():
        changes = dict(form.cleaned_data)
        if definitions:
            changes["custom_fields"] = custom_changes(changes, definitions)
        try:
            contact_actions.update_account(account, actor=request.user, via="web", **changes)
        except ValidationFailed as exc:
            for field, _code in exc.fields.items():
                form.add_error(error_field(field) if error_field(field) in form.fields else None, exc.message)
            if not exc.fields:
                form.add_error(None, exc.message)
        except (Conflict, PermissionDenied) as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Account saved."))
            return redirect("agent:account", pk=pk)
    return render(request, "agent/accounts/edit.html", {"form": form, "account": account}, status=422 if form.errors else 200)
