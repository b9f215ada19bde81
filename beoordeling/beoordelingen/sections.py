"""The section of a stage that the beoordeling contributes (see stagegids/sections.py)."""

from django.utils.translation import gettext_lazy as _

from stagegids.sections import Section, register

register(Section("beoordelingen", _("Beoordelingen"), "beoordeling:stage", "beoordeling.view_for_stage", order=60))
