from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BeoordelingConfig(AppConfig):
    name = "beoordeling"
    verbose_name = _("Beoordeling")

    def ready(self):
        from . import dashboard  # noqa: F401  registers the start page panels
