"""Who may do what in a leerbedrijf (the action half of stagegids.policy).

Seeing an object is decided by its queryset's visible_to(); these predicates decide actions on what is visible.
"""

import rules

from stagegids.roles import BEGELEIDER_ROLES, Role

from .models import roles_of
from .models.onboarding import holds_item_on
from .predicates import is_company_member, is_praktijkopleider, is_stagiair, is_werkplekbegeleider

rules.add_perm("leerbedrijf.view_leerbedrijf", is_praktijkopleider)
rules.add_perm("leerbedrijf.invite", is_praktijkopleider)
rules.add_perm("leerbedrijf.manage_people", is_praktijkopleider)


# Erkenningen: the praktijkopleider keeps them (gids ch. 3); every colleague in the company may read them and their
# evidence, because they work under the same erkenning. Stagiairs and schools see nothing of them.
rules.add_perm("leerbedrijf.view_erkenningen", is_company_member)
rules.add_perm("leerbedrijf.manage_erkenningen", is_praktijkopleider)


# Onboarding (chapter 6). The praktijkopleider runs it; the stage's werkplekbegeleider and whoever holds an item
# take part; the stagiair may follow it. The school is not shown it: the mbo-begeleider sees only what is shared.


@rules.predicate
def is_responsible(user, item):
    return (
        item is not None and user.is_authenticated and item.responsible_id == user.pk and is_company_member(user, item)
    )


@rules.predicate
def holds_an_item(user, stage):
    return is_company_member(user, stage) and holds_item_on(user, stage)


rules.add_perm("leerbedrijf.view_onboarding", is_praktijkopleider | is_werkplekbegeleider | is_stagiair | holds_an_item)
rules.add_perm("leerbedrijf.tick_onboarding_item", is_praktijkopleider | is_responsible)
rules.add_perm("leerbedrijf.assign_onboarding_item", is_praktijkopleider)
rules.add_perm("leerbedrijf.manage_onboarding_template", is_praktijkopleider)
rules.add_perm("leerbedrijf.view_stagiairs", is_praktijkopleider)


rules.add_perm("leerbedrijf.intake", is_praktijkopleider)
# A school not in the portal yet is added by the praktijkopleider who takes its student in (the beheerder adds one
# in the admin).
rules.add_perm("leerbedrijf.add_school", is_praktijkopleider)
rules.add_perm("leerbedrijf.edit_stage", is_praktijkopleider)
# Interrupting, ending, resuming a stage and undoing it (issue 15): the praktijkopleider, who signs the pok for the
# company and answers for the stage to SBB and the school. A werkplekbegeleider who sees it go wrong tells him; the
# school and the stagiair ask for it, they do not record it.
rules.add_perm("leerbedrijf.stop_stage", is_praktijkopleider)
# The praktijkopleider links people to a stage: its werkplekbegeleider (edit_stage) and its meewerkende collega's.
rules.add_perm("leerbedrijf.manage_collegas", is_praktijkopleider)
# Contract dates, hours and the school's people are shared with everyone who sees the stage: the pok is signed by
# company, school and student. The money (stagevergoeding or salaris) is between company and student only, so the
# werkplekbegeleider, praktijkbeoordelaar and mbo-begeleider do not see it.
rules.add_perm("leerbedrijf.view_pay", is_praktijkopleider | is_stagiair)


# Trainings (chapter 3): whoever works at a leerbedrijf records their own on their profile; nobody else changes them.
@rules.predicate
def works_at_a_leerbedrijf(user):
    return user.is_authenticated and bool(roles_of(user).leerbedrijf_ids())


@rules.predicate
def is_own_training(user, training):
    return training is not None and user.is_authenticated and training.user_id == user.pk


rules.add_perm("leerbedrijf.record_training", works_at_a_leerbedrijf)
rules.add_perm("leerbedrijf.change_training", is_own_training)


# The voortgang overview (issue 16): whoever follows stagiairs of a company or a school sees his own there.
VOORTGANG_ROLES = frozenset({Role.PRAKTIJKOPLEIDER, *BEGELEIDER_ROLES, Role.PRAKTIJKBEOORDELAAR, Role.MBO_BEGELEIDER})


@rules.predicate
def follows_stagiairs(user):
    return user.is_authenticated and bool(roles_of(user).held() & VOORTGANG_ROLES)


rules.add_perm("leerbedrijf.view_voortgang", follows_stagiairs)
# Privacy (issue 17). A praktijkopleider asks for a stagiair's inzage on that stagiair's request (the stagiair can
# also ask himself), and sees who opened the company's documents; colleagues do not.
rules.add_perm("leerbedrijf.request_inzage", is_praktijkopleider)
rules.add_perm("leerbedrijf.view_raadplegingen", is_praktijkopleider)
