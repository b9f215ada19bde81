"""Who may do what in a leerbedrijf (the action half of stagegids.policy).

Seeing an object is decided by its queryset's visible_to(); these predicates decide actions on what is visible.
"""

import rules

from stagegids.roles import Role

from .models import Leerbedrijf, OnboardingItem, roles_of


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


# Onboarding (chapter 6). The praktijkopleider runs it; the stage's werkplekbegeleider and whoever holds an item
# take part; the stagiair may follow it. The school is not shown it: the mbo-begeleider sees only what is shared.
def _stage(obj):
    return obj.stage if isinstance(obj, OnboardingItem) else obj


@rules.predicate
def is_stage_praktijkopleider(user, obj):
    return obj is not None and _stage(obj).is_praktijkopleider(user)


@rules.predicate
def is_stage_begeleider(user, obj):
    return obj is not None and _stage(obj).is_werkplekbegeleider(user)


@rules.predicate
def is_stage_stagiair(user, obj):
    return obj is not None and _stage(obj).is_stagiair(user)


@rules.predicate
def is_responsible(user, item):
    if item is None or not user.is_authenticated or item.responsible_id != user.pk:
        return False
    return item.stage.leerbedrijf_id in roles_of(user).leerbedrijf_ids()


@rules.predicate
def holds_an_item(user, stage):
    if stage is None or not user.is_authenticated or stage.leerbedrijf_id not in roles_of(user).leerbedrijf_ids():
        return False
    return stage.onboarding_items.filter(responsible=user).exists()


rules.add_perm(
    "leerbedrijf.view_onboarding",
    is_stage_praktijkopleider | is_stage_begeleider | is_stage_stagiair | holds_an_item,
)
rules.add_perm("leerbedrijf.tick_onboarding_item", is_stage_praktijkopleider | is_responsible)
rules.add_perm("leerbedrijf.assign_onboarding_item", is_stage_praktijkopleider)
rules.add_perm("leerbedrijf.manage_onboarding_template", is_praktijkopleider)
rules.add_perm("leerbedrijf.view_stagiairs", is_praktijkopleider)


rules.add_perm("leerbedrijf.intake", is_praktijkopleider)
rules.add_perm("leerbedrijf.edit_stage", is_praktijkopleider)
# Contract dates, hours and the school's people are shared with everyone who sees the stage: the pok is signed by
# company, school and student. The money (stagevergoeding or salaris) is between company and student only, so the
# werkplekbegeleider, praktijkbeoordelaar and mbo-begeleider do not see it.
rules.add_perm("leerbedrijf.view_pay", is_praktijkopleider | is_stage_stagiair)
