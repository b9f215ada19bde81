"""The closing verslag of a stage that was interrupted or ended (leerbedrijf/models/stop.py): why, from when, who
decided, which moments were cancelled, and, once an interruption resumes, until when it runs again. Everyone on the
stage sees it, the school included: the pok is signed by company, school and stagiair alike.

The stagemap hears the steps by signal (leerbedrijf.signals): a step asks for the missing verslagen, as a finished
document does; an undo within the grace period takes the verslag of the step that was undone away again.
"""

from functools import partial

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from leerbedrijf.models import StageStop, StopKind
from stagegids.roles import STAGE_ROLES

from . import kinds
from .models import Verslag
from .tasks import ask_verslagen


class StageStopVerslag(kinds.VerslagKind):
    code = "stage_stop"
    label = gettext_lazy("onderbreking of beëindiging")

    source_roles = STAGE_ROLES

    def finished(self, stage):
        return StageStop.objects.standing().filter(stage=stage).select_related("created_by", "resumed_by")

    def source(self, stop):
        # A resumed interruption is made again, with the resumption in it.
        return stop, "hervat" if stop.resumed_at else "vastgelegd"

    def build(self, stop):
        title = _("Onderbreking van de stage") if stop.kind == StopKind.ONDERBROKEN else _("Beëindiging van de stage")
        return kinds.Draft(
            stage=stop.stage,
            title=title,
            template="verslagen/stage_stop.html",
            context={
                "stop": stop,
                "moments": [
                    {**moment, "starts_at": kinds.parse_date(moment["starts_at"])} for moment in stop.cancelled_moments
                ],
            },
            signatures=[kinds.signature(_("praktijkopleider"), stop.created_by, stop.created_at)],
        )


STAGE_STOP = kinds.register(StageStopVerslag())


def ask_closing_verslag(sender, *, stop, by, **kwargs):
    """Receiver of stage_stopped and stage_resumed: the verslag follows after commit, like a finished document's."""
    ask_verslagen(stage_id=stop.stage_id, by=by)


def remove_verslag_of_undone_stop(sender, *, stop, by, **kwargs):
    """Receiver of stage_stop_undone: the step did not happen, so its verslag goes (the audit trail keeps the step
    and its undo). A verslag still waiting to be made is not made: finished() leaves an undone step out."""
    verslagen = list(Verslag.objects.filter(source_type=StageStop._meta.label, source_id=stop.pk))
    for verslag in verslagen:
        verslag.delete()
        # The file only once the rows are gone for good.
        transaction.on_commit(partial(verslag.file.storage.delete, verslag.file.name))
