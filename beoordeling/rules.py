"""Who may do what in beoordeling (the action half of stagegids.policy); seeing is decided by visible_to()."""

import rules

from leerbedrijf.predicates import (
    is_company_side,
    is_mbo_begeleider,
    is_praktijkbeoordelaar,
    is_praktijkopleider,
    is_stagiair,
    is_werkplekbegeleider,
)

# --- Voortgangsgesprekken, afspraken and evaluatie ----------------------------------------------------------------
#
# The praktijkopleider holds the gesprekken and closes them: they are SBB-erkend and answer for the begeleiding.
# The stage's werkplekbegeleider may write the notes and afspraken too: DESIGN.md has them prepare gesprekken, and
# they work beside the stagiair every day, so in many companies they hold the gesprek. Closing (afronden) stays
# with the praktijkopleider, who then answers for the verslag. The stagiair writes the zelfreflectie and the
# evaluatie; nobody else writes in their name. The mbo-begeleider sees nothing of this until sharing is built.


@rules.predicate
def is_afspraak_owner(user, afspraak):
    return afspraak is not None and user.is_authenticated and afspraak.owner_id == user.pk


# The company side of the stage and the stagiair read the gesprekken (gesprek_stages), the school does not.
rules.add_perm("beoordeling.view_gesprekken", is_company_side)
rules.add_perm("beoordeling.write_zelfreflectie", is_stagiair)
rules.add_perm("beoordeling.write_gesprek", is_praktijkopleider | is_werkplekbegeleider)
rules.add_perm("beoordeling.afronden_gesprek", is_praktijkopleider)
rules.add_perm("beoordeling.change_afspraak", is_afspraak_owner | is_praktijkopleider | is_werkplekbegeleider)
rules.add_perm("beoordeling.fill_evaluatie", is_stagiair)
rules.add_perm("beoordeling.record_evaluatie", is_praktijkopleider)
rules.add_perm("beoordeling.view_evaluatie_overzicht", is_praktijkopleider)


# --- Beoordelingen: tussenbeoordeling, bpv-beoordeling and pvb ------------------------------------------------------
#
# These predicates decide by role; whether the step fits the beoordeling's state is the transition's own
# precondition on the model (TransitionNotAllowed), shown to the user as a message.


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
