"""The admin center's Integrations pages owned by the API (views in integration_admin_views.py).

No app_name: the admin center includes this module inside its own namespace,
so the names are `admin_center:api-tokens`, `admin_center:api-tokens-revoke`
and `admin_center:export`, as its navigation lists them.
"""

from __future__ import annotations

from django.urls import path

from comptoir.api import integration_admin_views as views

urlpatterns = [
    path("integrations/api-tokens/", views.api_tokens, name="api-tokens"),
    path("integrations/api-tokens/<int:pk>/revoke/", views.api_token_revoke, name="api-tokens-revoke"),
    path("integrations/export/", views.export, name="export"),
]
