"""The admin center under /agent/admin/: its home and search, then one URL module per section."""

from django.urls import include, path

from comptoir.admin_center import views

app_name = "admin_center"
urlpatterns = [
    path("", views.home, name="home"),
    path("search/", views.search, name="search"),
    path("", include("comptoir.admin_center.team.urls")),
    path("", include("comptoir.admin_center.catalog.urls")),
    path("", include("comptoir.admin_center.fields.urls")),
    path("", include("comptoir.admin_center.channels.urls")),
    path("", include("comptoir.admin_center.account.urls")),
]
