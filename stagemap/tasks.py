"""Celery tasks: thin, keyword-only ids; the work is in verslagen.py and export.py.

What is asked (a pdf of the stagemap, the missing verslagen of a stage) is a queued row written in the request's
transaction (StagemapExport, VerslagenUpdate) and goes the way stagegids/queued.py describes: enqueued after
commit, claimed by one worker, finished on the claim. A broker that is away costs the request nothing: the row
waits and the beat (requeue_stagemap_work) enqueues it once the broker is back; a worker that died leaves a claim
that the beat takes over after STAGEMAP_CLAIM_TIMEOUT_MINUTES.
"""

from functools import partial

from celery import shared_task
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from leerbedrijf.models import Stage
from stagegids import queued

from .export import build_stagemap
from .models import StagemapExport, StagemapExportStatus, VerslagenUpdate, VerslagenUpdateStatus
from .verslagen import make_missing_verslagen

# A task is stopped before its claim is taken over, so that two workers never make the same thing at once.
TIME_LIMIT = settings.STAGEMAP_CLAIM_TIMEOUT_MINUTES * 60 - 30


def _enqueue_export(pk):
    make_stagemap.delay(export_id=pk)


def _enqueue_update(pk):
    make_verslagen.delay(update_id=pk)


WORK = ((StagemapExport, _enqueue_export), (VerslagenUpdate, _enqueue_update))


def _after_commit(model, pk, send):
    transaction.on_commit(partial(queued.enqueue, model, [pk], send=send), robust=True)


def ask_stagemap(stage, *, by):
    """The pdf of the whole stagemap, made by a worker once this transaction commits."""
    export = StagemapExport.objects.create(stage=stage, requested_by=by, enqueued_at=timezone.now())
    _after_commit(StagemapExport, export.pk, _enqueue_export)
    return export


def ask_verslagen(*, stage_id, by):
    """The missing verslagen of the stage, made by a worker once this transaction commits; False when they were
    already asked for and wait (the waiting request makes them)."""
    update, created = VerslagenUpdate.objects.get_or_create(
        stage_id=stage_id,
        status=VerslagenUpdateStatus.PENDING,
        defaults={"requested_by": by, "enqueued_at": timezone.now()},
    )
    if created:
        _after_commit(VerslagenUpdate, update.pk, _enqueue_update)
    return created


def ask_verslagen_of_finished_document(sender, *, stage_id, by, **kwargs):
    """Receiver of signals.document_finished: written in the transaction that finished the document, so the
    verslag follows even when the broker is away."""
    ask_verslagen(stage_id=stage_id, by=by)


@shared_task(time_limit=TIME_LIMIT)
def make_verslagen(*, update_id):
    """Put the verslag of every document of the stage that reached its final state in the stagemap."""
    token = queued.claim(
        VerslagenUpdate.objects.filter(pk=update_id, status=VerslagenUpdateStatus.PENDING), now=timezone.now()
    )
    if token is None:
        return []  # gone, or another worker has it (a message delivered twice)
    update = VerslagenUpdate.objects.select_related("requested_by").get(pk=update_id)
    try:
        with transaction.atomic():
            # One worker per stage at a time, so two requests close together cannot both make the same verslag.
            # NO KEY: rows that refer to the stage (observaties, verslagen) can still be written meanwhile.
            stage = Stage.objects.select_for_update(no_key=True).get(pk=update.stage_id)
            made = [verslag.pk for verslag in make_missing_verslagen(stage, by=update.requested_by)]
    except Exception as error:
        queued.finish(
            VerslagenUpdate,
            token,
            status=VerslagenUpdateStatus.FAILED,
            finished_at=timezone.now(),
            last_error=str(error)[:300],
        )
        raise
    queued.finish(VerslagenUpdate, token, status=VerslagenUpdateStatus.DONE, finished_at=timezone.now())
    return made


@shared_task(time_limit=TIME_LIMIT)
def make_stagemap(*, export_id):
    token = queued.claim(
        StagemapExport.objects.filter(pk=export_id, status=StagemapExportStatus.PENDING), now=timezone.now()
    )
    if token is None:
        return  # gone, or another worker has it
    export = StagemapExport.objects.select_related("stage__stagiair", "stage__leerbedrijf", "requested_by").get(
        pk=export_id
    )
    try:
        build_stagemap(export)
    except Exception as error:
        queued.finish(
            StagemapExport,
            token,
            status=StagemapExportStatus.FAILED,
            finished_at=timezone.now(),
            last_error=str(error)[:300],
        )
        raise
    # A worker whose claim was taken over (it ran past the time-out) changes nothing.
    queued.finish(
        StagemapExport,
        token,
        status=StagemapExportStatus.DONE,
        progress=100,
        file=export.file.name,
        finished_at=timezone.now(),
    )


@shared_task
def requeue_stagemap_work():
    """Beat, every STAGEMAP_REQUEUE_SECONDS: take over the claims of dead workers and enqueue what is pending and
    never reached a worker (the broker was away); returns how many were enqueued."""
    now, enqueued = timezone.now(), 0
    with transaction.atomic():
        for model, send in WORK:
            queued.reclaim_stale(
                model,
                now=now,
                minutes=settings.STAGEMAP_CLAIM_TIMEOUT_MINUTES,
                max_attempts=settings.STAGEMAP_MAX_ATTEMPTS,
                finished_at=now,
                last_error="worker lost",
            )
            enqueued += queued.requeue_lost(
                model, now=now, minutes=settings.STAGEMAP_REENQUEUE_MINUTES, batch=1000, send=send
            )
    return enqueued
