"""The Tickets section's catalog pages: statuses, categories, products and tags.

Thin: each view parses with a form, calls the owning app's action
(`comptoir.tickets.actions`, `comptoir.contacts.actions`) with
`actor=request.user, via="admin"`, and renders. Every page needs "admin.settings".
"""

from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from comptoir.admin_center.catalog.forms import (
    CategoryForm,
    ProductForm,
    ReplaceStatusForm,
    StatusEditForm,
    StatusForm,
    TagMergeForm,
    TagRenameForm,
    TranslatedNameForm,
)
from comptoir.admin_center.editing import run_change, run_form
from comptoir.contacts import actions as contact_actions
from comptoir.contacts.models import Product
from comptoir.core.access import AgentRequest, agent_required
from comptoir.core.errors import ValidationFailed
from comptoir.tickets import actions
from comptoir.tickets.actions.fields import normalize_tag
from comptoir.tickets.models import Category, Status, Tag, Ticket

SETTINGS = "admin.settings"
VIA = "admin"
TAGS_PER_PAGE = 50
EDIT_TEMPLATE = "admin_center/catalog/edit.html"


def _edit_context(title: str, cancel: str, submit: str, **extra: Any) -> dict[str, Any]:
    return {"title": title, "breadcrumb_extra": [title], "submit_label": submit, "cancel_url": reverse(cancel), **extra}


# --- statuses --------------------------------------------------------------------------------------------


@agent_required(SETTINGS)
@require_GET
def statuses(request: AgentRequest) -> HttpResponse:
    rows = list(Status.objects.order_by("position", "id"))
    in_use = dict(Ticket.objects.values("status_id").annotate(n=Count("id")).values_list("status_id", "n"))
    return render(request, "admin_center/catalog/statuses.html", {
        "rows": [{"status": s, "tickets": in_use.get(s.pk, 0), "first": i == 0, "last": i == len(rows) - 1}
                 for i, s in enumerate(rows)],
    })


@agent_required(SETTINGS)
def status_new(request: AgentRequest) -> HttpResponse:
    context = _edit_context(_("Add a status"), "admin_center:statuses", _("Add status"))
    form = StatusForm(request.POST or None)
    if request.method != "POST":
        return render(request, EDIT_TEMPLATE, {**context, "form": form})
    position = (Status.objects.order_by("-position").values_list("position", flat=True).first() or 0) + 1

    def create(data: dict[str, Any]) -> None:
        actions.create_status(name=data["name"], category=data["category"], is_default=data["is_default"], position=position,
                              name_translations=form.translations(), actor=request.user, via=VIA)

    return run_form(request, form, create, template=EDIT_TEMPLATE, context=context,
                    success_url=reverse("admin_center:statuses"), success_message=_("Status added."))


@agent_required(SETTINGS)
def status_edit(request: AgentRequest, pk: int) -> HttpResponse:
    status = get_object_or_404(Status, pk=pk)
    context = _edit_context(status.name, "admin_center:statuses", _("Save"), status=status)
    if request.method != "POST":
        form = StatusEditForm(initial={**TranslatedNameForm.initial_for(status), "is_default": status.is_default, "active": status.active})
        return render(request, EDIT_TEMPLATE, {**context, "form": form})
    form = StatusEditForm(request.POST)

    def save(data: dict[str, Any]) -> None:
        actions.update_status(status, {"name": data["name"], "name_translations": form.translations(),
                                       "is_default": data["is_default"], "active": data["active"]},
                              actor=request.user, via=VIA)

    return run_form(request, form, save, template=EDIT_TEMPLATE, context=context,
                    success_url=reverse("admin_center:statuses"), success_message=_("Status saved."))


@agent_required(SETTINGS)
@require_POST
def status_reorder(request: AgentRequest, pk: int) -> HttpResponse:
    """The up and down buttons: real buttons in a form, so they work from the keyboard and without scripts."""
    status = get_object_or_404(Status, pk=pk)
    direction = request.POST.get("direction", "")
    return run_change(request, lambda: actions.move_status(status, direction, actor=request.user, via=VIA),
                      success_url=reverse("admin_center:statuses"))


