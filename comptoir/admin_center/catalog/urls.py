"""URLs of the admin center section `catalog`: statuses, categories, products and tags."""

from __future__ import annotations

from django.urls import URLPattern, path

from comptoir.admin_center.catalog import views

urlpatterns: list[URLPattern] = [
    path("statuses/", views.statuses, name="statuses"),
    path("statuses/new/", views.status_new, name="statuses-new"),
    path("statuses/<int:pk>/", views.status_edit, name="statuses-edit"),
    path("statuses/<int:pk>/reorder/", views.status_reorder, name="statuses-reorder"),
    path("statuses/<int:pk>/replace/", views.status_replace, name="statuses-replace"),
    path("statuses/<int:pk>/delete/", views.status_delete, name="statuses-delete"),
    path("categories/", views.categories, name="categories"),
    path("categories/new/", views.category_new, name="categories-new"),
    path("categories/<int:pk>/", views.category_edit, name="categories-edit"),
    path("categories/<int:pk>/delete/", views.category_delete, name="categories-delete"),
    path("products/", views.products, name="products"),
    path("products/new/", views.product_new, name="products-new"),
    path("products/<int:pk>/", views.product_edit, name="products-edit"),
    path("products/<int:pk>/delete/", views.product_delete, name="products-delete"),
    path("tags/", views.tags, name="tags"),
    path("tags/<int:pk>/", views.tag_edit, name="tags-edit"),
    path("tags/<int:pk>/merge/", views.tag_merge, name="tags-merge"),
    path("tags/<int:pk>/delete/", views.tag_delete, name="tags-delete"),
]
