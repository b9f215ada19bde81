"""The progress picture as a section of the stage (stagegids/sections.py); the voortgang overview links to it."""

from django.utils.translation import gettext_lazy as _

from stagegids.sections import Section, register

register(
    Section("voortgangsbeeld", _("Voortgang"), "beoordeling:voortgangsbeeld", "stageplan.view_stageplan", order=22)
)
