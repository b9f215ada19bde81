from .gesprek import (
    EVALUATIE_QUESTIONS,
    Afspraak,
    Evaluatie,
    EvaluatieAntwoord,
    StaleVersion,
    Voortgangsgesprek,
    Wijziging,
)
from .reminder import Reminder, ReminderStatus
from .verslag import StagemapExport, Verslag, VerslagComment, VerslagKind, VerslagReview

__all__ = [
    "EVALUATIE_QUESTIONS",
    "Afspraak",
    "Evaluatie",
    "EvaluatieAntwoord",
    "Reminder",
    "ReminderStatus",
    "StagemapExport",
    "StaleVersion",
    "Verslag",
    "VerslagComment",
    "VerslagKind",
    "VerslagReview",
    "Voortgangsgesprek",
    "Wijziging",
]
