"""Who may do what with zorgen (the action half of stagegids.policy); seeing is decided by Zorg.visible_to().

The praktijkopleider and the stage's werkplekbegeleider record a concern, edit it and close it: they see the stagiair
at work. Sharing one with the school is the praktijkopleider's choice, as sharing a verslag is: they answer for the
contact with the school. The stagiair reads what is not internal; the mbo-begeleider reads what was shared.
"""

import rules

from leerbedrijf.predicates import is_on_stage, is_praktijkopleider, is_werkplekbegeleider

rules.add_perm("beoordeling.view_zorgen", is_on_stage)
rules.add_perm("beoordeling.record_zorg", is_praktijkopleider | is_werkplekbegeleider)
rules.add_perm("beoordeling.change_zorg", is_praktijkopleider | is_werkplekbegeleider)
rules.add_perm("beoordeling.share_zorg", is_praktijkopleider)
