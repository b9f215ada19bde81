"""Celery tasks of the tegemoetkomingen: the dossier, asked for and made the way stagemap.tasks makes the
stagemap's pdf. The request writes a Dossier row and enqueues it after commit (stagegids/queued.py); a worker
claims it, builds it (dossier.build_dossier) and finishes on its claim. A broker that is away costs the request
nothing: the beat (requeue_dossiers) enqueues what never reached a worker and takes back a dead worker's claim.
"""

from functools import partial

from celery import shared_task
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from stagegids import queued

from .dossier import build_dossier
from .models import Dossier, DossierStatus

TIME_LIMIT = settings.STAGEMAP_CLAIM_TIMEOUT_MINUTES * 60 - 30


def _enqueue(pk):
    make_dossier.delay(dossier_id=pk)


def ask_dossier(*, leerbedrijf, studiejaar, by, stage=None):
    """The dossier of one stage (or of the whole company), made by a worker once this transaction commits."""
    dossier = Dossier.objects.create(
        leerbedrijf=leerbedrijf, stage=stage, studiejaar=studiejaar, requested_by=by, enqueued_at=timezone.now()
    )
    transaction.on_commit(partial(queued.enqueue, Dossier, [dossier.pk], send=_enqueue), robust=True)
    return dossier


@shared_task(time_limit=TIME_LIMIT)
def make_dossier(*, dossier_id):
    token = queued.claim(Dossier.objects.filter(pk=dossier_id, status=DossierStatus.PENDING), now=timezone.now())
    if token is None:
        return  # gone, or another worker has it
    dossier = Dossier.objects.select_related("leerbedrijf", "stage", "requested_by").get(pk=dossier_id)
    try:
        build_dossier(dossier)
    except Exception as error:
        queued.finish(
            Dossier, token, status=DossierStatus.FAILED, finished_at=timezone.now(), last_error=str(error)[:300]
        )
        raise
    queued.finish(
        Dossier,
        token,
        status=DossierStatus.DONE,
        progress=100,
        file=dossier.file.name,
        sheet=dossier.sheet.name,
        finished_at=timezone.now(),
    )


@shared_task
def requeue_dossiers():
    """Beat, every STAGEMAP_REQUEUE_SECONDS (the same rhythm as the stagemap's pdf)."""
    now = timezone.now()
    with transaction.atomic():
        queued.reclaim_stale(
            Dossier,
            now=now,
            minutes=settings.STAGEMAP_CLAIM_TIMEOUT_MINUTES,
            max_attempts=settings.STAGEMAP_MAX_ATTEMPTS,
            finished_at=now,
            last_error="worker lost",
        )
        return queued.requeue_lost(
            Dossier, now=now, minutes=settings.STAGEMAP_REENQUEUE_MINUTES, batch=1000, send=_enqueue
        )
