"""Celery tasks: thin, keyword-only ids; the work is in verslagen.py and export.py.

What is asked (a pdf of the stagemap, the missing verslagen of a stage) is a queued row written in the request's
transaction (StagemapExport, VerslagenUpdate) and goes the way stagegids/queued.py describes: enqueued after
commit, claimed by one worker, finished on the claim. A broker that is away costs the request nothing: the row
waits and the beat (requeue_stagemap_work) enqueues it once the broker is back; a worker that died leaves a claim
that the beat takes over after STAGEMAP_CLAIM_TIMEOUT_MINUTES.
"""

from functools import partial

from celery import shared_task
from django.db import transaction
from django.utils import timezone

from leerbedrijf.models import Stage
from stagegids import queued

from .export import build_stagemap
from .models import StagemapExport, VerslagenUpdate, VerslagenUpdateStatus
from .verslagen import make_missing_verslagen


def _enqueue_export(pk):
    make_stagemap.delay(export_id=pk)


def _enqueue_update(pk):
    make_verslagen.delay(update_id=pk)


WORK = ((StagemapExport, _enqueue_export), (VerslagenUpdate, _enqueue_update))


def _after_commit(model, pk, send):
    transaction.on_commit(partial(queued.enqueue, model, [pk], send=send), robust=True)


def ask_stagemap(stage, *, by):
    """The pdf of the whole stagemap, made by a worker once this transaction commits. Asked again while the
    person's pdf waits in the queue and is not late yet (a double click), it is that one: the stage's row is locked
    first, so two at once are one after the other. A late one (StagemapExport.LATE) gets a new one beside it."""
    with transaction.atomic():
        Stage.objects.select_for_update().filter(pk=stage.pk).first()
        if export := queued.waiting(StagemapExport, stage=stage, requested_by=by):
            return export
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


@shared_task(time_limit=queued.WORK_TIME_LIMIT)
def make_verslagen(*, update_id):
    """Put the verslag of every document of the stage that reached its final state in the stagemap."""
    return queued.make(VerslagenUpdate, update_id, _make_missing_verslagen, related=["requested_by"]) or []


def _make_missing_verslagen(update):
    with transaction.atomic():
        # One worker per stage at a time, so two requests close together cannot both make the same verslag.
        # NO KEY: rows that refer to the stage (observaties, verslagen) can still be written meanwhile.
        stage = Stage.objects.select_for_update(no_key=True).get(pk=update.stage_id)
        return [verslag.pk for verslag in make_missing_verslagen(stage, by=update.requested_by)]


@shared_task(time_limit=queued.WORK_TIME_LIMIT)
def make_stagemap(*, export_id):
    queued.make(
        StagemapExport,
        export_id,
        build_stagemap,
        related=["stage__stagiair", "stage__leerbedrijf", "requested_by"],
        done=lambda export: {"progress": 100, "file": export.file.name},
    )


@shared_task
def requeue_stagemap_work():
    """Beat, every STAGEMAP_REQUEUE_SECONDS: take over the claims of dead workers and enqueue what never reached a
    worker (the broker was away); returns how many were enqueued."""
    with transaction.atomic():
        return sum(queued.requeue_work(model, send=send) for model, send in WORK)
