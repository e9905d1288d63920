"""URLs of the agent workspace, concatenated into comptoir/agent/urls.py (app_name "agent")."""

from __future__ import annotations

from django.urls import path

from comptoir.agent.workspace import (
    account_views,
    new_ticket,
    people,
    presence,
    ticket_page,
    ticket_tabs,
)

urlpatterns = [
    path("login/", account_views.SignInView.as_view(), name="login"),
    path("logout/", account_views.SignOutView.as_view(), name="logout"),
    path("password-reset/", account_views.PasswordResetView.as_view(), name="password-reset"),
    path("password-reset/sent/", account_views.PasswordResetDoneView.as_view(), name="password-reset-done"),
    path("password-reset/<uidb64>/<token>/", account_views.PasswordResetConfirmView.as_view(), name="password-reset-confirm"),
    path("password-reset/complete/", account_views.PasswordResetCompleteView.as_view(), name="password-reset-complete"),
    path("profile/", account_views.profile, name="profile"),
    path("notifications/", account_views.notifications, name="notifications"),
    path("notifications/read/", account_views.notifications_read, name="notifications-read"),
    path("tickets/new/", new_ticket.new_ticket, name="ticket-new"),
    path("contacts/search/", new_ticket.contact_search, name="contact-search"),
    path("tickets/<int:number>/", ticket_page.ticket_detail, name="ticket"),
    path("tickets/<int:number>/properties/", ticket_page.ticket_properties, name="ticket-properties"),
    path("tickets/<int:number>/compose/", ticket_page.compose, name="ticket-compose"),
    path("tickets/<int:number>/take/", ticket_page.take, name="ticket-take"),
    path("tickets/<int:number>/presence/", presence.presence_view, name="ticket-presence"),
    path("tickets/<int:number>/<slug:tab>/", ticket_tabs.ticket_tab, name="ticket-tab"),
    path("mentions/", ticket_page.mention_search, name="mention-search"),
    path("tags/", ticket_page.tag_search, name="tag-search"),
    path("attachments/<int:pk>/", ticket_page.attachment_download, name="attachment"),
    path("contacts/", people.contact_list, name="contacts"),
    path("contacts/<int:pk>/", people.contact_detail, name="contact"),
    path("contacts/<int:pk>/edit/", people.contact_edit, name="contact-edit"),
    path("contacts/<int:pk>/merge/", people.contact_merge, name="contact-merge"),
    path("accounts/", people.account_list, name="accounts"),
    path("accounts/<int:pk>/", people.account_detail, name="account"),
    path("accounts/<int:pk>/edit/", people.account_edit, name="account-edit"),
]
