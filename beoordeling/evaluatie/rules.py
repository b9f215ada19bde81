"""Who may do what with the evaluatie (the action half of stagegids.policy); seeing is decided by visible_to().

The stagiair writes the evaluatie; nobody else writes in their name. The praktijkopleider records the
evaluatiegesprek and reads the lessons of all evaluaties of the company.
"""

import rules

from leerbedrijf.predicates import is_praktijkopleider, is_stagiair

# Who sees the evaluatie: the same people as Evaluatie.objects.visible_to (evaluatie_stages), for one stage.
rules.add_perm("beoordeling.view_evaluatie", is_praktijkopleider | is_stagiair)
rules.add_perm("beoordeling.fill_evaluatie", is_stagiair)
rules.add_perm("beoordeling.record_evaluatie", is_praktijkopleider)
rules.add_perm("beoordeling.view_evaluatie_overzicht", is_praktijkopleider)
