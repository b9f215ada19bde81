from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TegemoetkomingConfig(AppConfig):
    name = "tegemoetkoming"
    verbose_name = _("Tegemoetkomingen")
