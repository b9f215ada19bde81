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
            holdings,  # noqa: F401  registers what the stageplan holds about a person
            retention,  # noqa: F401  removes an anonymised account's calendar feed
            sections,  # noqa: F401  registers the stage's sections
            verslagen,  # noqa: F401  registers the verslag kind of the agreed stageplan
            voortgang,  # noqa: F401  registers the columns of the voortgang overview
        )

        demo_data.register(demo.load, order=20)

        from leerbedrijf.signals import stage_stop_undone, stage_stopped

        from .stop import cancel_moments_of_stopped_stage, restore_moments_of_undone_stop

        stage_stopped.connect(cancel_moments_of_stopped_stage, dispatch_uid="stageplan.cancel_moments")
        stage_stop_undone.connect(restore_moments_of_undone_stop, dispatch_uid="stageplan.restore_moments")
