from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    PRAKTIJKOPLEIDER = "praktijkopleider", _("Praktijkopleider")
    WERKPLEKBEGELEIDER = "werkplekbegeleider", _("Werkplekbegeleider / praktijkbegeleider")
    PRAKTIJKBEOORDELAAR = "praktijkbeoordelaar", _("Praktijkbeoordelaar")
    HYBRIDE_TECHNIEKOPLEIDER = "hybride_techniekopleider", _("Hybride techniekopleider")
    INFORMELE_BEGELEIDER = "informele_begeleider", _("Informele begeleider")
    MBO_BEGELEIDER = "mbo_begeleider", _("Mbo-begeleider")
    STAGIAIR = "stagiair", _("Stagiair")
    # Held on one stage for a period (leerbedrijf.MeewerkendeCollega), never in an organisation.
    MEEWERKENDE_COLLEGA = "meewerkende_collega", _("Meewerkende collega")


# Roles held in a leerbedrijf, and those held in a school; a stagiair's role comes with their stage.
LEERBEDRIJF_ROLES = (
    Role.PRAKTIJKOPLEIDER,
    Role.WERKPLEKBEGELEIDER,
    Role.PRAKTIJKBEOORDELAAR,
    Role.HYBRIDE_TECHNIEKOPLEIDER,
    Role.INFORMELE_BEGELEIDER,
)
SCHOOL_ROLES = (Role.MBO_BEGELEIDER,)
# The hybride techniekopleider and the informele begeleider are not SBB-erkend, but DESIGN.md gives them the
# werkplekbegeleider's rights on the stages linked to them.
BEGELEIDER_ROLES = (Role.WERKPLEKBEGELEIDER, Role.HYBRIDE_TECHNIEKOPLEIDER, Role.INFORMELE_BEGELEIDER)
# Who someone is on one stage: the roles that Stage.objects.for_roles() and the stage predicates answer for. A
# hybride techniekopleider or informele begeleider linked to a stage is its (eerste) werkplekbegeleider there. A
# meewerkende collega helps the eerste werkplekbegeleider for a period (issue 15): a colleague of the company, in
# any begeleider kind, who sees the stage and its stageplan and records observaties, and nothing more. They are
# not on the company side: no gesprekken, beoordelingen, onboarding or stagemap.
STAGE_ROLES = (
    Role.PRAKTIJKOPLEIDER,
    Role.WERKPLEKBEGELEIDER,
    Role.PRAKTIJKBEOORDELAAR,
    Role.STAGIAIR,
    Role.MBO_BEGELEIDER,
    Role.MEEWERKENDE_COLLEGA,
)
# The company side of a stage is its people in the leerbedrijf and the stagiair; the school side is the
# mbo-begeleider, who sees of the company's documents only what was shared.
COMPANY_SIDE = (Role.PRAKTIJKOPLEIDER, Role.WERKPLEKBEGELEIDER, Role.PRAKTIJKBEOORDELAAR, Role.STAGIAIR)
SCHOOL_SIDE = (Role.MBO_BEGELEIDER,)

# Which roles a person holds is known by the app that keeps memberships and stagiairs (leerbedrijf), which the
# core may not import: it registers a function here from its AppConfig.ready().
_holders = []


def register_holder(func):
    """`func(user)` -> the set of roles the user holds."""
    _holders.append(func)
    return func


def held_by(user):
    """Every role `user` holds, by every registered holder."""
    return set().union(*(func(user) for func in _holders))


def addressed_informally(user):
    """The gids says je to a stagiair and u to everyone else; someone who also holds another role is addressed as
    that role."""
    return user.is_authenticated and held_by(user) == {Role.STAGIAIR}
