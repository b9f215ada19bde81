"""The verslag kinds of this app's documents in the stagemap: an afgerond voortgangsgesprek, a signed tussen- or
eindbeoordeling, a recorded evaluatie. Each renders from its source's own data, and is seen by whoever may see that
source (the same scope functions its pages use), plus the stage's mbo-begeleider once shared (stagemap.kinds).
"""

from django.db.models import Prefetch
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from stagemap import kinds

from .comparison import compare
from .models import (
    EIND_KINDS,
    Beoordeling,
    BeoordelingKind,
    BeoordelingState,
    Evaluatie,
    Invulling,
    Voortgangsgesprek,
)
from .models.gesprek import evaluatie_stages, gesprek_stages


class VoortgangsgesprekVerslag(kinds.VerslagKind):
    code = "voortgangsgesprek"
    label = gettext_lazy("verslag voortgangsgesprek")

    def source_stages(self, user):
        return gesprek_stages(user)

    def finished(self, stage):
        return (
            Voortgangsgesprek.objects.filter(moment__stage=stage, afgerond_at__isnull=False)
            .select_related("moment__stage")
            .order_by("moment__starts_at")
        )

    def source(self, gesprek):
        return gesprek, gesprek.verslag()["notes_version"]

    def build(self, gesprek):
        data = gesprek.verslag()
        starts_at = kinds.parse_date(data["moment"]["starts_at"])
        return kinds.Draft(
            stage=gesprek.moment.stage,
            title=_("Verslag voortgangsgesprek van %(date)s") % {"date": starts_at.strftime("%-d-%-m-%Y")},
            template="verslagen/voortgangsgesprek.html",
            context={
                "data": data,
                "moment_at": starts_at,
                "observaties": [{**o, "date": kinds.parse_date(o["date"])} for o in data["observaties"]],
                "afspraken": [{**a, "due_date": kinds.parse_date(a["due_date"])} for a in data["afspraken"]],
                "earlier_afspraken": [
                    {**a, "due_date": kinds.parse_date(a["due_date"]), "done_at": kinds.parse_date(a["done_at"])}
                    for a in data["earlier_afspraken"]
                ],
            },
            signatures=[{"role": _("afgerond door"), "name": data["afgerond_by"] or "", "at": data["afgerond_at"]}],
        )


def _chain_root(beoordeling):
    """A correction is a new Beoordeling row; the verslagen of the whole chain share its first version as source."""
    while beoordeling.previous_id:
        beoordeling = Beoordeling.objects.get(pk=beoordeling.previous_id)
    return beoordeling


class _BeoordelingVerslag(kinds.VerslagKind):
    """A signed beoordeling of one of `beoordeling_kinds`."""

    beoordeling_kinds: tuple
    template: str

    def source_stages(self, user):
        return Beoordeling.objects.visible_to(user).filter(kind__in=self.beoordeling_kinds).values("stage_id")

    def finished(self, stage):
        return (
            stage.beoordelingen.filter(state=BeoordelingState.ONDERTEKEND, kind__in=self.beoordeling_kinds)
            .prefetch_related(Prefetch("invullingen", Invulling.objects.all()))
            .order_by("created_at")
        )

    def source(self, beoordeling):
        return _chain_root(beoordeling), beoordeling.version

    def build(self, beoordeling):
        if beoordeling.state != BeoordelingState.ONDERTEKEND:
            raise ValueError("Alleen een ondertekende beoordeling krijgt een verslag.")
        invullingen = list(
            beoordeling.invullingen.select_related("submitted_by")
            .prefetch_related("antwoorden")
            .filter(party__in=beoordeling.parties)
        )
        order = {party: i for i, party in enumerate(beoordeling.parties)}
        invullingen.sort(key=lambda invulling: order[invulling.party])
        groups = compare(
            beoordeling=beoordeling, criteria=list(beoordeling.criteria.all()), invullingen=invullingen, observaties=[]
        )
        title = _("%(kind)s, versie %(version)s") % {
            "kind": beoordeling.get_kind_display(),
            "version": beoordeling.version,
        }
        return kinds.Draft(
            stage=beoordeling.stage,
            title=title[:1].upper() + title[1:],
            template=self.template,
            context={
                "beoordeling": beoordeling,
                "groups": groups,
                "columns": [invulling.get_party_display() for invulling in invullingen],
                "differences": sum(1 for group in groups for row in group.rows if row.differs),
            },
            signatures=[
                kinds.signature(
                    _("namens het leerbedrijf"), beoordeling.bedrijf_signed_by, beoordeling.bedrijf_signed_at
                ),
                kinds.signature(_("stagiair"), beoordeling.stagiair_signed_by, beoordeling.stagiair_signed_at),
            ],
        )


class TussenbeoordelingVerslag(_BeoordelingVerslag):
    code = "tussenbeoordeling"
    label = gettext_lazy("verslag tussenbeoordeling")
    beoordeling_kinds = (BeoordelingKind.TUSSENBEOORDELING,)
    template = "verslagen/tussenbeoordeling.html"


class EindbeoordelingVerslag(_BeoordelingVerslag):
    code = "eindbeoordeling"
    label = gettext_lazy("eindbeoordeling")
    beoordeling_kinds = EIND_KINDS
    template = "verslagen/eindbeoordeling.html"


class EvaluatieVerslag(kinds.VerslagKind):
    code = "evaluatie"
    label = gettext_lazy("evaluatie")

    def source_stages(self, user):
        return evaluatie_stages(user)

    def finished(self, stage):
        return Evaluatie.objects.filter(stage=stage, recorded_at__isnull=False).select_related("stage")

    def source(self, evaluatie):
        return evaluatie, evaluatie.afronding_version

    def build(self, evaluatie):
        if evaluatie.recorded_at is None:
            raise ValueError("Alleen een vastgelegde evaluatie krijgt een verslag.")
        return kinds.Draft(
            stage=evaluatie.stage,
            title=_("Evaluatie van de stage"),
            template="verslagen/evaluatie.html",
            context={
                "evaluatie": evaluatie,
                "questions": evaluatie.questions_with_answers(),
                "prospects": evaluatie.prospects(),
            },
            signatures=[kinds.signature(_("vastgelegd door"), evaluatie.recorded_by, evaluatie.recorded_at)],
        )


VOORTGANGSGESPREK = kinds.register(VoortgangsgesprekVerslag())
TUSSENBEOORDELING = kinds.register(TussenbeoordelingVerslag())
EINDBEOORDELING = kinds.register(EindbeoordelingVerslag())
EVALUATIE = kinds.register(EvaluatieVerslag())
