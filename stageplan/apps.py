from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StageplanConfig(AppConfig):
    name = "stageplan"
    verbose_name = _("Stageplan")

    def ready(self):
        from stagegids import demo as demo_data

        from . import (
            dashboard,  # noqa: F401  registers the start-page panels
            demo,
            herinneringen,  # noqa: F401  registers the reminder kinds of moments and the stageplan
            sections,  # noqa: F401  registers the stage's sections
            verslagen,  # noqa: F401  registers the verslag kind of the agreed stageplan
        )

        demo_data.register(demo.load, order=20)
