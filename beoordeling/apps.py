from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BeoordelingConfig(AppConfig):
    name = "beoordeling"
    verbose_name = _("Beoordeling")

    def ready(self):
        from stagegids import demo as demo_data
        from stageplan.signals import stageplan_agreed

        from . import dashboard, demo  # noqa: F401  registers the start page panels

        demo_data.register(demo.load, order=30)
        from .tasks import make_verslagen_after_commit

        stageplan_agreed.connect(
            lambda sender, version, by, **kwargs: make_verslagen_after_commit(version.stageplan.stage_id, by=by),
            weak=False,
            dispatch_uid="beoordeling.verslag_of_agreed_stageplan",
        )