@agent_required(SETTINGS)
def status_replace(request: AgentRequest, pk: int) -> HttpResponse:
    """An in-use status is never deleted outright: its tickets move to another status of its category first."""
    status = get_object_or_404(Status, pk=pk)
    title = _("Replace %(name)s") % {"name": status.name}
    context = _edit_context(title, "admin_center:statuses", _("Move tickets and replace"), status=status,
                            tickets=Ticket.objects.filter(status=status).count())
    form = ReplaceStatusForm(status, request.POST or None)
    if request.method != "POST":
        return render(request, "admin_center/catalog/status_replace.html", {**context, "form": form})

    def replace(data: dict[str, Any]) -> None:
        actions.replace_status(status, data["replacement"], delete=data["delete"], actor=request.user, via=VIA)

    return run_form(request, form, replace, template="admin_center/catalog/status_replace.html", context=context,
                    success_url=reverse("admin_center:statuses"), success_message=_("Status replaced."))


@agent_required(SETTINGS)
@require_POST
def status_delete(request: AgentRequest, pk: int) -> HttpResponse:
    status = get_object_or_404(Status, pk=pk)
    return run_change(request, lambda: actions.delete_status(status, actor=request.user, via=VIA),
                      success_url=reverse("admin_center:statuses"), success_message=_("Status deleted."))


# --- categories ------------------------------------------------------------------------------------------


@agent_required(SETTINGS)
@require_GET
def categories(request: AgentRequest) -> HttpResponse:
    everything = list(Category.objects.select_related("department").order_by("position", "name"))
    children: dict[int, list[Category]] = {}
    for category in everything:
        if category.parent_id is not None:
            children.setdefault(category.parent_id, []).append(category)
    tree = [{"category": c, "children": children.get(c.pk, [])} for c in everything if c.parent_id is None]
    return render(request, "admin_center/catalog/categories.html", {"tree": tree})


def _category_arguments(form: CategoryForm) -> dict[str, Any]:
    data = form.cleaned_data
    return {
        "name": data["name"], "name_translations": form.translations(), "position": data["position"],
        "parent_id": data["parent_id"].pk if data["parent_id"] else None,
        "department_id": data["department_id"].pk if data["department_id"] else None,
    }


@agent_required(SETTINGS)
def category_new(request: AgentRequest) -> HttpResponse:
    context = _edit_context(_("Add a category"), "admin_center:categories", _("Add category"))
    initial = {"parent_id": request.GET.get("parent")} if request.GET.get("parent") else None
    form = CategoryForm(request.POST or None, initial=initial)
    if request.method != "POST":
        return render(request, EDIT_TEMPLATE, {**context, "form": form})

    def create(_data: dict[str, Any]) -> None:
        arguments = _category_arguments(form)
        if arguments["department_id"] is None and arguments["parent_id"] is not None:
            # A subcategory belongs to its parent's department: take it rather than refuse "All departments".
            arguments["department_id"] = form.cleaned_data["parent_id"].department_id
        actions.create_category(**arguments, actor=request.user, via=VIA)

    return run_form(request, form, create, template=EDIT_TEMPLATE, context=context,
                    success_url=reverse("admin_center:categories"), success_message=_("Category added."))


@agent_required(SETTINGS)
def category_edit(request: AgentRequest, pk: int) -> HttpResponse:
    category = get_object_or_404(Category, pk=pk)
    context = _edit_context(category.name, "admin_center:categories", _("Save"), category=category)
    if request.method != "POST":
        form = CategoryForm(category=category, initial={
            **TranslatedNameForm.initial_for(category), "parent_id": category.parent_id,
            "department_id": category.department_id, "position": category.position,
        })
        return render(request, EDIT_TEMPLATE, {**context, "form": form})
    form = CategoryForm(request.POST, category=category)
    return run_form(request, form, lambda _data: actions.update_category(category, _category_arguments(form), actor=request.user, via=VIA),
                    template=EDIT_TEMPLATE, context=context,
                    success_url=reverse("admin_center:categories"), success_message=_("Category saved."))


@agent_required(SETTINGS)
@require_POST
def category_delete(request: AgentRequest, pk: int) -> HttpResponse:
    category = get_object_or_404(Category, pk=pk)
    return run_change(request, lambda: actions.delete_category(category, actor=request.user, via=VIA),
                      success_url=reverse("admin_center:categories"), success_message=_("Category deleted."))


# --- products --------------------------------------------------------------------------------------------


@agent_required(SETTINGS)
@require_GET
def products(request: AgentRequest) -> HttpResponse:
    rows = Product.objects.annotate(ticket_count=Count("tickets")).order_by("name")
    return render(request, "admin_center/catalog/products.html", {"products": rows})


