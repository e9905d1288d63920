from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EmailChannelConfig(AppConfig):
    name = "comptoir.channels.email"
    label = "email_channel"
    verbose_name = _("Email channel")

    def ready(self) -> None:
        from comptoir.channels.email import notifications, outbound

        outbound.register()
        notifications.register()
