"""The sections of a stage that beoordeling contributes (see stagegids/sections.py)."""

from django.utils.translation import gettext_lazy as _

from stagegids.sections import Section, register

register(
    Section("gesprekken", _("Gesprekken"), "beoordeling:stage_gesprekken", "beoordeling.view_gesprekken", order=30)
)
register(Section("beoordelingen", _("Beoordelingen"), "beoordeling:stage", "beoordeling.view_for_stage", order=60))
