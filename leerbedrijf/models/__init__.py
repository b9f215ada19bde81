from .erkenning import SBB_AANVRAAG_URL, ChecklistItem, Erkenning, ErkenningCheck, ErkenningStatus, leerbedrijf_warnings
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
    "SBB_AANVRAAG_URL",
    "ChecklistItem",
    "Erkenning",
    "ErkenningCheck",
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
    "leerbedrijf_warnings",
    "roles_of",
]
