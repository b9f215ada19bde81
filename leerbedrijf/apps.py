from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LeerbedrijfConfig(AppConfig):
    name = "leerbedrijf"
    verbose_name = _("Leerbedrijf")

    def ready(self):
        from stagegids import demo as demo_data

        from . import dashboard, demo, intake_dashboard, onboarding_dashboard  # noqa: F401  register the start page panels

        demo_data.register(demo.load, order=10)
