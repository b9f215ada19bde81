from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BeoordelingConfig(AppConfig):
    name = "beoordeling"
    verbose_name = _("Beoordeling")

    def ready(self):
        from stagegids import demo as demo_data

        from . import (
            dashboard,  # noqa: F401  registers the start page panels
            demo,
            herinneringen,  # noqa: F401  registers the reminder kinds of gesprekken and beoordelingen
            sections,  # noqa: F401  registers the stage's sections
            verslagen,  # noqa: F401  registers the verslag kinds of gesprekken, beoordelingen, evaluatie
        )

        demo_data.register(demo.load, order=30)
