"""/agent/tokens/: the agent's API tokens page (views in comptoir/api/token_views.py)."""

from __future__ import annotations

from django.urls import path

from comptoir.api import token_views

app_name = "tokens"
urlpatterns = [
    path("", token_views.token_list, name="list"),
    path("<int:pk>/revoke/", token_views.token_revoke, name="revoke"),
]
