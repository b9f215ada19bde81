"""Who may do what with tussenbeoordelingen, bpv-beoordelingen and pvb's, their forms and collega-feedback (the
action half of stagegids.policy); seeing is decided by visible_to().

These predicates decide by role; whether the step fits the beoordeling's state is the transition's own
precondition on the model (TransitionNotAllowed), shown to the user as a message.
"""

import rules

from leerbedrijf.predicates import is_mbo_begeleider, is_praktijkbeoordelaar, is_praktijkopleider, is_stagiair


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
    return beoordeling.stage.is_praktijkopleider(user) or (
        beoordeling.is_eind and beoordeling.stage.is_praktijkbeoordelaar(user)
    )


@rules.predicate
def writes_school_part(user, beoordeling):
    return beoordeling is not None and beoordeling.is_eind and beoordeling.stage.is_mbo_begeleider(user)


# The mbo-begeleider sees the stage's eindbeoordelingen (Beoordeling.visible_to) and writes the school's part there.
rules.add_perm(
    "beoordeling.view_for_stage",
    is_praktijkopleider | is_stagiair | is_praktijkbeoordelaar | is_mbo_begeleider,
)
rules.add_perm("beoordeling.start", is_praktijkopleider)
rules.add_perm("beoordeling.start_eind", is_praktijkopleider | is_praktijkbeoordelaar)
rules.add_perm("beoordeling.fill", fills_a_part)
rules.add_perm("beoordeling.open_gesprek", is_praktijkopleider)
rules.add_perm("beoordeling.conclude", concludes)
rules.add_perm("beoordeling.sign", signs)
rules.add_perm("beoordeling.correct", concludes)
rules.add_perm("beoordeling.ask_colleague", is_praktijkopleider)
rules.add_perm("beoordeling.write_school_part", writes_school_part)
rules.add_perm("beoordeling.adjust_sjabloon", is_praktijkopleider)
