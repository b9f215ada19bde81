"""SBB-erkenningen through their pages: recording one, its checklist and evidence, werkprocessen, warnings."""

import io
from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from PIL import Image

from leerbedrijf.erkenning.forms import EVIDENCE_MAX_BYTES
from leerbedrijf.models import ChecklistItem, Erkenning, ErkenningCheck
from stagegids.roles import Role
from tests.conftest import PDF
from tests.factories import (
    ErkenningFactory,
    KerntaakFactory,
    KwalificatieFactory,
    StageFactory,
    WerkprocesFactory,
    png_bytes,
)

PNG = png_bytes()


def check_url(check):
    return reverse("leerbedrijf:erkenning_check", args=[check.erkenning_id, check.pk])


def test_praktijkopleider_records_an_erkenning_with_the_checklist_of_chapter_3(client, world):
    kwalificatie = KwalificatieFactory(crebo="25332", name="Eerste monteur", niveau=3, soort="vakopleiding")
    client.force_login(world.opleider)
    response = client.post(
        reverse("leerbedrijf:erkenning_create", args=[world.a.pk]),
        {"kwalificatie": kwalificatie.pk, "status": "in_voorbereiding"},
    )
    erkenning = Erkenning.objects.get(leerbedrijf=world.a, kwalificatie=kwalificatie)
    assert response.url == erkenning.get_absolute_url()
    assert sorted(erkenning.checks.values_list("item", flat=True)) == sorted(ChecklistItem.values)

    page = client.get(erkenning.get_absolute_url()).content.decode()
    assert "Nog 6 eisen te regelen" in page
    assert "https://www.s-bb.nl/bedrijven/leerbedrijf-worden" in page
    assert "Bedrijfsverzekering met studentendekking" in page


def test_form_errors_are_dutch_and_nothing_is_saved(client, world):
    kwalificatie = KwalificatieFactory(crebo="25332", name="Eerste monteur", niveau=3, soort="vakopleiding")
    client.force_login(world.opleider)
    url = reverse("leerbedrijf:erkenning_create", args=[world.a.pk])
    response = client.post(url, {"kwalificatie": kwalificatie.pk, "status": "erkend"})
    assert "Vul in wanneer SBB het bedrijf erkende." in response.content.decode()
    response = client.post(
        url,
        {"kwalificatie": kwalificatie.pk, "status": "erkend", "applied_on": "2024-05-01", "granted_on": "2024-01-01"},
    )
    assert "De erkenning kan niet vóór de aanvraag liggen." in response.content.decode()
    # The company is erkend for the stage's kwalificatie already: it is not offered twice.
    response = client.post(url, {"kwalificatie": world.erkenning.kwalificatie_id, "status": "in_voorbereiding"})
    assert response.status_code == 200
    assert Erkenning.objects.filter(leerbedrijf=world.a).count() == 1


def test_editing_status_to_ingetrokken_records_the_date(client, world):
    client.force_login(world.opleider)
    client.post(
        reverse("leerbedrijf:erkenning_edit", args=[world.erkenning.pk]),
        {"status": "ingetrokken", "granted_on": world.erkenning.granted_on.isoformat()},
    )
    world.erkenning.refresh_from_db()
    assert world.erkenning.status == "ingetrokken"
    assert world.erkenning.withdrawn_on == date.today()
    client.post(
        reverse("leerbedrijf:erkenning_edit", args=[world.erkenning.pk]),
        {"status": "erkend", "granted_on": world.erkenning.granted_on.isoformat(), "withdrawn_on": "2026-01-05"},
    )
    world.erkenning.refresh_from_db()
    assert (world.erkenning.status, world.erkenning.withdrawn_on) == ("erkend", None)


