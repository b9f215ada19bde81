"""Who may do what with a stageplan and observaties (the action half of stagegids.policy).

Seeing is decided by the querysets' visible_to() (models.plan_stages); the stage predicates are leerbedrijf.predicates.
"""

import rules

from leerbedrijf.models import Stage, roles_of
from leerbedrijf.predicates import (
    is_company_side,
    is_meewerkende_collega,
    is_on_stage,
    is_praktijkopleider,
    is_stagiair,
    is_werkplekbegeleider,
)
from stagegids.roles import BEGELEIDER_ROLES, Role


def _helps_today(user):
    """A meewerkende collega today, whatever role they hold in the company (asked only when nothing else says yes)."""
    return Stage.objects.for_roles(user, Role.MEEWERKENDE_COLLEGA).exists()


@rules.predicate
def records_observaties(user):
    """Someone who records observaties somewhere: a begeleider, a praktijkopleider or a meewerkende collega."""
    return user.is_authenticated and (
        bool(roles_of(user).leerbedrijf_ids(Role.PRAKTIJKOPLEIDER, *BEGELEIDER_ROLES)) or _helps_today(user)
    )


@rules.predicate
def sees_observaties(user):
    return user.is_authenticated and (
        bool(roles_of(user).leerbedrijf_ids(Role.PRAKTIJKOPLEIDER, Role.PRAKTIJKBEOORDELAAR, *BEGELEIDER_ROLES))
        or user.stagiairs.exists()
        or _helps_today(user)
    )


# A meewerkende collega reads the plan (plan_stages) and records observaties, during their period; they do not
# write in the plan, plan moments or hold gesprekken: that stays with the eerste werkplekbegeleider.
rules.add_perm("stageplan.view_stageplan", is_company_side | is_meewerkende_collega)
rules.add_perm("stageplan.edit_stageplan", is_stagiair | is_praktijkopleider)
rules.add_perm("stageplan.comment", is_stagiair | is_praktijkopleider)
rules.add_perm("stageplan.agree", is_stagiair | is_praktijkopleider)
rules.add_perm("stageplan.view_shared", is_on_stage | is_meewerkende_collega)
# The moments (ch. 7, 8): the praktijkopleider and the werkplekbegeleider plan, move and cancel them and decide on
# what the stagiair proposes; the school sees those it takes part in (models.WITH_SCHOOL), read-only.
rules.add_perm("stageplan.view_moments", is_on_stage)
rules.add_perm("stageplan.plan_moment", is_praktijkopleider | is_werkplekbegeleider)
rules.add_perm("stageplan.propose_moment", is_stagiair)
rules.add_perm("stageplan.add_observatie", is_werkplekbegeleider | is_praktijkopleider | is_meewerkende_collega)
rules.add_perm("stageplan.record_observaties", records_observaties)
rules.add_perm("stageplan.view_observaties", sees_observaties)
