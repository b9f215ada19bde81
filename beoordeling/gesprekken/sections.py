"""The section of a stage that the begeleiding contributes (see stagegids/sections.py)."""

from django.utils.translation import gettext_lazy as _

from stagegids.sections import Section, register

register(
    Section("gesprekken", _("Gesprekken"), "beoordeling:stage_gesprekken", "beoordeling.view_gesprekken", order=30)
)
