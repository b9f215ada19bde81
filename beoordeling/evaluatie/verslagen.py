"""The verslag kind of the afronding in the stagemap: a recorded evaluatie, rendered from its own data and seen by
whoever may see the evaluatie (the scope its pages use), plus the stage's mbo-begeleider once shared (stagemap.kinds).
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from stagemap import kinds

from .models import EVALUATIE_READERS, Evaluatie


class EvaluatieVerslag(kinds.VerslagKind):
    code = "evaluatie"
    label = gettext_lazy("evaluatie")

    source_roles = EVALUATIE_READERS

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


EVALUATIE = kinds.register(EvaluatieVerslag())
