"""The sections of a stage that the stageplan contributes (see stagegids/sections.py)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from stagegids.sections import Section, register


def _observaties(stage):
    """The observaties of all stages are one list; a stage's section is that list, filtered."""
    return f"{reverse('stageplan:observaties')}?stage={stage.pk}"


register(Section("stageplan", _("Stageplan"), "stageplan:detail", "stageplan.view_stageplan", order=10))
register(Section("planning", _("Planning"), "stageplan:timeline", "stageplan.view_stageplan", order=20))
# The school sees the moments it takes part in; the company side has them among the tabs of the plan.
register(
    Section(
        "planning_school",
        _("Planning"),
        "stageplan:moments",
        "stageplan.view_moments",
        order=20,
        unless="stageplan.view_stageplan",
    )
)
register(Section("observaties", _("Observaties"), _observaties, "stageplan.view_stageplan", order=40))
# The school reads the agreed version only; whoever reads the whole plan finds that version there.
register(
    Section(
        "gedeeld_stageplan",
        _("Gedeeld stageplan"),
        "stageplan:shared",
        "stageplan.view_shared",
        order=50,
        unless="stageplan.view_stageplan",
    )
)
