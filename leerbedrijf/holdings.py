"""What leerbedrijf holds about a person, for the inzage (stagegids.inzage)."""

from django.utils.translation import gettext_lazy as _

from stagegids.inzage import QUEUED_FIELDS, Holding, register

register(Holding("leerbedrijf.Stagiair", _("Stagiair bij het leerbedrijf"), "account", stage="stages",
                 person=("user",), order=1))  # fmt: skip
register(Holding("leerbedrijf.Membership", _("Rollen"), "account", person=("user",), order=2))
register(Holding("leerbedrijf.Stage", _("Stages"), "begeleiding", stage="pk", person=(
    "werkplekbegeleider", "praktijkbeoordelaar", "mbo_begeleider"), order=3))  # fmt: skip
register(Holding("leerbedrijf.MeewerkendeCollega", _("Meewerkende collega's"), "begeleiding", stage="stage",
                 person=("user",), order=4))  # fmt: skip
register(
    Holding(
        "leerbedrijf.Invitation",
        _("Uitnodigingen"),
        "account",
        stage="stage",
        person=("accepted_by", "stagiair__user"),
        exclude=("token_hash",),
        order=5,
    )
)
register(Holding("leerbedrijf.StageStop", _("Onderbreking of einde van de stage"), "begeleiding", stage="stage",
                 order=6))  # fmt: skip
register(Holding("leerbedrijf.OnboardingItem", _("Onboarding"), "begeleiding", stage="stage",
                 person=("responsible", "done_by"), order=10))  # fmt: skip
register(Holding("leerbedrijf.Training", _("Trainingen"), "erkenning", person=("user",), order=80))
register(
    Holding(
        "leerbedrijf.Inzage",
        _("Inzages"),
        "verantwoording",
        person=("person", "requested_by", "stagiair__user"),
        exclude=(*QUEUED_FIELDS, "file"),  # the zip itself is what is being made
        order=990,
    )
)
register(Holding("leerbedrijf.Raadpleging", _("Wie wat inzag"), "verantwoording", stage="stage",
                 person=("user", "person"), order=991))  # fmt: skip
