"""Celery tasks of the tegemoetkomingen: the dossier, asked for and made the way stagemap.tasks makes the
stagemap's pdf. The request writes a Dossier row and enqueues it after commit (stagegids/queued.py); a worker
claims it, builds it (dossier.build_dossier) and finishes on its claim. A broker that is away costs the request
nothing: the beat (requeue_dossiers) enqueues what never reached a worker and takes back a dead worker's claim.
"""

from functools import partial

from celery import shared_task
from django.db import transaction
from django.utils import timezone

from leerbedrijf.models import Leerbedrijf
from stagegids import queued

from .dossier import build_dossier
from .models import Dossier


def _enqueue(pk):
    make_dossier.delay(dossier_id=pk)


def ask_dossier(*, leerbedrijf, studiejaar, by, stage=None):
    """The dossier of one stage (or of the whole company), made by a worker once this transaction commits. Asked
    again while the person's same dossier waits in the queue and is not late yet (a double click), it is that one:
    the company's row is locked first, so two at once are one after the other."""
    asked = {"leerbedrijf": leerbedrijf, "stage": stage, "studiejaar": studiejaar, "requested_by": by}
    with transaction.atomic():
        Leerbedrijf.objects.select_for_update().filter(pk=leerbedrijf.pk).first()
        if dossier := queued.waiting(Dossier, **asked):
            return dossier
        dossier = Dossier.objects.create(**asked, enqueued_at=timezone.now())
        transaction.on_commit(partial(queued.enqueue, Dossier, [dossier.pk], send=_enqueue), robust=True)
    return dossier


@shared_task(time_limit=queued.WORK_TIME_LIMIT)
def make_dossier(*, dossier_id):
    queued.make(
        Dossier,
        dossier_id,
        build_dossier,
        related=["leerbedrijf", "stage", "requested_by"],
        done=lambda dossier: {"progress": 100, "file": dossier.file.name, "sheet": dossier.sheet.name},
    )


@shared_task
def requeue_dossiers():
    """Beat, every STAGEMAP_REQUEUE_SECONDS (the same rhythm as the stagemap's pdf)."""
    with transaction.atomic():
        return queued.requeue_work(Dossier, send=_enqueue)
