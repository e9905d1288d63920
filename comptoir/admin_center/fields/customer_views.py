"""The contact fields, account fields and account domains pages.

Thin: each view parses with a form, calls `comptoir.contacts.actions` with
`actor=request.user, via="admin"`, and renders. Every page needs "admin.settings".
Contact and account fields share their views; `target` says which.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from comptoir.admin_center.editing import run_change, run_form
from comptoir.admin_center.fields.forms import (
    AccountDomainForm,
    ContactFieldEditForm,
    ContactFieldForm,
)
from comptoir.contacts import actions
from comptoir.contacts.models import (
    AccountDomain,
    ContactFieldDefinition,
    ContactFieldKind,
    FieldTarget,
)
from comptoir.core.access import AgentRequest, agent_required

SETTINGS = "admin.settings"
VIA = "admin"

# URL name prefix and the words of each page, per target.
PAGES: dict[str, dict[str, Any]] = {
    FieldTarget.CONTACT: {"url": "contact-fields", "add": gettext_lazy("Add a contact field"), "added": gettext_lazy("Contact field added."),
                          "saved": gettext_lazy("Contact field saved."), "deactivated": gettext_lazy("Contact field deactivated.")},
    FieldTarget.ACCOUNT: {"url": "account-fields", "add": gettext_lazy("Add an account field"), "added": gettext_lazy("Account field added."),
                          "saved": gettext_lazy("Account field saved."), "deactivated": gettext_lazy("Account field deactivated.")},
}


def _list_url(target: str) -> str:
    return reverse(f"admin_center:{PAGES[target]['url']}")


def _fields_page(request: AgentRequest, target: str) -> HttpResponse:
    definitions = ContactFieldDefinition.objects.filter(target=target).order_by("-active", "position", "pk")
    return render(request, "admin_center/fields/contact_fields.html", {
        "definitions": definitions, "target": target, "url_prefix": f"admin_center:{PAGES[target]['url']}",
        "is_contact": target == FieldTarget.CONTACT,
    })


def _field_new(request: AgentRequest, target: str) -> HttpResponse:
    add = str(PAGES[target]["add"])
    context = {"title": add, "breadcrumb_extra": [add], "submit_label": _("Add field"), "cancel_url": _list_url(target)}
    form = ContactFieldForm(request.POST or None)
    if request.method != "POST":
        return render(request, "admin_center/fields/edit.html", {**context, "form": form})
    return run_form(
        request, form, lambda _data: actions.create_contact_field(**form.create_arguments(target), actor=request.user, via=VIA),
        template="admin_center/fields/edit.html", context=context,
        success_url=_list_url(target), success_message=str(PAGES[target]["added"]),
    )


def _field_edit(request: AgentRequest, target: str, pk: int) -> HttpResponse:
    definition = get_object_or_404(ContactFieldDefinition, pk=pk, target=target)
    context = {"title": definition.label, "breadcrumb_extra": [definition.label], "submit_label": _("Save"),
               "cancel_url": _list_url(target), "contact_definition": definition}
    if request.method != "POST":
        translations = definition.label_translations or {}
        form = ContactFieldEditForm(initial={
            "label": definition.label, "position": definition.position, "active": definition.active,
            "options": "\n".join(definition.choices or []),
            **{f"label_{lang}": translations.get(lang, "") for lang in ("en", "fr", "nl")},
        })
    else:
        form = ContactFieldEditForm(request.POST)
    if definition.kind != ContactFieldKind.DROPDOWN:
        del form.fields["options"]
    if request.method != "POST":
        return render(request, "admin_center/fields/edit.html", {**context, "form": form})
    return run_form(
        request, form, lambda _data: actions.update_contact_field(definition, form.changes(definition.kind), actor=request.user, via=VIA),
        template="admin_center/fields/edit.html", context=context,
        success_url=_list_url(target), success_message=str(PAGES[target]["saved"]),
    )


def _field_delete(request: AgentRequest, target: str, pk: int) -> HttpResponse:
    definition = get_object_or_404(ContactFieldDefinition, pk=pk, target=target)
    return run_change(request, lambda: actions.deactivate_contact_field(definition, actor=request.user, via=VIA),
                      success_url=_list_url(target), success_message=str(PAGES[target]["deactivated"]))


@agent_required(SETTINGS)
@require_GET
def contact_fields(request: AgentRequest) -> HttpResponse:
    return _fields_page(request, FieldTarget.CONTACT)


@agent_required(SETTINGS)
def contact_field_new(request: AgentRequest) -> HttpResponse:
    return _field_new(request, FieldTarget.CONTACT)


@agent_required(SETTINGS)
def contact_field_edit(request: AgentRequest, pk: int) -> HttpResponse:
    return _field_edit(request, FieldTarget.CONTACT, pk)


@agent_required(SETTINGS)
@require_POST
def contact_field_delete(request: AgentRequest, pk: int) -> HttpResponse:
    return _field_delete(request, FieldTarget.CONTACT, pk)


@agent_required(SETTINGS)
@require_GET
def account_fields(request: AgentRequest) -> HttpResponse:
    return _fields_page(request, FieldTarget.ACCOUNT)


@agent_required(SETTINGS)
def account_field_new(request: AgentRequest) -> HttpResponse:
    return _field_new(request, FieldTarget.ACCOUNT)


@agent_required(SETTINGS)
def account_field_edit(request: AgentRequest, pk: int) -> HttpResponse:
    return _field_edit(request, FieldTarget.ACCOUNT, pk)


@agent_required(SETTINGS)
@require_POST
def account_field_delete(request: AgentRequest, pk: int) -> HttpResponse:
    return _field_delete(request, FieldTarget.ACCOUNT, pk)


# --- account domains --------------------------------------------------------------------------------------


@agent_required(SETTINGS)
def account_domains(request: AgentRequest) -> HttpResponse:
    """Every linked domain with its account, and the form to link one more (posted here)."""
    domains = AccountDomain.objects.select_related("account").order_by("domain")
    context = {"domains": domains, "submit_label": _("Link domain")}
    if request.method != "POST":
        return render(request, "admin_center/fields/account_domains.html", {**context, "form": AccountDomainForm()})
    form = AccountDomainForm(request.POST)
    return run_form(
        request, form,
        lambda data: actions.add_account_domain(data["account"], data["domain"], allow_free_mail=data["allow_free_mail"],
                                                actor=request.user, via=VIA),
        template="admin_center/fields/account_domains.html", context=context,
        success_url=reverse("admin_center:account-domains"), success_message=_("Domain linked."),
    )


@agent_required(SETTINGS)
@require_POST
def account_domain_delete(request: AgentRequest, pk: int) -> HttpResponse:
    row = get_object_or_404(AccountDomain.objects.select_related("account"), pk=pk)
    return run_change(request, lambda: actions.remove_account_domain(row, actor=request.user, via=VIA),
                      success_url=reverse("admin_center:account-domains"), success_message=_("Domain unlinked."))
