from .aanmelding import Aanmelding, Bevestiging
from .erkenning import SBB_AANVRAAG_URL, ChecklistItem, Erkenning, ErkenningCheck, ErkenningStatus, leerbedrijf_warnings
from .kandidaat import Besluit, Kandidaat
from .kwalificatie import Kerntaak, Kwalificatie, Kwalificatiedossier, SoortOpleiding, Werkproces
from .new_stage import stage_create
from .onboarding import (
    DefaultResponsible,
    OnboardingItem,
    OnboardingPhase,
    OnboardingTemplateItem,
    hand_over_to_werkplekbegeleider,
    onboarding_for,
    with_onboarding_progress,
)
from .organisatie import (
    BRIN_VALIDATOR,
    Herkomst,
    Invitation,
    Leerbedrijf,
    Leerweg,
    Membership,
    Onderwijsinstelling,
    RolesOf,
    SchoolAction,
    Stage,
    Stagiair,
    roles_of,
)
from .stagiair_import import StagiairImport
from .status import StageStatus, StopKind, with_status
from .stop import StageStop, StopReden, current_stop, running_stages
from .training import EARLIEST_COMPLETED_ON, Training, praktijkopleiders_with_training, training_save

__all__ = [
    "BRIN_VALIDATOR",
    "EARLIEST_COMPLETED_ON",
    "SBB_AANVRAAG_URL",
    "Aanmelding",
    "Besluit",
    "Bevestiging",
    "ChecklistItem",
    "DefaultResponsible",
    "Erkenning",
    "ErkenningCheck",
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
    "OnboardingItem",
    "OnboardingPhase",
    "OnboardingTemplateItem",
    "Onderwijsinstelling",
    "RolesOf",
    "SchoolAction",
    "SoortOpleiding",
    "Stage",
    "StageStatus",
    "StageStop",
    "Stagiair",
    "StagiairImport",
    "StopKind",
    "StopReden",
    "Training",
    "Werkproces",
    "current_stop",
    "hand_over_to_werkplekbegeleider",
    "leerbedrijf_warnings",
    "onboarding_for",
    "praktijkopleiders_with_training",
    "roles_of",
    "running_stages",
    "stage_create",
    "training_save",
    "with_onboarding_progress",
    "with_status",
]
