"""The sections of a stage that the leerbedrijf contributes (see stagegids/sections.py)."""

from django.utils.translation import gettext_lazy as _

from stagegids.sections import Section, register

register(Section("stage", _("Overzicht"), "leerbedrijf:stage", order=0, in_lists=False))
# A list of stages shows the onboarding as its progress, which links to the checklists itself.
register(
    Section("onboarding", _("Onboarding"), "leerbedrijf:onboarding", "leerbedrijf.view_onboarding", 70, in_lists=False)
)
