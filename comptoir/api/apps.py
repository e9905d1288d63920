from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "comptoir.api"
    label = "api"
    verbose_name = "API"

    def ready(self) -> None:
        from comptoir.api import contact_merges
        from comptoir.api.webhooks.subscribers import register

        register()
        contact_merges.register()
