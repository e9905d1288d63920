"""URLs of the ticket lists, concatenated into comptoir/agent/urls.py (app_name "agent")."""

from django.urls import path

from comptoir.agent.lists import views

urlpatterns = [
    path("", views.dashboard, name="home"),
    path("tickets/", views.ticket_list, name="tickets"),
    path("tickets/bulk/", views.bulk, name="tickets-bulk"),
    path("views/new/", views.view_new, name="view-new"),
    path("views/sidebar/", views.sidebar, name="views-sidebar"),
    path("views/condition-row/", views.condition_row, name="view-condition-row"),
    path("views/<int:pk>/edit/", views.view_edit, name="view-edit"),
    path("views/<int:pk>/delete/", views.view_delete, name="view-delete"),
    path("views/<slug:key>/", views.view_list, name="view"),
]
