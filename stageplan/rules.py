"""Who may do what with a stageplan and observaties (the action half of stagegids.policy).

Seeing is decided by the querysets' visible_to() (models.plan_stages); these predicates take a Stage.
"""

import rules

from leerbedrijf.models import roles_of
from stagegids.roles import BEGELEIDER_ROLES, Role


@rules.predicate
def is_stagiair(user, stage):
    return stage is not None and user.is_authenticated and stage.stagiair.user_id == user.pk


@rules.predicate
def is_praktijkopleider(user, stage):
    return (
        stage is not None and user.is_authenticated and roles_of(user).has(Role.PRAKTIJKOPLEIDER, stage.leerbedrijf_id)
    )


@rules.predicate
def is_begeleider(user, stage):
    """The werkplekbegeleider linked to the stage, in a begeleider role (also hybride and informele begeleider)."""
    if stage is None or not user.is_authenticated or stage.werkplekbegeleider_id != user.pk:
        return False
    return bool(roles_of(user).leerbedrijf_ids(*BEGELEIDER_ROLES) & {stage.leerbedrijf_id})


@rules.predicate
def is_praktijkbeoordelaar(user, stage):
    if stage is None or not user.is_authenticated or stage.praktijkbeoordelaar_id != user.pk:
        return False
    return roles_of(user).has(Role.PRAKTIJKBEOORDELAAR, stage.leerbedrijf_id)


@rules.predicate
def is_mbo_begeleider(user, stage):
    if stage is None or not user.is_authenticated or stage.mbo_begeleider_id != user.pk:
        return False
    return stage.onderwijsinstelling_id in roles_of(user).school_ids()


@rules.predicate
def records_observaties(user):
    """Someone who records observaties somewhere: a begeleider or a praktijkopleider."""
    return user.is_authenticated and bool(roles_of(user).leerbedrijf_ids(Role.PRAKTIJKOPLEIDER, *BEGELEIDER_ROLES))


@rules.predicate
def sees_observaties(user):
    return user.is_authenticated and (
        bool(roles_of(user).leerbedrijf_ids(Role.PRAKTIJKOPLEIDER, Role.PRAKTIJKBEOORDELAAR, *BEGELEIDER_ROLES))
        or user.stagiairs.exists()
    )


rules.add_perm("stageplan.view_stageplan", is_stagiair | is_praktijkopleider | is_begeleider | is_praktijkbeoordelaar)
rules.add_perm("stageplan.edit_stageplan", is_stagiair | is_praktijkopleider)
rules.add_perm("stageplan.comment", is_stagiair | is_praktijkopleider)
rules.add_perm("stageplan.agree", is_stagiair | is_praktijkopleider)
rules.add_perm(
    "stageplan.view_shared",
    is_stagiair | is_praktijkopleider | is_begeleider | is_praktijkbeoordelaar | is_mbo_begeleider,
)
rules.add_perm("stageplan.add_observatie", is_begeleider | is_praktijkopleider)
rules.add_perm("stageplan.record_observaties", records_observaties)
rules.add_perm("stageplan.view_observaties", sees_observaties)
