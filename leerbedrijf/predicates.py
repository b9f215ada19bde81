"""Who someone is on a stage or in a leerbedrijf, as django-rules predicates: the one set that the rules.py of
every app combines into its permissions.

A permission is asked about some object; each predicate finds that object's stage or leerbedrijf here, in one
place: a Stage, anything with a `.stage` (a gesprek, a beoordeling, an onboarding item, a verslag), a Leerbedrijf,
or anything with a `.leerbedrijf_id` (an erkenning, a kandidaat). So `is_praktijkopleider` has one meaning, the
praktijkopleider of the leerbedrijf the object belongs to, which for a stage is the stage's praktijkopleider. The
stage roles are Stage.is_<role>, which read only the roles already loaded for the request: asking them for every
stage of a list costs no query per stage.
"""

import rules

from stagegids.roles import Role

from .models import Leerbedrijf, Stage, roles_of


def stage_of(obj):
    """The stage `obj` belongs to; None for what belongs to no stage (a leerbedrijf, an erkenning, nothing)."""
    if isinstance(obj, Stage):
        return obj
    return getattr(obj, "stage", None)


def leerbedrijf_id_of(obj):
    if isinstance(obj, Leerbedrijf):
        return obj.pk
    if hasattr(obj, "leerbedrijf_id"):
        return obj.leerbedrijf_id
    stage = stage_of(obj)
    return stage.leerbedrijf_id if stage is not None else None


@rules.predicate
def is_praktijkopleider(user, obj):
    leerbedrijf_id = leerbedrijf_id_of(obj)
    return (
        leerbedrijf_id is not None
        and user.is_authenticated
        and roles_of(user).has(Role.PRAKTIJKOPLEIDER, leerbedrijf_id)
    )


@rules.predicate
def is_company_member(user, obj):
    """Anyone who works at the object's leerbedrijf, in any role."""
    leerbedrijf_id = leerbedrijf_id_of(obj)
    return leerbedrijf_id is not None and user.is_authenticated and leerbedrijf_id in roles_of(user).leerbedrijf_ids()


def _on_stage(role):
    def holds(user, obj):
        stage = stage_of(obj)
        return stage is not None and stage.holds(user, role)

    return rules.Predicate(holds, name=f"is_{role}")


is_werkplekbegeleider = _on_stage(Role.WERKPLEKBEGELEIDER)
is_praktijkbeoordelaar = _on_stage(Role.PRAKTIJKBEOORDELAAR)
is_stagiair = _on_stage(Role.STAGIAIR)
is_mbo_begeleider = _on_stage(Role.MBO_BEGELEIDER)
# A colleague helping for a period (issue 15): the stageplan and observaties only, so in none of the sides below.
is_meewerkende_collega = _on_stage(Role.MEEWERKENDE_COLLEGA)

# Everyone on the stage's company side (its people in the leerbedrijf and the stagiair), and everyone on the stage.
is_company_side = is_praktijkopleider | is_werkplekbegeleider | is_praktijkbeoordelaar | is_stagiair
is_on_stage = is_company_side | is_mbo_begeleider
