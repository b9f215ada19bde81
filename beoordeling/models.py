"""Django finds an app's models in its models module; each chapter keeps its own (gesprekken, beoordelingen,
evaluatie, zorgen), imported here so that they are registered when the app loads."""

from .beoordelingen.models import (
    Antwoord,
    Beoordeling,
    CollegaVraag,
    Criterium,
    Formuliersjabloon,
    Invulling,
    Sjablooncriterium,
)
from .evaluatie.models import Evaluatie, EvaluatieAntwoord
from .gesprekken.models import Afspraak, Driegesprek, Voortgangsgesprek
from .zorgen.models import Zorg

__all__ = [
    "Afspraak",
    "Antwoord",
    "Beoordeling",
    "CollegaVraag",
    "Criterium",
    "Driegesprek",
    "Evaluatie",
    "EvaluatieAntwoord",
    "Formuliersjabloon",
    "Invulling",
    "Sjablooncriterium",
    "Voortgangsgesprek",
    "Zorg",
]
