from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LeerbedrijfConfig(AppConfig):
    name = "leerbedrijf"
    verbose_name = _("Leerbedrijf")

    def ready(self):
        from stagegids import demo as demo_data

        from . import (  # noqa: F401  register the start page panels and the stage's sections
            dashboard,
            demo,
            intake_dashboard,
            onboarding_dashboard,
            sections,
        )

        demo_data.register(demo.load, order=10)
