"""The email channel's staff URLs under /agent/email/: the raw original, and redirects to the admin center."""

from django.urls import path

from comptoir.channels.email import admin_views

app_name = "email_channel"
urlpatterns = [
    path("settings/", admin_views.settings_page, name="settings"),
    path("failed/", admin_views.failed_list, name="failed"),
    path("spam/", admin_views.spam_list, name="spam"),
    path("<int:pk>/raw/", admin_views.raw_message, name="raw"),
]
