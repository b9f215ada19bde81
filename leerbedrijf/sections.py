"""The sections of a stage that the leerbedrijf contributes (see stagegids/sections.py)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from stagegids.sections import Section, register

register(
    Section(
        "stage", _("Overzicht"), lambda stage: reverse("leerbedrijf:stage", args=[stage.pk]), order=0, in_lists=False
    )
)
# A list of stages shows the onboarding as its progress, which links to the checklists itself.
register(
    Section(
        "onboarding",
        _("Onboarding"),
        lambda stage: reverse("leerbedrijf:onboarding", args=[stage.pk]),
        permission="leerbedrijf.view_onboarding",
        order=70,
        in_lists=False,
    )
)
