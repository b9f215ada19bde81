from .erkenning import Erkenning, ErkenningStatus
from .kandidaat import Besluit, Kandidaat
from .kwalificatie import Kerntaak, Kwalificatie, Kwalificatiedossier, SoortOpleiding, Werkproces
from .organisatie import (
    Herkomst,
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
from .stagiair_import import StagiairImport

__all__ = [
    "Besluit",
    "Erkenning",
    "ErkenningStatus",
    "Herkomst",
    "Invitation",
    "Kandidaat",
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
    "StagiairImport",
    "Werkproces",
    "roles_of",
]
