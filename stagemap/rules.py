"""Who may do what with verslagen and the stagemap (the action half of stagegids.policy).

Seeing a verslag is Verslag.objects.visible_to (its kind's source scope, plus the school once shared); these rules
decide actions on what is visible. The praktijkopleider makes and shares verslagen; the mbo-begeleider reviews and
comments on what is shared; the stagiair comments and takes the whole stagemap as a pdf.
"""

import rules

from leerbedrijf.models import Stage


def _stage(obj):
    return obj if isinstance(obj, Stage) else obj.stage


@rules.predicate
def is_stage_praktijkopleider(user, obj):
    return obj is not None and _stage(obj).is_praktijkopleider(user)


@rules.predicate
def is_stage_stagiair(user, obj):
    return obj is not None and _stage(obj).is_stagiair(user)


@rules.predicate
def is_stage_mbo_begeleider(user, obj):
    return obj is not None and _stage(obj).is_mbo_begeleider(user)


@rules.predicate
def is_shared(user, verslag):
    return verslag.is_shared


rules.add_perm("stagemap.share_verslag", is_stage_praktijkopleider)
rules.add_perm("stagemap.make_verslagen", is_stage_praktijkopleider)
rules.add_perm("stagemap.review_verslag", is_stage_mbo_begeleider & is_shared)
rules.add_perm(
    "stagemap.comment_verslag",
    is_stage_praktijkopleider | is_stage_stagiair | (is_stage_mbo_begeleider & is_shared),
)
rules.add_perm("stagemap.export_stagemap", is_stage_praktijkopleider | is_stage_stagiair)
