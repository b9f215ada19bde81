"""What two people do at the same moment leaves one consistent result (PostgreSQL, real locking)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from leerbedrijf.models import ErkenningStatusPeriode
from tegemoetkoming.models import StageDocument
from tests.conftest import PDF
from tests.test_confirm_steps import in_parallel, postgres_only


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_parallel_uploads_keep_one_pok_and_its_file(world):
    url = reverse("tegemoetkoming:document_upload", args=[world.stage.pk])
    requests = [
        (world.opleider, url, {"kind": "pok", "file": SimpleUploadedFile(f"pok-{n}.pdf", PDF + f"%{n}".encode())})
        for n in range(4)
    ]
    responses = in_parallel(*requests)
    assert all(response.status_code == 200 for response in responses)
    document = StageDocument.objects.get(stage=world.stage, kind="pok")
    assert document.file.storage.exists(document.file.name)
    stored = list(document.file.storage.listdir(f"overeenkomsten/{world.stage.pk}")[1])
    assert stored == [document.file.name.rsplit("/", 1)[1]], "the replaced files left the disk"


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_parallel_status_changes_leave_one_line_of_history(world):
    url = reverse("leerbedrijf:erkenning_edit", args=[world.erkenning.pk])
    granted = world.erkenning.granted_on.isoformat()
    requests = [
        (world.opleider, url, {"status": "ingetrokken", "granted_on": granted, "withdrawn_on": "2026-06-30"}),
        (world.opleider, url, {"status": "aangevraagd", "granted_on": granted, "applied_on": "2026-07-01"}),
    ] * 2
    responses = in_parallel(*requests)
    assert all(response.status_code == 200 for response in responses)
    rows = list(ErkenningStatusPeriode.objects.filter(erkenning=world.erkenning).order_by("since"))
    assert [row.until for row in rows[:-1]] == [row.since for row in rows[1:]]
    assert rows[-1].until is None
