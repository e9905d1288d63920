"""Casework pages (approvals, activities, time) mounted under /agent/work/."""

app_name = "casework"
urlpatterns: list = []
