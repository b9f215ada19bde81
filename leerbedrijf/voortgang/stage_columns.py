"""The overview's columns that the stage itself answers: its phase, and whether its onboarding is late."""

from django.db.models import Case, Count, IntegerField, Value, When
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from stagegids.roles import Role

from ..models import OnboardingItem, Stage, StageStatus, running_stages, with_status
from .columns import Column, register

# The phases in the order of a stage's life, for sorting: what is coming, what runs, what stopped, what is over.
PHASE_ORDER = [
    StageStatus.GEPLAND,
    StageStatus.LOPEND,
    StageStatus.ONDERBROKEN,
    StageStatus.BEEINDIGD,
    StageStatus.AFGEROND,
]


def with_phase(stages, user):
    stages = with_status(stages)
    return stages.annotate(
        phase_rank=Case(
            *(When(status=phase.value, then=Value(rank)) for rank, phase in enumerate(PHASE_ORDER)),
            output_field=IntegerField(),
        )
    )


register(
    Column(
        "fase",
        _("Fase"),
        template="leerbedrijf/voortgang/cell_fase.html",
        order=10,
        annotate=with_phase,
        read=lambda stage: StageStatus(stage.status),
        sort="phase_rank",
    )
)


def overdue_onboarding(stage_ids, user):
    """Per stage the onboarding items past their date, as the start page counts them (onboarding/dashboard.py), for
    whoever may open the stage's onboarding: its praktijkopleider and werkplekbegeleider."""
    return dict(
        OnboardingItem.objects.overdue()
        .filter(
            running_stages("stage__"),
            stage__in=Stage.objects.for_roles(user, Role.PRAKTIJKOPLEIDER, Role.WERKPLEKBEGELEIDER),
            stage_id__in=stage_ids,
        )
        .values("stage")
        .annotate(count=Count("pk"))
        .values_list("stage", "count")
    )


register(
    Column(
        "onboarding",
        _("Onboarding"),
        order=90,
        batch=overdue_onboarding,
        late=lambda count: (
            ngettext("%(n)d onboarding-actie te laat", "%(n)d onboarding-acties te laat", count) % {"n": count}
        ),
    )
)
