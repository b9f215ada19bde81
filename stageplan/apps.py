from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StageplanConfig(AppConfig):
    name = "stageplan"
    verbose_name = _("Stageplan")

    def ready(self):
        from . import dashboard  # noqa: F401  registers the start-page panels