@agent_required(SETTINGS)
def product_new(request: AgentRequest) -> HttpResponse:
    context = _edit_context(_("Add a product"), "admin_center:products", _("Add product"))
    form = ProductForm(request.POST or None)
    if request.method != "POST":
        return render(request, EDIT_TEMPLATE, {**context, "form": form})
    return run_form(request, form, lambda data: contact_actions.create_product(
                        name=data["name"], name_translations=form.translations(), actor=request.user, via=VIA),
                    template=EDIT_TEMPLATE, context=context,
                    success_url=reverse("admin_center:products"), success_message=_("Product added."))


@agent_required(SETTINGS)
def product_edit(request: AgentRequest, pk: int) -> HttpResponse:
    product = get_object_or_404(Product, pk=pk)
    context = _edit_context(product.name, "admin_center:products", _("Save"))
    if request.method != "POST":
        return render(request, EDIT_TEMPLATE, {**context, "form": ProductForm(initial=TranslatedNameForm.initial_for(product))})
    form = ProductForm(request.POST)
    return run_form(request, form, lambda data: contact_actions.update_product(
                        product, {"name": data["name"], "name_translations": form.translations()}, actor=request.user, via=VIA),
                    template=EDIT_TEMPLATE, context=context,
                    success_url=reverse("admin_center:products"), success_message=_("Product saved."))


@agent_required(SETTINGS)
@require_POST
def product_delete(request: AgentRequest, pk: int) -> HttpResponse:
    product = get_object_or_404(Product, pk=pk)
    return run_change(request, lambda: contact_actions.delete_product(product, actor=request.user, via=VIA),
                      success_url=reverse("admin_center:products"), success_message=_("Product deleted."))


# --- tags ------------------------------------------------------------------------------------------------


@agent_required(SETTINGS)
@require_GET
def tags(request: AgentRequest) -> HttpResponse:
    """Tags with how many tickets carry each: one grouped query over the ticket–tag links per page."""
    query = request.GET.get("q", "").strip()
    rows = Tag.objects.annotate(ticket_count=Count("tickets")).order_by("name")
    if query:
        rows = rows.filter(name__icontains=normalize_tag(query) or query)
    page = Paginator(rows, TAGS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "admin_center/catalog/tags.html", {"page": page, "query": query})


@agent_required(SETTINGS)
def tag_edit(request: AgentRequest, pk: int) -> HttpResponse:
    """Rename a tag, or merge it into another one, from one page."""
    tag = get_object_or_404(Tag, pk=pk)
    context = {"tag": tag, "breadcrumb_extra": [tag.name], "rename_form": TagRenameForm(initial={"name": tag.name}),
               "merge_form": TagMergeForm(), "tickets": tag.tickets.count()}
    if request.method != "POST":
        return render(request, "admin_center/catalog/tag_edit.html", context)
    form = TagRenameForm(request.POST)
    return run_form(request, form, lambda data: actions.rename_tag(tag, data["name"], actor=request.user, via=VIA),
                    template="admin_center/catalog/tag_edit.html", context={**context, "rename_form": form},
                    success_url=reverse("admin_center:tags"), success_message=_("Tag renamed."))


@agent_required(SETTINGS)
@require_POST
def tag_merge(request: AgentRequest, pk: int) -> HttpResponse:
    tag = get_object_or_404(Tag, pk=pk)
    form = TagMergeForm(request.POST)
    context = {"tag": tag, "breadcrumb_extra": [tag.name], "rename_form": TagRenameForm(initial={"name": tag.name}),
               "merge_form": form, "tickets": tag.tickets.count()}

    def merge(data: dict[str, Any]) -> None:
        target = Tag.objects.filter(name=normalize_tag(data["target"])).first()
        if target is None:
            raise ValidationFailed(_("There is no tag with this name."), {"target": "not_found"})
        actions.merge_tags(tag, target, actor=request.user, via=VIA)

    return run_form(request, form, merge, template="admin_center/catalog/tag_edit.html", context=context,
                    success_url=reverse("admin_center:tags"), success_message=_("Tags merged."))


@agent_required(SETTINGS)
@require_POST
def tag_delete(request: AgentRequest, pk: int) -> HttpResponse:
    tag = get_object_or_404(Tag, pk=pk)
    return run_change(request, lambda: actions.delete_tag(tag, actor=request.user, via=VIA),
                      success_url=reverse("admin_center:tags"), success_message=_("Tag deleted."))
