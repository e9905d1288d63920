from django.apps import AppConfig


class AutomationConfig(AppConfig):
    name = "comptoir.automation"
    label = "automation"
