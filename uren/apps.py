from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class UrenConfig(AppConfig):
    name = "uren"
    verbose_name = _("Uren")

    def ready(self):
        from stagegids import demo as demo_data

        from . import (
            dashboard,  # noqa: F401  registers the start-page panels
            demo,
            herinneringen,  # noqa: F401  registers the reminder kinds
            holdings,  # noqa: F401  registers what the uren hold about a person
            sections,  # noqa: F401  registers the stage's sections
        )

        demo_data.register(demo.load, order=40)
