"""Who may do what with a beoordeling (the action half of stagegids.policy).

These predicates decide by role; whether the step fits the beoordeling's state is the transition's own
precondition on the model (TransitionNotAllowed), shown to the user as a message.
"""

import rules

from leerbedrijf.models import roles_of
from stagegids.roles import Role


@rules.predicate
def is_praktijkopleider_of_stage(user, stage):
    return stage is not None and roles_of(user).has(Role.PRAKTIJKOPLEIDER, stage.leerbedrijf_id)


@rules.predicate
def is_stagiair_of_stage(user, stage):
    return stage is not None and stage.stagiair.user_id == user.pk


@rules.predicate
def is_praktijkbeoordelaar_of_stage(user, stage):
    return (
        stage is not None
        and stage.praktijkbeoordelaar_id == user.pk
        and roles_of(user).has(Role.PRAKTIJKBEOORDELAAR, stage.leerbedrijf_id)
    )


@rules.predicate
def is_praktijkopleider(user, beoordeling):
    return beoordeling is not None and beoordeling.is_praktijkopleider(user)


@rules.predicate
def fills_a_part(user, beoordeling):
    return beoordeling is not None and beoordeling.party_of(user) is not None


@rules.predicate
def signs(user, beoordeling):
    return beoordeling is not None and beoordeling.signer_side(user) is not None


@rules.predicate
def concludes(user, beoordeling):
    if beoordeling is None:
        return False
    return beoordeling.is_praktijkopleider(user) or (beoordeling.is_eind and beoordeling.is_praktijkbeoordelaar(user))


@rules.predicate
def adjusts_sjabloon(user, leerbedrijf):
    return leerbedrijf is not None and roles_of(user).has(Role.PRAKTIJKOPLEIDER, leerbedrijf.pk)


rules.add_perm(
    "beoordeling.view_for_stage",
    is_praktijkopleider_of_stage | is_stagiair_of_stage | is_praktijkbeoordelaar_of_stage,
)
rules.add_perm("beoordeling.start", is_praktijkopleider_of_stage)
rules.add_perm("beoordeling.start_eind", is_praktijkopleider_of_stage | is_praktijkbeoordelaar_of_stage)
rules.add_perm("beoordeling.fill", fills_a_part)
rules.add_perm("beoordeling.open_gesprek", is_praktijkopleider)
rules.add_perm("beoordeling.conclude", concludes)
rules.add_perm("beoordeling.sign", signs)
rules.add_perm("beoordeling.correct", concludes)
rules.add_perm("beoordeling.ask_colleague", is_praktijkopleider)
rules.add_perm("beoordeling.adjust_sjabloon", adjusts_sjabloon)
