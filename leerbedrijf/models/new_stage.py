"""Making a stage: the one function every page (the intake, the CSV import) and the demo call."""

from django.db import transaction

from .onboarding import onboarding_for
from .organisatie import Stage


def stage_create(*, leerbedrijf, stagiair, praktijkopleider=None, **fields):
    """Save a new stage of `stagiair` at `leerbedrijf` with its onboarding checklists (chapter 6 of the gids).

    A stage never exists without its checklists: the gids's items and the leerbedrijf's own template are copied
    onto it in the same transaction. `fields` are the Stage's other fields; `praktijkopleider` is who holds the
    praktijkopleider's items (by default the leerbedrijf's first praktijkopleider).
    """
    with transaction.atomic():
        stage = Stage.objects.create(leerbedrijf=leerbedrijf, stagiair=stagiair, **fields)
        onboarding_for(stage, praktijkopleider=praktijkopleider)
    return stage
