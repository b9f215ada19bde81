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
def is_company_member(user, obj):
    if obj is None or not user.is_authenticated:
        return False
    return _leerbedrijf_id(obj) in roles_of(user).leerbedrijf_ids()


# Erkenningen: the praktijkopleider keeps them (gids ch. 3); every colleague in the company may read them and their
# evidence, because they work under the same erkenning. Stagiairs and schools see nothing of them.
rules.add_perm("leerbedrijf.view_erkenningen", is_company_member)
rules.add_perm("leerbedrijf.manage_erkenningen", is_praktijkopleider)
