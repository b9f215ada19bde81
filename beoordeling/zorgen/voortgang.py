"""The zorgen's column of the voortgang overview: the open concerns the user sees, and those whose next step is past
its date (Zorg.overdue) as the late signal."""

from django.db.models import Count, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from leerbedrijf.voortgang.columns import Column, register

from .models import Zorg


def with_open_zorgen(stages, user):
    def count(**condition):
        rows = (
            Zorg.objects.visible_to(user)
            .open()
            .filter(stage=OuterRef("pk"), **condition)
            .order_by()
            .values("stage")
            .annotate(n=Count("pk"))
            .values("n")
        )
        return Coalesce(Subquery(rows, output_field=IntegerField()), 0)

    return stages.annotate(zorgen_open=count(), zorgen_overdue=count(next_step_on__lt=timezone.localdate()))


def late(value):
    overdue = value[1]
    if not overdue:
        return None
    return ngettext("%(n)d zorg: volgende stap over datum", "%(n)d zorgen: volgende stap over datum", overdue) % {
        "n": overdue
    }


register(
    Column(
        "zorgen",
        _("Open zorgen"),
        template="beoordeling/voortgang/cell_count.html",
        order=60,
        annotate=with_open_zorgen,
        read=lambda stage: (stage.zorgen_open, stage.zorgen_overdue),
        sort="zorgen_open",
        late=late,
    )
)
