"""Who may do what with the hours and the ziekmeldingen of a stage (the action half of stagegids.policy); seeing is
decided by visible_to() in models.py.

The stagiair and the werkplekbegeleider fill in a week: they know what was worked. The werkplekbegeleider and the
praktijkopleider approve it, send it back, or correct an approved week: they answer for the hours towards the
school and the schemes that pay for begeleiding. The praktijkbeoordelaar reads along (company side). The school
sees no hours; it sees the ziekmeldingen only where the company chose so for the stage.
"""

import rules

from leerbedrijf.predicates import (
    is_company_side,
    is_mbo_begeleider,
    is_praktijkopleider,
    is_stagiair,
    is_werkplekbegeleider,
    stage_of,
)

from .models import UrenInstelling


@rules.predicate
def school_sees_ziekmeldingen(user, obj):
    stage = stage_of(obj)
    return stage is not None and UrenInstelling.school_sees(stage)


rules.add_perm("uren.view_uren", is_company_side)
rules.add_perm("uren.fill_week", is_stagiair | is_werkplekbegeleider)
rules.add_perm("uren.approve_week", is_werkplekbegeleider | is_praktijkopleider)
rules.add_perm("uren.correct_week", is_werkplekbegeleider | is_praktijkopleider)
rules.add_perm("uren.report_ziek", is_stagiair | is_werkplekbegeleider | is_praktijkopleider)
rules.add_perm("uren.view_ziekmeldingen", is_company_side | (is_mbo_begeleider & school_sees_ziekmeldingen))
rules.add_perm("uren.set_school_ziekmeldingen", is_praktijkopleider)
# A Leerbedrijf: the hours of all its stagiairs.
rules.add_perm("uren.view_company_uren", is_praktijkopleider)
