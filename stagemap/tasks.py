"""Celery tasks: thin, keyword-only ids; the work is in verslagen.py and export.py."""

import logging
from functools import partial

from celery import shared_task
from django.contrib.auth import get_user_model
from django.db import transaction
from kombu.exceptions import OperationalError

from leerbedrijf.models import Stage

from .export import build_stagemap
from .models import StagemapExport, StagemapExportStatus
from .verslagen import make_missing_verslagen

logger = logging.getLogger(__name__)


@shared_task(acks_late=True)
def make_verslagen(*, stage_id, user_id):
    """Put the verslag of every document of the stage that reached its final state in the stagemap."""
    with transaction.atomic():
        # One worker per stage at a time, so two events close together cannot both make the same verslag. NO KEY:
        # rows that refer to the stage (observaties, verslagen) can still be written while the pdfs are rendered.
        stage = Stage.objects.select_for_update(no_key=True).filter(pk=stage_id).first()
        user = get_user_model().objects.filter(pk=user_id).first()
        if stage is None or user is None:
            return []
        return [verslag.pk for verslag in make_missing_verslagen(stage, by=user)]


def make_verslagen_after_commit(sender, *, stage_id, by, **kwargs):
    """Receiver of signals.document_finished: once the change that finished a document commits, a worker makes its
    verslag (rendering takes seconds).

    Should the broker be away, the verslag is made later from the stagemap page ("Verslagen bijwerken"); the
    document itself is saved either way."""
    transaction.on_commit(partial(make_verslagen.delay, stage_id=stage_id, user_id=by.pk), robust=True)


def start_stagemap_after_commit(export):
    """The export is made by a worker once its row is committed. With the broker away nothing would ever make it,
    so it is marked failed at once: the page then says so and offers to try again, instead of waiting forever."""

    def start():
        try:
            make_stagemap.delay(export_id=export.pk)
        except OperationalError:
            logger.warning("stagemap export %s not enqueued: broker unavailable", export.pk, exc_info=True)
            StagemapExport.objects.filter(pk=export.pk, status=StagemapExportStatus.PENDING).update(
                status=StagemapExportStatus.FAILED
            )

    transaction.on_commit(start)


@shared_task(acks_late=True)
def make_stagemap(*, export_id):
    claimed = StagemapExport.objects.filter(pk=export_id, status=StagemapExportStatus.PENDING).update(
        status=StagemapExportStatus.RUNNING
    )
    if not claimed:
        return  # gone, or another worker has it
    export = StagemapExport.objects.select_related("stage__stagiair", "stage__leerbedrijf", "requested_by").get(
        pk=export_id
    )
    try:
        build_stagemap(export)
    except Exception:
        StagemapExport.objects.filter(pk=export_id).update(status=StagemapExportStatus.FAILED)
        raise
