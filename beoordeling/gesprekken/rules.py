"""Who may do what with voortgangsgesprekken and afspraken (the action half of stagegids.policy); seeing is decided
by visible_to().

The praktijkopleider holds the gesprekken and closes them: they are SBB-erkend and answer for the begeleiding.
The stage's werkplekbegeleider may write the notes and afspraken too: DESIGN.md has them prepare gesprekken, and
they work beside the stagiair every day, so in many companies they hold the gesprek. Closing (afronden) stays
with the praktijkopleider, who then answers for the verslag. The stagiair writes the zelfreflectie; nobody else
writes in their name. The mbo-begeleider sees nothing of this until sharing is built.
"""

import rules

from leerbedrijf.predicates import (
    is_company_side,
    is_mbo_begeleider,
    is_on_stage,
    is_praktijkopleider,
    is_stagiair,
    is_werkplekbegeleider,
)


@rules.predicate
def is_afspraak_owner(user, afspraak):
    return afspraak is not None and user.is_authenticated and afspraak.owner_id == user.pk


# The company side of the stage and the stagiair read the gesprekken (gesprek_stages), the school does not.
rules.add_perm("beoordeling.view_gesprekken", is_company_side)
rules.add_perm("beoordeling.write_zelfreflectie", is_stagiair)
rules.add_perm("beoordeling.write_gesprek", is_praktijkopleider | is_werkplekbegeleider)
rules.add_perm("beoordeling.afronden_gesprek", is_praktijkopleider)
rules.add_perm("beoordeling.change_afspraak", is_afspraak_owner | is_praktijkopleider | is_werkplekbegeleider)
# A driegesprek (start-, midden-, eindgesprek) is with the school: everyone on the stage reads it; whoever holds the
# voortgangsgesprekken records who took part, what was discussed and the afspraken, the mbo-begeleider writes his
# own notes beside them, and the praktijkopleider closes it as he closes a voortgangsgesprek.
rules.add_perm("beoordeling.view_driegesprek", is_on_stage)
rules.add_perm("beoordeling.write_driegesprek_school", is_mbo_begeleider)