def test_ticking_records_who_and_when_and_stores_the_evidence(client, world, settings):
    check = world.erkenning.checks.get(item=ChecklistItem.WERKPLEK)
    client.force_login(world.opleider)
    upload = SimpleUploadedFile("ri&e.png", PNG, content_type="image/png")
    response = client.post(check_url(check), {"done": "on", "note": "RI&E 2026", "evidence": upload})
    assert response.status_code == 302
    check.refresh_from_db()
    assert (check.done, check.note, check.ticked_by, check.evidence_name) == (
        True,
        "RI&E 2026",
        world.opleider,
        "ri&e.png",
    )
    assert check.ticked_at is not None
    assert str(settings.MEDIA_ROOT) in check.evidence.path

    client.force_login(world.wpb)
    download = client.get(reverse("leerbedrijf:erkenning_evidence", args=[world.erkenning.pk, check.pk]))
    assert download.status_code == 200
    with Image.open(io.BytesIO(b"".join(download.streaming_content))) as served:
        assert (served.format, served.size) == ("PNG", (40, 30)), "re-encoded without metadata (tests/test_uploads.py)"
    assert 'filename="ri&e.png"' in download["Content-Disposition"] or "ri%26e.png" in download["Content-Disposition"]
    page = client.get(world.erkenning.get_absolute_url()).content.decode()
    assert "Afgevinkt door" in page and "Bewijsstuk: ri&amp;e.png" in page
    assert f'action="{check_url(check)}"' not in page, "a werkplekbegeleider may read, not tick"


def test_evidence_takes_the_extension_of_its_content_not_of_its_name(client, world):
    check = world.erkenning.checks.get(item=ChecklistItem.WERKPLEK)
    client.force_login(world.opleider)
    client.post(check_url(check), {"evidence": SimpleUploadedFile("foto.pdf", PNG, content_type="application/pdf")})
    check.refresh_from_db()
    assert check.evidence.name.endswith(".png") and check.evidence_name == "foto.png"
    download = client.get(reverse("leerbedrijf:erkenning_evidence", args=[world.erkenning.pk, check.pk]))
    assert download["Content-Type"] == "image/png"


def test_unticking_clears_who_ticked_but_keeps_the_note_and_evidence(client, world):
    client.force_login(world.opleider)
    client.post(check_url(world.check), {"note": "Polis 123"})
    world.check.refresh_from_db()
    assert (world.check.done, world.check.ticked_by, world.check.ticked_at) == (False, None, None)
    assert world.check.note == "Polis 123" and world.check.evidence


def test_ticking_with_htmx_returns_only_that_item(client, world):
    check = world.erkenning.checks.get(item=ChecklistItem.VERMELDING)
    client.force_login(world.opleider)
    response = client.post(check_url(check), {"done": "on"}, headers={"HX-Request": "true"})
    body = response.content.decode()
    assert response.status_code == 200
    assert body.strip().startswith(f'<li class="list-group-item erkenning-check" id="eis-{check.pk}">')
    assert "Opgeslagen." in body and "<html" not in body
    # What is still missing is updated beside the item: two ticked now (the world's insurance and this one).
    assert 'id="eisen-samenvatting" hx-swap-oob="true"' in body
    assert "Nog 4 eisen te regelen" in body


