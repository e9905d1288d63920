from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "comptoir.reports"
    label = "reports"
