"""/api/v1/products: what customers ask about."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router
from ninja import Status as Reply

from comptoir.api.access import VIA, agent_of
from comptoir.api.pagination import SortKey, keyset_page, next_url
from comptoir.api.schemas.common import ERRORS, SearchPageQuery, page_of
from comptoir.api.schemas.contacts import ProductIn, ProductOut, product_out
from comptoir.contacts import actions
from comptoir.contacts.models import Product
from comptoir.core.errors import NotFound

router = Router()


def _product(product_id: int) -> Product:
    product = Product.objects.filter(pk=product_id).first()
    if product is None:
        raise NotFound(_("Product not found."))
    return product


@router.get("", response={200: page_of(ProductOut), **ERRORS}, url_name="list_products", summary="List products")
def list_products(request: HttpRequest, page: Query[SearchPageQuery]) -> Any:
    agent_of(request)
    qs = Product.objects.all()
    if page.q:
        qs = qs.filter(name__icontains=page.q)
    rows, cursor = keyset_page(qs, [SortKey("id")], page.cursor, page.limit, tag="products")
    return {"results": [product_out(p) for p in rows], "next": next_url(request, cursor)}


@router.get("/{int:product_id}", response={200: ProductOut, **ERRORS}, url_name="get_product", summary="Get a product")
def get_product(request: HttpRequest, product_id: int) -> Any:
    agent_of(request)
    return product_out(_product(product_id))


@router.post("", response={201: ProductOut, **ERRORS}, url_name="create_product", summary="Create a product")
def create_product(request: HttpRequest, data: ProductIn) -> Any:
    agent = agent_of(request, "product.edit")
    return Reply(201, product_out(actions.create_product(actor=agent, via=VIA, name=data.name, name_translations=data.name_translations)))


@router.patch("/{int:product_id}", response={200: ProductOut, **ERRORS}, url_name="update_product", summary="Rename a product")
def update_product(request: HttpRequest, product_id: int, data: ProductIn) -> Any:
    agent = agent_of(request, "product.edit")
    changes = data.dict(exclude_none=True)
    return product_out(actions.update_product(_product(product_id), changes, actor=agent, via=VIA))


@router.delete("/{int:product_id}", response={204: None, **ERRORS}, url_name="delete_product", summary="Delete a product")
def delete_product(request: HttpRequest, product_id: int) -> Any:
    agent = agent_of(request, "admin.settings")
    actions.delete_product(_product(product_id), actor=agent, via=VIA)
    return Reply(204, None)
