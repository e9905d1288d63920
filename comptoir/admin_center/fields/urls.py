"""URLs of the admin center section `fields`: ticket fields, ticket forms, contact and account fields, domains."""

from django.urls import URLPattern, path

from comptoir.admin_center.fields import customer_views, views

urlpatterns: list[URLPattern] = [
    path("ticket-fields/", views.ticket_fields, name="ticket-fields"),
    path("ticket-fields/new/", views.ticket_field_new, name="ticket-fields-new"),
    path("ticket-fields/<int:pk>/", views.ticket_field_edit, name="ticket-fields-edit"),
    path("ticket-fields/<int:pk>/delete/", views.ticket_field_delete, name="ticket-fields-delete"),
    path("ticket-fields/<int:pk>/restore/", views.ticket_field_restore, name="ticket-fields-restore"),
    path("ticket-fields/<int:pk>/options/", views.ticket_field_options, name="ticket-fields-options"),
    path("ticket-fields/<int:pk>/dependencies/", views.ticket_field_dependencies, name="ticket-fields-dependencies"),
    path("ticket-forms/", views.form_layouts, name="form-layouts"),
    path("ticket-forms/<int:department_id>/", views.form_layout_edit, name="form-layouts-edit"),
    path("contact-fields/", customer_views.contact_fields, name="contact-fields"),
    path("contact-fields/new/", customer_views.contact_field_new, name="contact-fields-new"),
    path("contact-fields/<int:pk>/", customer_views.contact_field_edit, name="contact-fields-edit"),
    path("contact-fields/<int:pk>/delete/", customer_views.contact_field_delete, name="contact-fields-delete"),
    path("account-fields/", customer_views.account_fields, name="account-fields"),
    path("account-fields/new/", customer_views.account_field_new, name="account-fields-new"),
    path("account-fields/<int:pk>/", customer_views.account_field_edit, name="account-fields-edit"),
    path("account-fields/<int:pk>/delete/", customer_views.account_field_delete, name="account-fields-delete"),
    path("account-domains/", customer_views.account_domains, name="account-domains"),
    path("account-domains/<int:pk>/delete/", customer_views.account_domain_delete, name="account-domains-delete"),
]
