"""URLs of the admin center section `channels`: email, notification templates, confirmations."""

from django.urls import path

from comptoir.admin_center.channels import views

urlpatterns = [
    path("channels/email/", views.email_settings, name="email"),
    path("channels/email/failed/", views.failed_list, name="email-failed"),
    path("channels/email/spam/", views.spam_list, name="email-spam"),
    path("channels/email/<int:pk>/retry/", views.retry, name="email-retry"),
    path("channels/email/<int:pk>/release/", views.release, name="email-release"),
    path("channels/email/mailboxes/new/", views.mailbox_new, name="mailbox-new"),
    path("channels/email/mailboxes/<int:pk>/", views.mailbox_edit, name="mailbox-edit"),
    path("channels/email/mailboxes/<int:pk>/delete/", views.mailbox_delete, name="mailbox-delete"),
    path("channels/email/mailboxes/<int:pk>/test/", views.mailbox_test, name="mailbox-test"),
    path("channels/email/header-rules/new/", views.header_rule_new, name="header-rule-new"),
    path("channels/email/header-rules/<int:pk>/", views.header_rule_edit, name="header-rule-edit"),
    path("channels/email/header-rules/<int:pk>/delete/", views.header_rule_delete, name="header-rule-delete"),
    path("channels/notifications/", views.notification_templates, name="notification-templates"),
    path("channels/notifications/<str:event>/<str:locale>/", views.notification_template_edit,
         name="notification-templates-edit"),
    path("channels/notifications/<str:event>/<str:locale>/preview/", views.notification_template_preview,
         name="notification-templates-preview"),
    path("channels/notifications/<str:event>/<str:locale>/reset/", views.notification_template_reset,
         name="notification-templates-reset"),
    path("channels/confirmations/", views.confirmations, name="confirmations"),
]
