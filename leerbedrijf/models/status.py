"""The status of a stage, derived from its dates (never stored, so it is never out of date)."""

from django.db import models
from django.db.models import Case, Q, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class StageStatus(models.TextChoices):
    GEPLAND = "gepland", _("gepland")
    LOPEND = "lopend", _("lopend")
    AFGEROND = "afgerond", _("afgerond")


def status_condition(status, today=None):
    today = today or timezone.localdate()
    return {
        StageStatus.GEPLAND: Q(start_date__gt=today),
        StageStatus.LOPEND: Q(start_date__lte=today, end_date__gte=today),
        StageStatus.AFGEROND: Q(end_date__lt=today),
    }[status]


def with_status(stages, today=None):
    return stages.annotate(
        status=Case(
            When(status_condition(StageStatus.GEPLAND, today), then=Value(StageStatus.GEPLAND.value)),
            When(status_condition(StageStatus.AFGEROND, today), then=Value(StageStatus.AFGEROND.value)),
            default=Value(StageStatus.LOPEND.value),
            output_field=models.CharField(),
        )
    )
