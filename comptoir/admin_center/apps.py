from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AdminCenterConfig(AppConfig):
    """The admin area under /agent/admin/: an edge like `agent`, calling each app's actions."""

    name = "comptoir.admin_center"
    label = "admin_center"
    verbose_name = _("Admin center")
