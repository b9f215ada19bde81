"""Who may do what with tussenbeoordelingen, bpv-beoordelingen and pvb's, their forms and collega-feedback (the
action half of stagegids.policy); seeing is decided by visible_to().

These predicates decide by role; whether the step fits the beoordeling's state is the transition's own
precondition on the model (TransitionNotAllowed), shown to the user as a message. Who fills in, concludes and signs
each kind for the company is said once, in models.COMPANY_ROLES.
"""

from functools import reduce
from operator import or_

import rules

from leerbedrijf.predicates import is_mbo_begeleider, is_praktijkbeoordelaar, is_praktijkopleider, is_stagiair
from stagegids.roles import Role

from .models import COMPANY_ROLES, BeoordelingKind


@rules.predicate
def fills_a_part(user, beoordeling):
    return beoordeling is not None and beoordeling.party_of(user) is not None


@rules.predicate
def signs(user, beoordeling):
    return beoordeling is not None and beoordeling.signer_side(user) is not None


@rules.predicate
def concludes(user, beoordeling):
    return beoordeling is not None and bool(beoordeling.company_role(user))


@rules.predicate
def writes_school_part(user, beoordeling):
    return beoordeling is not None and beoordeling.is_eind and beoordeling.stage.is_mbo_begeleider(user)


ON_STAGE = {Role.PRAKTIJKOPLEIDER: is_praktijkopleider, Role.PRAKTIJKBEOORDELAAR: is_praktijkbeoordelaar}


def start_permission(kind):
    """A beoordeling of `kind` is started by whoever fills in its company part."""
    return f"beoordeling.start_{kind}"


for kind in BeoordelingKind.values:
    rules.add_perm(start_permission(kind), reduce(or_, (ON_STAGE[role] for role in COMPANY_ROLES[kind])))
# Whoever may start any kind: they see the planned beoordelingsmomenten, and a start without a valid kind is
# refused with a message rather than a 403.
STARTERS = sorted({role for roles in COMPANY_ROLES.values() for role in roles})
rules.add_perm("beoordeling.start_any", reduce(or_, (ON_STAGE[role] for role in STARTERS)))

# The mbo-begeleider sees the stage's eindbeoordelingen (Beoordeling.visible_to) and writes the school's part there.
rules.add_perm(
    "beoordeling.view_for_stage",
    is_praktijkopleider | is_stagiair | is_praktijkbeoordelaar | is_mbo_begeleider,
)
rules.add_perm("beoordeling.fill", fills_a_part)
rules.add_perm("beoordeling.open_gesprek", is_praktijkopleider)
rules.add_perm("beoordeling.conclude", concludes)
rules.add_perm("beoordeling.sign", signs)
rules.add_perm("beoordeling.correct", concludes)
rules.add_perm("beoordeling.ask_colleague", is_praktijkopleider)
rules.add_perm("beoordeling.write_school_part", writes_school_part)
rules.add_perm("beoordeling.adjust_sjabloon", is_praktijkopleider)
