from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StagegidsConfig(AppConfig):
    name = "stagegids"
    verbose_name = _("Stagegids")

    def ready(self):
        from . import notifications  # noqa: F401  registers the start page panel of unread notifications
