"""The beoordelingen's column of the voortgang overview: the last beoordeling the user sees (the school its
eindbeoordelingen), with its state and its conclusion: one query for the page's stages."""

from django.utils.translation import gettext_lazy as _

from leerbedrijf.voortgang.columns import Column, register

from .models import Beoordeling


def last_beoordelingen(stage_ids, user):
    last = {}
    # Oldest first, so the newest of each stage is the one that stays; a stage has a handful at most.
    for beoordeling in (
        Beoordeling.objects.visible_to(user).current().filter(stage_id__in=stage_ids).order_by("created_at", "pk")
    ):
        last[beoordeling.stage_id] = beoordeling
    return last


register(
    Column(
        "beoordeling",
        _("Laatste beoordeling"),
        template="beoordeling/voortgang/cell_beoordeling.html",
        order=50,
        batch=last_beoordelingen,
    )
)
