from .erkenning import SBB_AANVRAAG_URL, ChecklistItem, Erkenning, ErkenningCheck, ErkenningStatus, leerbedrijf_warnings
from .kwalificatie import Kerntaak, Kwalificatie, Kwalificatiedossier, SoortOpleiding, Werkproces
from .onboarding import (
    DefaultResponsible,
    OnboardingItem,
    OnboardingPhase,
    OnboardingTemplateItem,
    onboarding_for,
    with_onboarding_progress,
)
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
from .status import StageStatus, with_status

__all__ = [
    "SBB_AANVRAAG_URL",
    "ChecklistItem",
    "DefaultResponsible",
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
    "OnboardingItem",
    "OnboardingPhase",
    "OnboardingTemplateItem",
    "Onderwijsinstelling",
    "RolesOf",
    "SoortOpleiding",
    "Stage",
    "StageStatus",
    "Stagiair",
    "Werkproces",
    "leerbedrijf_warnings",
    "onboarding_for",
    "roles_of",
    "with_onboarding_progress",
    "with_status",
]
