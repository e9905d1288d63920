"""Casework pages (approvals, activities, time) mounted under /agent/casework/."""

from __future__ import annotations

from django.urls import path

from comptoir.casework import views

app_name = "casework"
urlpatterns = [
    path("approvals/", views.approvals_waiting, name="approvals"),
    path("approvals/policy/", views.approval_policy, name="approval-policy"),
    path("approvals/link/<str:token>/", views.approval_link, name="approval-link"),
    path("approvals/<int:step_id>/decide/", views.approval_decide, name="approval-decide"),
    path("tickets/<int:ticket_id>/approval/", views.approval_request, name="approval-request"),
    path("tickets/<int:ticket_id>/resolution/", views.resolution_save, name="resolution-save"),
    path("tickets/<int:ticket_id>/activities/", views.activity_create, name="activity-create"),
    path("tickets/<int:ticket_id>/time/", views.time_log, name="time-log"),
    path("tickets/<int:ticket_id>/timer/start/", views.timer_start, name="timer-start"),
    path("timer/stop/", views.timer_stop, name="timer-stop"),
    path("activities/", views.my_activities, name="activities"),
    path("activities/<int:activity_id>/complete/", views.activity_complete, name="activity-complete"),
    path("time/export.csv", views.time_export, name="time-export"),
]
