"""The section of a stage that the stagemap contributes (see stagegids/sections.py)."""

from django.utils.translation import gettext_lazy as _

from stagegids.sections import Section, register

# Everyone who follows the stage has a stagemap: the school's holds what was shared with it.
register(Section("stagemap", _("Stagemap"), "stagemap:stagemap", "stagemap.view_stagemap", order=80))
