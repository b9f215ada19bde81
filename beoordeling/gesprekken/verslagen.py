"""The verslag kind of the begeleiding in the stagemap: an afgerond voortgangsgesprek, rendered from its own data
and seen by whoever may see the gesprekken (the scope its pages use), plus the stage's mbo-begeleider once shared
(stagemap.kinds).
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from stagegids.roles import COMPANY_SIDE, SCHOOL_SIDE
from stagemap import kinds
from stageplan.models import MomentKind

from .models import Driegesprek, Voortgangsgesprek


class VoortgangsgesprekVerslag(kinds.VerslagKind):
    code = "voortgangsgesprek"
    label = gettext_lazy("verslag voortgangsgesprek")

    # As gesprek_stages: the company side.
    source_roles = COMPANY_SIDE

    def finished(self, stage):
        return (
            Voortgangsgesprek.objects.filter(
                moment__stage=stage, moment__kind=MomentKind.VOORTGANGSGESPREK, afgerond_at__isnull=False
            )
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


VOORTGANGSGESPREK = kinds.register(VoortgangsgesprekVerslag())


class DriegesprekVerslag(kinds.VerslagKind):
    """An afgerond driegesprek: seen by everyone on the stage, the mbo-begeleider too, who took part in it."""

    code = "driegesprek"
    label = gettext_lazy("verslag driegesprek")

    # As driegesprek_stages: the company side and the mbo-begeleider.
    source_roles = (*COMPANY_SIDE, *SCHOOL_SIDE)

    def finished(self, stage):
        return (
            Driegesprek.objects.filter(moment__stage=stage, afgerond_at__isnull=False)
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
            title=_("Verslag %(kind)s van %(date)s") % {"kind": data["kind"], "date": starts_at.strftime("%-d-%-m-%Y")},
            template="verslagen/driegesprek.html",
            context={
                "data": data,
                "moment_at": starts_at,
                "afspraken": [{**a, "due_date": kinds.parse_date(a["due_date"])} for a in data["afspraken"]],
                "earlier_afspraken": [
                    {**a, "due_date": kinds.parse_date(a["due_date"]), "done_at": kinds.parse_date(a["done_at"])}
                    for a in data["earlier_afspraken"]
                ],
            },
            signatures=[{"role": _("afgerond door"), "name": data["afgerond_by"] or "", "at": data["afgerond_at"]}],
        )


DRIEGESPREK = kinds.register(DriegesprekVerslag())
