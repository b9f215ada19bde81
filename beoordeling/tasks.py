from celery import shared_task

from .models import StagemapExport
from .models.verslag import StagemapExportStatus
from .stagemap import build_stagemap


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
