"""The stageplan's columns of the voortgang overview (leerbedrijf/voortgang/columns.py): leerdoelen reached of
total, the last observatie, the next moment, and the moments skipped ("sla ze niet over", overdue.py) as the late
signal. Each reads only what the user sees: the leerdoelen and observaties of plan_stages, the moments of
Moment.objects.visible_to (the school its moments with school)."""

from django.db.models import Case, Count, IntegerField, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from leerbedrijf.models import holds_condition
from leerbedrijf.voortgang.columns import Column, register

from . import overdue
from .models import PLAN_READERS, Leerdoel, LeerdoelStatus, Moment, MomentKind, Observatie


def _count(queryset):
    rows = queryset.order_by().values("stageplan__stage").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(rows, output_field=IntegerField()), 0)


def _for_plan_readers(user, expression):
    """`expression` on the stages whose stageplan `user` reads (plan_stages, asked of each row rather than as a
    subquery of all stages), NULL on the others (the cell shows "—")."""
    return Case(When(holds_condition(user, *PLAN_READERS), then=expression), default=Value(None))


def with_leerdoelen(stages, user):
    leerdoelen = Leerdoel.objects.filter(stageplan__stage=OuterRef("pk"))
    return stages.annotate(
        leerdoelen_total=_for_plan_readers(user, _count(leerdoelen)),
        leerdoelen_reached=_for_plan_readers(user, _count(leerdoelen.filter(status=LeerdoelStatus.BEHAALD))),
    )


register(
    Column(
        "leerdoelen",
        _("Leerdoelen behaald"),
        template="stageplan/voortgang/cell_leerdoelen.html",
        order=20,
        annotate=with_leerdoelen,
        read=lambda stage: (
            None if stage.leerdoelen_total is None else (stage.leerdoelen_reached, stage.leerdoelen_total)
        ),
        sort="leerdoelen_reached",
    )
)


def with_last_observatie(stages, user):
    last = Observatie.objects.filter(stage=OuterRef("pk")).order_by("-date").values("date")[:1]
    return stages.annotate(last_observatie=_for_plan_readers(user, Subquery(last)))


register(
    Column(
        "observatie",
        _("Laatste observatie"),
        template="stageplan/voortgang/cell_date.html",
        order=30,
        annotate=with_last_observatie,
        read=lambda stage: stage.last_observatie,
        sort="last_observatie",
    )
)


def with_next_moment(stages, user):
    coming = (
        Moment.objects.visible_to(user)
        .planned()
        .filter(stage=OuterRef("pk"), starts_at__gte=timezone.now())
        .order_by("starts_at", "pk")
    )
    return stages.annotate(
        next_moment_at=Subquery(coming.values("starts_at")[:1]),
        next_moment_kind=Subquery(coming.values("kind")[:1]),
    )


register(
    Column(
        "moment",
        _("Volgend moment"),
        template="stageplan/voortgang/cell_moment.html",
        order=40,
        annotate=with_next_moment,
        read=lambda stage: (stage.next_moment_at, MomentKind(stage.next_moment_kind)) if stage.next_moment_at else None,
        sort="next_moment_at",
    )
)


def skipped_moments(stage_ids, user):
    """Per stage its moments skipped (overdue.overdue, as the start page and the reminder know them) that `user`
    sees: one query."""
    return dict(
        overdue.overdue()
        .filter(Q(pk__in=Moment.objects.visible_to(user).values("pk")), stage_id__in=stage_ids)
        .values("stage")
        .annotate(count=Count("pk"))
        .values_list("stage", "count")
    )


register(
    Column(
        "overgeslagen",
        _("Overgeslagen momenten"),
        order=80,
        batch=skipped_moments,
        late=lambda count: ngettext("%(n)d moment overgeslagen", "%(n)d momenten overgeslagen", count) % {"n": count},
    )
)
