from .gesprek import (
    EVALUATIE_QUESTIONS,
    Afspraak,
    Evaluatie,
    EvaluatieAntwoord,
    StaleVersion,
    Voortgangsgesprek,
    Wijziging,
)

__all__ = [
    "EVALUATIE_QUESTIONS",
    "Afspraak",
    "Evaluatie",
    "EvaluatieAntwoord",
    "StaleVersion",
    "Voortgangsgesprek",
    "Wijziging",
]
