"""Who may do what with the tegemoetkomingen (the action half of stagegids.policy).

The money goes to the company, and the praktijkopleider applies for it: they see the conditions, keep the signed
agreements and make the dossiers, for one stage or the whole company. The werkplekbegeleider gives and records the
begeleiding the schemes pay for, so they see what is missing on their stagiair's stage, and the agreements. The
stagiair, the praktijkbeoordelaar and the school have no part in the application.
"""

import rules

from leerbedrijf.predicates import is_praktijkopleider, is_werkplekbegeleider

rules.add_perm("tegemoetkoming.view_tegemoetkomingen", is_praktijkopleider | is_werkplekbegeleider)
rules.add_perm("tegemoetkoming.upload_overeenkomst", is_praktijkopleider)
rules.add_perm("tegemoetkoming.make_dossier", is_praktijkopleider)
# On a Leerbedrijf: the overview of all its stages per studiejaar.
rules.add_perm("tegemoetkoming.view_overzicht", is_praktijkopleider)
