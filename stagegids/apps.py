from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StagegidsConfig(AppConfig):
    name = "stagegids"
    verbose_name = _("Stagegids")
