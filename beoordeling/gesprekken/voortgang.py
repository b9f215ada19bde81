"""The begeleiding's column of the voortgang overview: the afspraken of the gesprekken still open (the to-dos), of
the stages whose gesprekken the user sees."""

from django.db.models import Case, Count, IntegerField, OuterRef, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from leerbedrijf.models import holds_condition
from leerbedrijf.voortgang.columns import Column, register
from stagegids.roles import COMPANY_SIDE

from .models import Afspraak


def with_open_afspraken(stages, user):
    rows = (
        Afspraak.objects.open()
        .filter(stage=OuterRef("pk"))
        .order_by()
        .values("stage")
        .annotate(n=Count("pk"))
        .values("n")
    )
    count = Coalesce(Subquery(rows, output_field=IntegerField()), 0)
    return stages.annotate(
        # gesprek_stages, asked of each row rather than as a subquery of all stages.
        afspraken_open=Case(When(holds_condition(user, *COMPANY_SIDE), then=count), default=Value(None))
    )


register(
    Column(
        "afspraken",
        _("Open afspraken"),
        template="beoordeling/voortgang/cell_count.html",
        order=70,
        annotate=with_open_afspraken,
        read=lambda stage: None if stage.afspraken_open is None else (stage.afspraken_open, 0),
        sort="afspraken_open",
    )
)
