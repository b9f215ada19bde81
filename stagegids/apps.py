from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StagegidsConfig(AppConfig):
    name = "stagegids"
    verbose_name = _("Stagegids")

    def ready(self):
        # The start page panels of unread notifications and of the beheer register themselves on import.
        from . import beheer, notifications  # noqa: F401