@pytest.mark.parametrize(
    ("name", "content", "error"),
    [
        ("polis.pdf", b"Dit is gewoon tekst met een pdf-naam", "Alleen een pdf, png of jpg kan als bewijsstuk"),
        ("polis.pdf", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00", "Alleen een pdf, png of jpg kan als bewijsstuk"),
        ("polis.pdf", PDF + b"0" * EVIDENCE_MAX_BYTES, "Het bestand is te groot: maximaal 5 MB."),
    ],
    ids=["text-named-pdf", "exe-named-pdf", "too-big"],
)
@pytest.mark.parametrize("htmx", [False, True], ids=["form", "htmx"])
def test_bad_evidence_is_refused_in_dutch_and_nothing_is_saved(client, world, name, content, error, htmx):
    check = world.erkenning.checks.get(item=ChecklistItem.SAMENWERKING)
    client.force_login(world.opleider)
    upload = SimpleUploadedFile(name, content, content_type="application/pdf")
    headers = {"HX-Request": "true"} if htmx else {}
    response = client.post(check_url(check), {"done": "on", "note": "Nieuw", "evidence": upload}, headers=headers)
    assert error in response.content.decode()
    check.refresh_from_db()
    assert (check.done, check.note, bool(check.evidence)) == (False, "", False)
    media = world.erkenning.checks.exclude(evidence="").count()
    assert media == 1, "only the world's own evidence exists"


def test_evidence_is_not_served_outside_the_company_or_without_a_file(client, world):
    client.force_login(world.opleider_b)
    url = reverse("leerbedrijf:erkenning_evidence", args=[world.erkenning.pk, world.check.pk])
    assert client.get(url).status_code == 404
    client.force_login(world.opleider)
    empty = world.erkenning.checks.get(item=ChecklistItem.WERKPLEK)
    assert client.get(reverse("leerbedrijf:erkenning_evidence", args=[world.erkenning.pk, empty.pk])).status_code == 404
    other = ErkenningFactory(leerbedrijf=world.b)
    foreign_check = other.checks.first()
    # A check of another erkenning under this erkenning's URL is not found either.
    assert client.post(check_url(foreign_check).replace(str(other.pk), str(world.erkenning.pk), 1)).status_code == 404


def test_werkprocessen_the_company_cannot_offer_grouped_by_kerntaak(client, world):
    dossier = world.erkenning.kwalificatie.dossier
    k1 = KerntaakFactory(dossier=dossier, code="B1-K1", title="Bereidt voor", is_example=True)
    k2 = KerntaakFactory(dossier=dossier, kwalificatie=world.erkenning.kwalificatie, code="P1-K1", title="Test")
    w1 = WerkprocesFactory(kerntaak=k1, code="B1-K1-W1", title="Plant het werk", is_example=True)
    WerkprocesFactory(kerntaak=k1, code="B1-K1-W2", title="Richt de werkplek in", is_example=True)
    w3 = WerkprocesFactory(kerntaak=k2, code="P1-K1-W1", title="Meet en test")
    client.force_login(world.opleider)
    url = reverse("leerbedrijf:erkenning_werkprocessen", args=[world.erkenning.pk])
    form = client.get(url).content.decode()
    assert form.index("B1-K1-W2") < form.index("P1-K1") < form.index("P1-K1-W1")
    assert "voorbeelddata" in form

    client.post(url, {"unavailable": [w1.pk, w3.pk]})
    assert set(world.erkenning.unavailable_werkprocessen.all()) == {w1, w3}
    page = client.get(world.erkenning.get_absolute_url()).content.decode()
    assert "Plant het werk" in page and "Meet en test" in page and "Richt de werkplek in" not in page
    assert "voorbeelddata" in page

    foreign = WerkprocesFactory(kerntaak=KerntaakFactory(dossier=KwalificatieFactory(crebo="25282").dossier))
    response = client.post(url, {"unavailable": [foreign.pk]})
    assert "Selecteer een geldige keuze" in response.content.decode()
    assert set(world.erkenning.unavailable_werkprocessen.all()) == {w1, w3}


def test_warnings_herbeoordeling_due_and_lapse(world):
    today = date(2026, 11, 29)
    erkenning = world.erkenning
    erkenning.granted_on = date(2022, 12, 15)
    assert erkenning.herbeoordeling_due == date(2026, 12, 15)
    assert any(
        "herbeoordeling door SBB is uiterlijk 15 december 2026" in str(w) for w in erkenning.warnings(today=today)
    )
    erkenning.last_herbeoordeling = date(2025, 1, 10)
    assert erkenning.herbeoordeling_due == date(2029, 1, 10)

    # The world's stage runs until after today; without it, four years without a student lapse the erkenning.
    world.stage.delete()
    old = StageFactory(
        leerbedrijf=world.a,
        kwalificatie=erkenning.kwalificatie,
        start_date=date(2022, 9, 1),
        end_date=date(2023, 1, 20),
    )
    erkenning.last_herbeoordeling = None
    erkenning.granted_on = date(2020, 1, 1)
    assert erkenning.lapses_on == date(2027, 1, 20)
    assert any("vier jaar geen student" in str(w) for w in erkenning.warnings(today=today))
    old.delete()
    assert erkenning.lapses_on == date(2024, 1, 1)


def test_company_warnings_on_the_erkenning_pages_and_the_start_page(client, world):
    other = KwalificatieFactory(crebo="25349", name="Eerste Monteur woning", niveau=3, soort="vakopleiding")
    StageFactory(leerbedrijf=world.a, kwalificatie=other, stagiair__name="Bo Zonder")
    client.force_login(world.opleider)
    expected = "Bo Zonder loopt stage voor Eerste Monteur woning, maar daarvoor is het bedrijf niet erkend."
    assert expected in client.get(reverse("leerbedrijf:erkenningen", args=[world.a.pk])).content.decode()
    start = client.get(reverse("start")).content.decode()
    assert expected in start and "SBB-erkenningen" in start

    world.opleider.memberships.get(role=Role.PRAKTIJKOPLEIDER).end(by=world.staff)
    client.force_login(world.wpb)
    page = client.get(reverse("leerbedrijf:erkenningen", args=[world.a.pk])).content.decode()
    assert "Het bedrijf heeft geen praktijkopleider" in page
    assert "Erkenning vastleggen" not in page


def test_erkenning_warnings_name_only_the_stagiairs_the_colleague_may_see(client, world):
    other = KwalificatieFactory(crebo="25349", name="Eerste Monteur woning", niveau=3, soort="vakopleiding")
    StageFactory(leerbedrijf=world.a, kwalificatie=other, stagiair__name="Bo Zonder")
    StageFactory(leerbedrijf=world.a, kwalificatie=other, stagiair__name="Jet Eigen", werkplekbegeleider=world.wpb)
    url = reverse("leerbedrijf:erkenningen", args=[world.a.pk])

    client.force_login(world.wpb)
    page = client.get(url).content.decode()
    assert "Bo Zonder" not in page
    assert "Jet Eigen loopt stage voor Eerste Monteur woning, maar daarvoor is het bedrijf niet erkend." in page
    assert "Er loopt een stage voor Eerste Monteur woning, maar daarvoor is het bedrijf niet erkend." in page

    client.force_login(world.opleider)
    page = client.get(url).content.decode()
    assert "Bo Zonder loopt stage voor" in page and "Jet Eigen loopt stage voor" in page
    assert "Er loopt een stage voor" not in page


def test_erkenningen_list_keeps_its_queries_as_rows_grow(client, world, django_assert_num_queries):
    client.force_login(world.opleider)
    url = reverse("leerbedrijf:erkenningen", args=[world.a.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for n in range(49):
        erkenning = ErkenningFactory(
            leerbedrijf=world.a,
            kwalificatie=KwalificatieFactory(crebo=f"26{n:03d}", name=f"Kwalificatie {n}"),
            granted_on=date.today() - timedelta(days=4 * 365 - 30),
        )
        StageFactory(leerbedrijf=world.a, kwalificatie=erkenning.kwalificatie)
    assert Erkenning.objects.filter(leerbedrijf=world.a).count() == 50
    with django_assert_num_queries(len(one.captured_queries)):
        response = client.get(url)
    assert response.content.decode().count("herbeoordeling door SBB") == 49


def test_erkenning_detail_keeps_its_queries_as_werkprocessen_grow(client, world, django_assert_num_queries):
    client.force_login(world.opleider)
    url = world.erkenning.get_absolute_url()
    kerntaak = KerntaakFactory(dossier=world.erkenning.kwalificatie.dossier, code="B1-K1")
    world.erkenning.unavailable_werkprocessen.add(WerkprocesFactory(kerntaak=kerntaak))
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    werkprocessen = WerkprocesFactory.create_batch(30, kerntaak=kerntaak)
    world.erkenning.unavailable_werkprocessen.add(*werkprocessen)
    with django_assert_num_queries(len(one.captured_queries)):
        client.get(url)


def test_admin_pages_for_the_beheerder(client, world):
    client.force_login(world.staff)
    for name in ["erkenning", "kwalificatie", "kwalificatiedossier", "kerntaak", "werkproces"]:
        assert client.get(reverse(f"admin:leerbedrijf_{name}_changelist"), {"q": "25333"}).status_code == 200
    assert client.get(reverse("admin:leerbedrijf_erkenning_change", args=[world.erkenning.pk])).status_code == 200
    assert ErkenningCheck.objects.count() == 6
