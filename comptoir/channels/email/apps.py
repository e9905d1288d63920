from django.apps import AppConfig


class EmailChannelConfig(AppConfig):
    name = "comptoir.channels.email"
    label = "email_channel"
    verbose_name = "Email channel"

    def ready(self) -> None:
        from comptoir.channels.email import outbound

        outbound.register()
