from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LeerbedrijfConfig(AppConfig):
    name = "leerbedrijf"
    verbose_name = _("Leerbedrijf")

    def ready(self):
        from stagegids import demo as demo_data

        # The start page panels, the stage's sections, the overview's columns, the reminder kinds, who holds which
        # role and what ends with a deactivated account register themselves on import, and so do its retention rules.
        from . import (  # noqa: F401
            accounts,
            dashboard,
            demo,
            herinneringen,
            holdings,
            retention,
            sections,
        )
        from .intake import dashboard as intake_dashboard  # noqa: F401
        from .kwalificaties import dashboard as kwalificaties_dashboard  # noqa: F401
        from .onboarding import dashboard as onboarding_dashboard  # noqa: F401
        from .voortgang import stage_columns  # noqa: F401

        demo_data.register(demo.load, order=10)
        # After the stageplan's demo (order 20) has planned the stage's moments, before the verslagen (30).
        demo_data.register(demo.load_ended_stage, order=25)
