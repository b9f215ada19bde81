"""What the gesprekken, zorgen, beoordelingen and evaluatie hold about a person, for the inzage (stagegids.inzage)."""

from django.utils.translation import gettext_lazy as _

from stagegids.inzage import Holding, register

register(Holding("beoordeling.Voortgangsgesprek", _("Voortgangsgesprekken"), "begeleiding", stage="moment__stage",
                 person=("afgerond_by", "updated_by"), order=30))  # fmt: skip
register(Holding("beoordeling.Driegesprek", _("Driegesprekken"), "begeleiding", stage="moment__stage",
                 person=("afgerond_by", "updated_by"), order=31))  # fmt: skip
register(Holding("beoordeling.Afspraak", _("Afspraken"), "begeleiding", stage="stage",
                 person=("owner", "created_by", "done_by"), order=32))  # fmt: skip
register(Holding("beoordeling.Zorg", _("Zorgen"), "begeleiding", stage="stage",
                 person=("created_by", "shared_by", "closed_by"), order=33))  # fmt: skip
register(
    Holding(
        "beoordeling.Beoordeling",
        _("Beoordelingen"),
        "beoordeling",
        stage="stage",
        person=("created_by", "opened_by", "bedrijf_signed_by", "stagiair_signed_by", "mbo_updated_by"),
        order=40,
    )
)
register(Holding("beoordeling.Criterium", _("Criteria van de beoordelingen"), "beoordeling",
                 stage="beoordeling__stage", order=41))  # fmt: skip
register(Holding("beoordeling.Invulling", _("Invullingen van de beoordelingen"), "beoordeling",
                 stage="beoordeling__stage", person=("submitted_by",), order=42))  # fmt: skip
register(Holding("beoordeling.Antwoord", _("Antwoorden per criterium"), "beoordeling",
                 stage="invulling__beoordeling__stage", order=43))  # fmt: skip
# The colleague's answer is about the stagiair; the link's token is a password, not data.
register(Holding("beoordeling.CollegaVraag", _("Collega-feedback"), "beoordeling", stage="beoordeling__stage",
                 person=("asked_by",), exclude=("token_hash",), order=44))  # fmt: skip
register(Holding("beoordeling.Evaluatie", _("Evaluatie"), "begeleiding", stage="stage", person=("recorded_by",),
                 order=50))  # fmt: skip
register(Holding("beoordeling.EvaluatieAntwoord", _("Antwoorden van de evaluatie"), "begeleiding",
                 stage="evaluatie__stage", order=51))  # fmt: skip
