"""Celery tasks of leerbedrijf: the inzage (leerbedrijf/models/privacy.py), made by a worker like the stagemap's
pdf (stagemap/tasks.py): a queued row written in the request's transaction, enqueued after commit, claimed by one
worker, finished on its claim; the beat enqueues what a broker that was away never got and takes over a dead
worker's claim after STAGEMAP_CLAIM_TIMEOUT_MINUTES."""

from functools import partial

from celery import shared_task
from django.db import IntegrityError, transaction
from django.utils import timezone

from stagegids import queued
from stagegids.models import Wijziging

from .models import Inzage, InzageStatus
from .models.privacy import InzageAction
from .privacy.export import build_inzage


def _enqueue(pk):
    make_inzage.delay(inzage_id=pk)


def ask_inzage(*, person, by, stagiair=None, on_request_of=""):
    """Everything the portal holds about `person` (or, asked by a praktijkopleider, about `stagiair` in his
    leerbedrijf), made by a worker once this transaction commits; who asked is in the trail. Returns the inzage and
    whether it is new: while the same one is still being made, asking again (a second click) adds nothing."""
    same = Inzage.objects.filter(
        requested_by=by, person=person, stagiair=stagiair, status__in=[InzageStatus.PENDING, InzageStatus.RUNNING]
    )
    try:
        with transaction.atomic():
            inzage = Inzage.objects.create(
                person=person,
                stagiair=stagiair,
                requested_by=by,
                on_request_of=on_request_of,
                enqueued_at=timezone.now(),
            )
    except IntegrityError:  # inzage_one_open_per_request: it is being made already
        return same.get(), False
    Wijziging.log(inzage, InzageAction.ASKED, user=by, data={"reason": on_request_of} if on_request_of else {})
    transaction.on_commit(partial(queued.enqueue, Inzage, [inzage.pk], send=_enqueue), robust=True)
    return inzage, True


@shared_task(time_limit=queued.WORK_TIME_LIMIT)
def make_inzage(*, inzage_id):
    queued.make(
        Inzage,
        inzage_id,
        build_inzage,
        related=["person", "stagiair__leerbedrijf", "requested_by"],
        done=lambda inzage: {"progress": 100, "file": inzage.file.name},
    )


@shared_task
def requeue_inzages():
    """Beat: take over the claims of dead workers and enqueue what never reached a worker; returns how many."""
    with transaction.atomic():
        return queued.requeue_work(Inzage, send=_enqueue)
