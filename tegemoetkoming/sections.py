"""The section of a stage that the tegemoetkomingen contribute (see stagegids/sections.py)."""

from django.utils.translation import gettext_lazy as _

from stagegids.sections import Section, register

register(
    Section(
        "tegemoetkomingen",
        _("Tegemoetkomingen"),
        "tegemoetkoming:stage",
        "tegemoetkoming.view_tegemoetkomingen",
        order=85,
    )
)
