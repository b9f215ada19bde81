from .erkenning import Erkenning, ErkenningStatus
from .kwalificatie import Kerntaak, Kwalificatie, Kwalificatiedossier, SoortOpleiding, Werkproces
from .organisatie import (
    Invitation,
    Leerbedrijf,
    Leerweg,
    Membership,
    Onderwijsinstelling,
    RolesOf,
    Stage,
    Stagiair,
    roles_of,
)

__all__ = [
    "Erkenning",
    "ErkenningStatus",
    "Invitation",
    "Kerntaak",
    "Kwalificatie",
    "Kwalificatiedossier",
    "Leerbedrijf",
    "Leerweg",
    "Membership",
    "Onderwijsinstelling",
    "RolesOf",
    "SoortOpleiding",
    "Stage",
    "Stagiair",
    "Werkproces",
    "roles_of",
]
