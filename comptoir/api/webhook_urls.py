"""/agent/webhooks/: the admins' webhooks page (views in comptoir/api/webhook_views.py)."""

from __future__ import annotations

from django.urls import path

from comptoir.api import webhook_views

app_name = "webhooks"
urlpatterns = [
    path("", webhook_views.webhook_list, name="list"),
    path("<int:pk>/", webhook_views.webhook_detail, name="detail"),
    path("<int:pk>/test/", webhook_views.webhook_test, name="test"),
    path("<int:pk>/toggle/", webhook_views.webhook_toggle, name="toggle"),
    path("<int:pk>/delete/", webhook_views.webhook_delete, name="delete"),
]
