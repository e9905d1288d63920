"""URLs of the admin center sections Integrations and Account.

The API tokens and export pages are the API's (its data, its cursor format):
they are mounted here by module name so that their URL names sit in the admin
center's namespace, the way the navigation lists them.
"""

from __future__ import annotations

from django.urls import include, path

from comptoir.admin_center.account import views

urlpatterns = [
    path("account/helpdesk/", views.branding, name="branding"),
    path("account/logo/", views.logo, name="branding-logo"),
    path("account/audit/", views.audit_log, name="audit"),
    path("", include("comptoir.api.integration_admin_urls")),
]
