from django.apps import AppConfig


class CaseworkConfig(AppConfig):
    name = "comptoir.casework"
    label = "casework"
    verbose_name = "Casework"
