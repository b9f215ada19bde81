"""Who may do what with verslagen and the stagemap (the action half of stagegids.policy).

Seeing a verslag is Verslag.objects.visible_to (its kind's source scope, plus the school once shared); these rules
decide actions on what is visible. The praktijkopleider makes and shares verslagen; the mbo-begeleider reviews and
comments on what is shared; the stagiair comments and takes the whole stagemap as a pdf.
"""

import rules

from leerbedrijf.predicates import is_mbo_begeleider, is_on_stage, is_praktijkopleider, is_stagiair


@rules.predicate
def is_shared(user, verslag):
    return verslag.is_shared


# Everyone who follows the stage has a stagemap; a meewerkende collega, who helps for a period, does not.
rules.add_perm("stagemap.view_stagemap", is_on_stage)
rules.add_perm("stagemap.share_verslag", is_praktijkopleider)
rules.add_perm("stagemap.make_verslagen", is_praktijkopleider)
rules.add_perm("stagemap.review_verslag", is_mbo_begeleider & is_shared)
rules.add_perm(
    "stagemap.comment_verslag",
    is_praktijkopleider | is_stagiair | (is_mbo_begeleider & is_shared),
)
rules.add_perm("stagemap.export_stagemap", is_praktijkopleider | is_stagiair)
