"""Categories and products in the admin center: an admin builds the tree; bad input is refused next to its field."""

from __future__ import annotations

import pytest
from django.urls import reverse

from comptoir.contacts.models import Product
from comptoir.core.models import AuditEntry, Role
from comptoir.tickets import actions
from comptoir.tickets.models import Category
from tests.factories import make_agent

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(client):
    agent = make_agent(role=Role.ADMIN)
    client.force_login(agent)
    return agent


def post_category(client, url=None, **data):
    base = {"name": "", "name_fr": "", "name_nl": "", "parent_id": "", "department_id": "", "position": "0"}
    return client.post(url or reverse("admin_center:categories-new"), {**base, **data})


def field_error(response, field):
    """The refusal rendered next to `field` (form.html gives it the id <field>_error)."""
    html = response.content.decode()
    marker = f'id="id_{field}_error"'
    assert marker in html, html[:3000]
    return html.split(marker, 1)[1].split(">", 1)[1].split("</p>", 1)[0]


def test_an_admin_creates_a_category_with_two_subcategories(client, admin):
    assert post_category(client, name="Billing", name_fr="Facturation").status_code == 302
    billing = Category.objects.get(name="Billing")
    post_category(client, name="Refunds", parent_id=billing.pk)
    post_category(client, name="Invoices", parent_id=billing.pk)
    assert sorted(billing.children.values_list("name", flat=True)) == ["Invoices", "Refunds"]
    assert billing.name_translations == {"fr": "Facturation"}
    page = client.get(reverse("admin_center:categories")).content.decode()
    assert page.index("Billing") < page.index("Invoices") < page.index("Refunds")
    assert AuditEntry.objects.filter(kind="category.created").count() == 3


def test_a_duplicate_name_is_refused_next_to_the_name(client, admin):
    actions.create_category(name="Billing", actor=admin, via="test")
    response = post_category(client, name="billing")
    assert response.status_code == 422
    assert field_error(response, "name") == "A category with this name already exists here."


def test_the_same_name_under_another_parent_is_fine(client, admin):
    billing = actions.create_category(name="Billing", actor=admin, via="test")
    actions.create_category(name="Other", actor=admin, via="test")
    assert post_category(client, name="Other", parent_id=billing.pk).status_code == 302


def test_a_subcategory_chosen_as_parent_is_refused_next_to_the_parent(client, admin):
    billing = actions.create_category(name="Billing", actor=admin, via="test")
    refunds = actions.create_category(name="Refunds", parent=billing, actor=admin, via="test")
    response = post_category(client, name="Partial refunds", parent_id=refunds.pk)
    assert response.status_code == 422
    assert field_error(response, "parent_id") == "A subcategory cannot have subcategories: pick a top-level category as parent."


def test_moving_a_category_with_subcategories_under_another_is_refused_as_circular(client, admin):
    billing = actions.create_category(name="Billing", actor=admin, via="test")
    actions.create_category(name="Refunds", parent=billing, actor=admin, via="test")
    shipping = actions.create_category(name="Shipping", actor=admin, via="test")
    response = post_category(client, reverse("admin_center:categories-edit", args=[billing.pk]), name="Billing", parent_id=shipping.pk)
    assert response.status_code == 422
    assert field_error(response, "parent_id") == "This category has subcategories, so it cannot become a subcategory itself."
    assert Category.objects.get(pk=billing.pk).parent_id is None


def test_a_parent_deleted_meanwhile_is_refused_next_to_the_parent(client, admin):
    billing = actions.create_category(name="Billing", actor=admin, via="test")
    billing_id = billing.pk
    actions.delete_category(billing, actor=admin, via="test")
    response = post_category(client, name="Refunds", parent_id=billing_id)
    assert response.status_code == 422
    assert 'id="id_parent_id_error"' in response.content.decode()
    assert not Category.objects.filter(name="Refunds").exists()


def test_renaming_and_reordering_a_category(client, admin):
    billing = actions.create_category(name="Billing", actor=admin, via="test")
    response = post_category(client, reverse("admin_center:categories-edit", args=[billing.pk]), name="Payments", position="4")
    assert response.status_code == 302
    billing.refresh_from_db()
    assert (billing.name, billing.position) == ("Payments", 4)


def test_an_htmx_refusal_answers_422_with_the_form(client, admin):
    actions.create_category(name="Billing", actor=admin, via="test")
    response = client.post(reverse("admin_center:categories-new"),
                           {"name": "Billing", "position": "0"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 422
    assert 'id="admin-form"' in response.content.decode()


def test_an_admin_adds_renames_and_translates_a_product(client, admin):
    client.post(reverse("admin_center:products-new"), {"name": "Mobile app", "name_fr": "Application mobile", "name_nl": ""})
    product = Product.objects.get(name="Mobile app")
    assert product.name_translations == {"fr": "Application mobile"}
    client.post(reverse("admin_center:products-edit", args=[product.pk]), {"name": "Phone app", "name_fr": "", "name_nl": "Telefoonapp"})
    product.refresh_from_db()
    assert (product.name, product.name_translations) == ("Phone app", {"nl": "Telefoonapp"})
    assert AuditEntry.objects.get(kind="product.updated").changes["name"] == ["Mobile app", "Phone app"]


def test_the_empty_category_list_explains_and_offers_the_first_one(client, admin):
    page = client.get(reverse("admin_center:categories")).content.decode()
    assert "Add the first category" in page
