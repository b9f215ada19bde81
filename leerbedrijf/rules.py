"""Who may do what in a leerbedrijf (the action half of stagegids.policy).

Seeing an object is decided by its queryset's visible_to(); these predicates decide actions on what is visible.
"""

import rules

from stagegids.roles import Role

from .models import Leerbedrijf, roles_of


def _leerbedrijf_id(obj):
    return obj.pk if isinstance(obj, Leerbedrijf) else obj.leerbedrijf_id


@rules.predicate
def is_praktijkopleider(user, obj):
    if obj is None or not user.is_authenticated:
        return False
    return roles_of(user).has(Role.PRAKTIJKOPLEIDER, _leerbedrijf_id(obj))


rules.add_perm("leerbedrijf.view_leerbedrijf", is_praktijkopleider)
rules.add_perm("leerbedrijf.invite", is_praktijkopleider)
rules.add_perm("leerbedrijf.manage_people", is_praktijkopleider)


@rules.predicate
def is_own_stage(user, stage):
    return stage is not None and user.is_authenticated and stage.stagiair.user_id == user.pk


rules.add_perm("leerbedrijf.intake", is_praktijkopleider)
rules.add_perm("leerbedrijf.edit_stage", is_praktijkopleider)
# Contract dates, hours and the school's people are shared with everyone who sees the stage: the pok is signed by
# company, school and student. The money (stagevergoeding or salaris) is between company and student only, so the
# werkplekbegeleider, praktijkbeoordelaar and mbo-begeleider do not see it.
rules.add_perm("leerbedrijf.view_pay", is_praktijkopleider | is_own_stage)
