from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class UrenConfig(AppConfig):
    name = "uren"
    verbose_name = _("Uren")
