"""What a subsidy dossier keeps of an ended stage, and for how long (issue 17).

A stage for which a dossier was made (its own, or the company's of a studiejaar it ran in) is held past the usual
retention (leerbedrijf/retention.py) until the scheme's administration may go: the end of the dossier's studiejaar
plus the scheme's `Regelingsjaar.retention_years`. The published figures have no bewaartermijn yet (their notes say
"controleren"); while a figure is empty, settings.RETENTION_SUBSIDY_FALLBACK_YEARS holds (seven: the fiscal duty).
The longest of the schemes that held in that studiejaar counts.

It keeps exactly what the dossier is made of (dossier.py): the signed pok and bpv-overeenkomst, the weeks of hours
with their days, begeleiding and corrections, the interruptions (they decide which weeks count), the dossiers
themselves and the current signed verslagen appended as proof of begeleiding. The rest of the stage goes at the
usual time; these go, with the stage, when the hold ends. A dossier of the whole company goes at the same moment.
"""

from datetime import date, timedelta

from django.conf import settings
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from leerbedrijf.retention import Hold, register_hold
from stagegids.retention import Rule, register
from uren.models import studiejaar_bounds, studiejaar_of

from .models import Dossier, Regelingsjaar

KEEPS = {
    "tegemoetkoming.StageDocument": None,
    "tegemoetkoming.Dossier": None,
    "uren.Urenweek": None,
    "leerbedrijf.StageStop": None,
    "stagemap.Verslag": Q(replaced_by__isnull=True) & ~Q(signatures=[]),
}


def retention_years(studiejaar: int) -> int:
    """The years the schemes that held during `studiejaar` require; the fallback while none has a figure."""
    first, last = studiejaar_bounds(studiejaar)
    years = Regelingsjaar.objects.filter(valid_from__lte=last, valid_until__gte=first).aggregate(
        years=Max("retention_years")
    )["years"]
    return years if years is not None else settings.RETENTION_SUBSIDY_FALLBACK_YEARS


def kept_until(studiejaar: int) -> date:
    end = studiejaar_bounds(studiejaar)[1]
    return end.replace(year=end.year + retention_years(studiejaar))


def held_stages(stages):
    """{stage id: the last day its dossiers need it} for the stages of the queryset that have a dossier."""
    stages = list(stages.only("pk", "leerbedrijf_id", "start_date", "end_date"))
    years = {}
    own = Dossier.objects.filter(stage__in=[s.pk for s in stages]).values_list("stage_id", "studiejaar")
    for stage_id, studiejaar in own:
        years.setdefault(stage_id, set()).add(studiejaar)
    company = Dossier.objects.filter(stage__isnull=True, leerbedrijf__in={s.leerbedrijf_id for s in stages})
    by_company = {}
    for leerbedrijf_id, studiejaar in company.values_list("leerbedrijf_id", "studiejaar"):
        by_company.setdefault(leerbedrijf_id, set()).add(studiejaar)
    for stage in stages:
        ran = range(studiejaar_of(stage.start_date), studiejaar_of(stage.end_date) + 1)
        for studiejaar in by_company.get(stage.leerbedrijf_id, ()):
            if studiejaar in ran:
                years.setdefault(stage.pk, set()).add(studiejaar)
    cache = {}
    return {
        stage_id: max(cache.setdefault(y, kept_until(y)) for y in studiejaren)
        for stage_id, studiejaren in years.items()
    }


def company_dossiers(run):
    """A dossier of the whole company (no stage to go with) once its scheme's retention has passed."""
    today = timezone.localdate(run.now)
    expired = [
        pk
        for pk, studiejaar in Dossier.objects.filter(stage__isnull=True).values_list("pk", "studiejaar")
        if kept_until(studiejaar) < today - timedelta(days=settings.RETENTION_DAYS["dossier"])
    ]
    return run.purge(Dossier.objects.filter(pk__in=expired))


register_hold(Hold(label=_("dossier tegemoetkomingen"), until=held_stages, keeps=KEEPS))
register(Rule("dossier", _("dossiers tegemoetkomingen van het hele bedrijf"), company_dossiers, order=60))
