"""The section of a stage that zorgen contributes (see stagegids/sections.py)."""

from django.utils.translation import gettext_lazy as _

from stagegids.sections import Section, register

register(Section("zorgen", _("Zorgen"), "beoordeling:zorgen", "beoordeling.view_zorgen", order=35))
