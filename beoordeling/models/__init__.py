from .gesprek import (
    EVALUATIE_QUESTIONS,
    Afspraak,
    Evaluatie,
    EvaluatieAntwoord,
    StaleVersion,
    Voortgangsgesprek,
    Wijziging,
)
from .verslag import StagemapExport, Verslag, VerslagComment, VerslagKind, VerslagReview

__all__ = [
    "EVALUATIE_QUESTIONS",
    "Afspraak",
    "Evaluatie",
    "EvaluatieAntwoord",
    "StagemapExport",
    "StaleVersion",
    "Verslag",
    "VerslagComment",
    "VerslagKind",
    "VerslagReview",
    "Voortgangsgesprek",
    "Wijziging",
]
