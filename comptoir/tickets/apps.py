from django.apps import AppConfig


class TicketsConfig(AppConfig):
    name = "comptoir.tickets"
    label = "tickets"
    verbose_name = "Tickets"

    def ready(self) -> None:
        from comptoir.tickets import notifications

        notifications.register()
