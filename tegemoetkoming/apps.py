from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TegemoetkomingConfig(AppConfig):
    name = "tegemoetkoming"
    verbose_name = _("Tegemoetkomingen")

    def ready(self):
        # The stage's section, the reminder kinds and what a dossier keeps of an ended stage (retention) register
        # themselves on import; django-rules finds rules.py.
        from stagegids import demo as demo_data

        from . import dashboard, demo, herinneringen, holdings, retention, sections  # noqa: F401

        demo_data.register(demo.load, order=50)
