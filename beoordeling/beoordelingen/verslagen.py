"""The verslag kinds of the beoordeling in the stagemap: a signed tussen- or eindbeoordeling, rendered from its own
data and seen by whoever may see the beoordeling (the scope its pages use), plus the stage's mbo-begeleider once
shared (stagemap.kinds).
"""

from django.db.models import Prefetch
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from stagegids.roles import SCHOOL_SIDE, Role
from stagemap import kinds

from .comparison import compare
from .models import BEOORDELING_READERS, EIND_KINDS, Beoordeling, BeoordelingKind, BeoordelingState, Invulling


def _chain_root(beoordeling):
    """A correction is a new Beoordeling row; the verslagen of the whole chain share its first version as source."""
    while beoordeling.previous_id:
        beoordeling = Beoordeling.objects.get(pk=beoordeling.previous_id)
    return beoordeling


class _BeoordelingVerslag(kinds.VerslagKind):
    """A signed beoordeling of one of `beoordeling_kinds`."""

    beoordeling_kinds: tuple
    template: str

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
                    _signer_label(beoordeling), beoordeling.bedrijf_signed_by, beoordeling.bedrijf_signed_at
                ),
                kinds.signature(_("stagiair"), beoordeling.stagiair_signed_by, beoordeling.stagiair_signed_at),
            ],
        )


def _signer_label(beoordeling):
    """The company's signature names the role it was given in: a bpv-beoordeling is signed by the praktijkopleider or
    by the stage's praktijkbeoordelaar, a pvb by the praktijkbeoordelaar."""
    role = beoordeling.signed_as("bedrijf")
    if not role:
        return _("namens het leerbedrijf")
    return _("%(role)s, namens het leerbedrijf") % {"role": Role(role).label.lower()}


class TussenbeoordelingVerslag(_BeoordelingVerslag):
    code = "tussenbeoordeling"
    label = gettext_lazy("verslag tussenbeoordeling")
    beoordeling_kinds = (BeoordelingKind.TUSSENBEOORDELING,)
    source_roles = BEOORDELING_READERS
    template = "verslagen/tussenbeoordeling.html"


class EindbeoordelingVerslag(_BeoordelingVerslag):
    code = "eindbeoordeling"
    label = gettext_lazy("eindbeoordeling")
    beoordeling_kinds = EIND_KINDS
    # Beoordeling.objects.visible_to: the school has a part of its own in the eindbeoordeling.
    source_roles = (*BEOORDELING_READERS, *SCHOOL_SIDE)
    template = "verslagen/eindbeoordeling.html"


TUSSENBEOORDELING = kinds.register(TussenbeoordelingVerslag())
EINDBEOORDELING = kinds.register(EindbeoordelingVerslag())
