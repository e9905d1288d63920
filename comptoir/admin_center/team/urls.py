"""URLs of the admin center section `team`: agents, groups, departments, roles, and the invitation link."""

from __future__ import annotations

from django.urls import URLPattern, path

from comptoir.admin_center.team import views

urlpatterns: list[URLPattern] = [
    path("agents/", views.agents, name="agents"),
    path("agents/invite/", views.agent_invite, name="agent-invite"),
    path("agents/<int:pk>/", views.agent_edit, name="agent-edit"),
    path("agents/<int:pk>/deactivate/", views.agent_deactivate, name="agent-deactivate"),
    path("agents/<int:pk>/reactivate/", views.agent_reactivate, name="agent-reactivate"),
    path("agents/<int:pk>/resend-invitation/", views.agent_resend_invitation, name="agent-resend-invitation"),
    path("invitation/<str:uid>/<str:token>/", views.invitation_accept, name="invitation-accept"),
    path("groups/", views.groups, name="groups"),
    path("groups/new/", views.group_new, name="group-new"),
    path("groups/<int:pk>/", views.group_edit, name="group-edit"),
    path("groups/<int:pk>/delete/", views.group_delete, name="group-delete"),
    path("departments/", views.departments, name="departments"),
    path("departments/new/", views.department_new, name="department-new"),
    path("departments/<int:pk>/", views.department_edit, name="department-edit"),
    path("departments/<int:pk>/delete/", views.department_delete, name="department-delete"),
    path("roles/", views.roles_page, name="roles"),
    path("roles/new/", views.role_new, name="role-new"),
    path("roles/<int:pk>/", views.role_edit, name="role-edit"),
    path("roles/<int:pk>/delete/", views.role_delete, name="role-delete"),
]
