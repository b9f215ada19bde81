"""The status of a stage: derived from its dates (never stored, so it is never out of date), unless the
praktijkopleider interrupted or ended it (Stage.stopped, models/stop.py), which comes before the dates."""

from django.db import models
from django.db.models import Case, Q, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class StopKind(models.TextChoices):
    ONDERBROKEN = "onderbroken", _("onderbroken")
    BEEINDIGD = "beeindigd", _("beëindigd")


class StageStatus(models.TextChoices):
    GEPLAND = "gepland", _("gepland")
    LOPEND = "lopend", _("lopend")
    AFGEROND = "afgerond", _("afgerond")
    ONDERBROKEN = StopKind.ONDERBROKEN.value, StopKind.ONDERBROKEN.label
    BEEINDIGD = StopKind.BEEINDIGD.value, StopKind.BEEINDIGD.label


def status_condition(status, today=None):
    today = today or timezone.localdate()
    return {
        StageStatus.GEPLAND: Q(stopped="", start_date__gt=today),
        StageStatus.LOPEND: Q(stopped="", start_date__lte=today, end_date__gte=today),
        StageStatus.AFGEROND: Q(stopped="", end_date__lt=today),
        StageStatus.ONDERBROKEN: Q(stopped=StopKind.ONDERBROKEN),
        StageStatus.BEEINDIGD: Q(stopped=StopKind.BEEINDIGD),
    }[status]


def over(today=None):
    """The stages that are over: past their end date, or ended early. An interrupted one is not: it may resume."""
    return status_condition(StageStatus.AFGEROND, today) | status_condition(StageStatus.BEEINDIGD, today)


def with_status(stages, today=None):
    return stages.annotate(
        status=Case(
            When(stopped=StopKind.BEEINDIGD, then=Value(StageStatus.BEEINDIGD.value)),
            When(stopped=StopKind.ONDERBROKEN, then=Value(StageStatus.ONDERBROKEN.value)),
            When(status_condition(StageStatus.GEPLAND, today), then=Value(StageStatus.GEPLAND.value)),
            When(status_condition(StageStatus.AFGEROND, today), then=Value(StageStatus.AFGEROND.value)),
            default=Value(StageStatus.LOPEND.value),
            output_field=models.CharField(),
        )
    )


def status_of(stage, today=None):
    """The status of one stage, as with_status() annotates it."""
    today = today or timezone.localdate()
    if stage.stopped:
        return StageStatus(stage.stopped)
    if stage.start_date > today:
        return StageStatus.GEPLAND
    if stage.end_date < today:
        return StageStatus.AFGEROND
    return StageStatus.LOPEND
