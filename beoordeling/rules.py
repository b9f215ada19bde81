"""Who may do what with beoordelingen, gesprekken and verslagen (the action half of stagegids.policy)."""

import rules

from leerbedrijf.models import roles_of
from stagegids.roles import Role


def _stage(obj):
    return getattr(obj, "stage", obj)


@rules.predicate
def is_praktijkopleider_of_stage(user, obj):
    return obj is not None and roles_of(user).has(Role.PRAKTIJKOPLEIDER, _stage(obj).leerbedrijf_id)


@rules.predicate
def is_stagiair_of_stage(user, obj):
    return obj is not None and _stage(obj).stagiair.user_id == user.pk


@rules.predicate
def is_mbo_begeleider_of_stage(user, obj):
    stage = _stage(obj)
    return (
        obj is not None
        and stage.mbo_begeleider_id == user.pk
        and stage.onderwijsinstelling_id in roles_of(user).school_ids()
    )


@rules.predicate
def is_shared(user, verslag):
    return verslag.is_shared


# Verslagen and the stagemap.
rules.add_perm("beoordeling.share_verslag", is_praktijkopleider_of_stage)
rules.add_perm("beoordeling.review_verslag", is_mbo_begeleider_of_stage & is_shared)
rules.add_perm(
    "beoordeling.comment_verslag",
    is_praktijkopleider_of_stage | is_stagiair_of_stage | (is_mbo_begeleider_of_stage & is_shared),
)
rules.add_perm("beoordeling.export_stagemap", is_praktijkopleider_of_stage | is_stagiair_of_stage)
