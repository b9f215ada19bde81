"""Who may do what with a stageplan and observaties (the action half of stagegids.policy).

Seeing is decided by the querysets' visible_to() (models.plan_stages); the stage predicates are leerbedrijf.predicates.
"""

import rules

from leerbedrijf.models import roles_of
from leerbedrijf.predicates import (
    is_company_side,
    is_on_stage,
    is_praktijkopleider,
    is_stagiair,
    is_werkplekbegeleider,
)
from stagegids.roles import BEGELEIDER_ROLES, Role


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


rules.add_perm("stageplan.view_stageplan", is_company_side)
rules.add_perm("stageplan.edit_stageplan", is_stagiair | is_praktijkopleider)
rules.add_perm("stageplan.comment", is_stagiair | is_praktijkopleider)
rules.add_perm("stageplan.agree", is_stagiair | is_praktijkopleider)
rules.add_perm("stageplan.view_shared", is_on_stage)
# The moments (ch. 7, 8): the praktijkopleider and the werkplekbegeleider plan, move and cancel them and decide on
# what the stagiair proposes; the school sees those it takes part in (models.WITH_SCHOOL), read-only.
rules.add_perm("stageplan.view_moments", is_on_stage)
rules.add_perm("stageplan.plan_moment", is_praktijkopleider | is_werkplekbegeleider)
rules.add_perm("stageplan.propose_moment", is_stagiair)
rules.add_perm("stageplan.add_observatie", is_werkplekbegeleider | is_praktijkopleider)
rules.add_perm("stageplan.record_observaties", records_observaties)
rules.add_perm("stageplan.view_observaties", sees_observaties)
