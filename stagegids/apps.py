from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StagegidsConfig(AppConfig):
    name = "stagegids"
    verbose_name = _("Stagegids")

    def ready(self):
        # The start page panels of unread notifications and of the beheer, and the trail's account actions, register
        # themselves on import; images sets Pillow's pixel limit in every process, the worker's too.
        # The core's retention rules register themselves the same way (retention_rules), and the two-factor login
        # its receivers of a login and of an anonymised account (twofactor); a login stamps its session (middleware).
        from . import (  # noqa: F401
            accounts,
            beheer,
            erasure,
            holdings,
            images,
            middleware,
            notifications,
            retention_rules,
            twofactor,
        )
