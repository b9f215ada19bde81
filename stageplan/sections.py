"""The sections of a stage that the stageplan contributes (see stagegids/sections.py)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from stagegids.sections import Section, register

register(
    Section(
        "stageplan",
        _("Stageplan"),
        lambda stage: reverse("stageplan:detail", args=[stage.pk]),
        permission="stageplan.view_stageplan",
        order=10,
    )
)
register(
    Section(
        "planning",
        _("Planning"),
        lambda stage: reverse("stageplan:timeline", args=[stage.pk]),
        permission="stageplan.view_stageplan",
        order=20,
    )
)
register(
    Section(
        "observaties",
        _("Observaties"),
        lambda stage: f"{reverse('stageplan:observaties')}?stage={stage.pk}",
        permission="stageplan.view_stageplan",
        order=40,
    )
)
# The school reads the agreed version only; whoever reads the whole plan finds that version there.
register(
    Section(
        "gedeeld_stageplan",
        _("Gedeeld stageplan"),
        lambda stage: reverse("stageplan:shared", args=[stage.pk]),
        permission="stageplan.view_shared",
        unless="stageplan.view_stageplan",
        order=50,
    )
)
