"""The training a praktijkopleider records on his profile, and the erkenning's checklist that shows it (gids ch. 3)."""

from datetime import date, timedelta
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from leerbedrijf.erkenning.forms import EVIDENCE_MAX_BYTES
from leerbedrijf.models import Training, training_save
from stagegids.roles import Role
from tests.conftest import PDF
from tests.factories import MembershipFactory, UserFactory, png_bytes
from tests.queries import count_queries

ADD = reverse("leerbedrijf:training_add")


def training(**data):
    return {"name": "Training praktijkopleider", "provider": "SBB", "completed_on": "2024-03-14", **data}


def test_praktijkopleider_records_a_training_and_every_colleague_sees_it_on_the_checklist(client, world):
    client.force_login(world.opleider)
    profile = client.get(reverse("leerbedrijf:profile")).text
    assert "Uw profiel" in profile and "U heeft nog geen training vastgelegd." in profile
    assert reverse("leerbedrijf:erkenningen", args=[world.a.pk]) in profile

    upload = SimpleUploadedFile("Certificaat SBB.pdf", PDF, content_type="application/pdf")
    response = client.post(ADD, training(certificate=upload))
    assert response.url == reverse("leerbedrijf:profile")
    recorded = Training.objects.get(user=world.opleider)
    assert (recorded.name, recorded.provider, recorded.completed_on) == (
        "Training praktijkopleider",
        "SBB",
        date(2024, 3, 14),
    )
    assert recorded.certificate_name == "Certificaat SBB.pdf"
    assert recorded.certificate.name.startswith(f"training/{world.opleider.pk}/"), "stored under a name of ours"
    assert "SBB" not in recorded.certificate.name
    assert "Training praktijkopleider" in client.get(reverse("leerbedrijf:profile")).text

    client.force_login(world.wpb)
    page = client.get(world.erkenning.get_absolute_url()).text
    assert "Olga Opleider:" in page
    assert "Training praktijkopleider (SBB), afgerond op 14 maart 2024" in page
    download = client.get(recorded.get_certificate_url())
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
    assert 'filename="Certificaat SBB.pdf"' in download["Content-Disposition"]


def test_checklist_says_when_none_is_recorded_with_a_link_for_the_praktijkopleider_himself(client, world):
    client.force_login(world.opleider)
    page = client.get(world.erkenning.get_absolute_url()).text
    assert "geen training vastgelegd" in page
    assert f'href="{ADD}"' in page

    client.force_login(world.wpb)
    page = client.get(world.erkenning.get_absolute_url()).text
    assert "geen training vastgelegd" in page and "legt dit zelf vast op het eigen profiel" in page
    assert f'href="{ADD}"' not in page


def test_the_htmx_answer_to_ticking_the_item_shows_the_training_too(client, world):
    client.force_login(world.opleider)
    client.post(ADD, training())
    check = world.erkenning.checks.get(item="praktijkopleider")
    response = client.post(
        reverse("leerbedrijf:erkenning_check", args=[world.erkenning.pk, check.pk]),
        {"done": "on", "note": ""},
        headers={"HX-Request": "true"},
    )
    assert "Training praktijkopleider (SBB), afgerond op 14 maart 2024" in response.text


@pytest.mark.parametrize(
    ("completed_on", "error"),
    [
        ((date.today() + timedelta(days=1)).isoformat(), "Deze datum ligt in de toekomst"),
        ("1949-12-31", "Een datum vóór 1950 kan niet kloppen."),
        ("9999-12-31", "Deze datum ligt in de toekomst"),
        ("14-03-2024x", "Voer een geldige datum in."),
        ("", "Dit veld is verplicht."),
    ],
)
def test_dates_out_of_bounds_are_refused_in_dutch(client, world, completed_on, error):
    client.force_login(world.opleider)
    response = client.post(ADD, training(completed_on=completed_on))
    assert response.status_code == 200 and error in response.text
    assert not Training.objects.exists()


def test_today_and_the_first_day_of_1950_are_accepted(client, world):
    client.force_login(world.opleider)
    client.post(ADD, training(completed_on=date.today().isoformat()))
    client.post(ADD, training(completed_on="1950-01-01"))
    assert Training.objects.filter(user=world.opleider).count() == 2


@pytest.mark.parametrize(
    ("name", "content", "error"),
    [
        ("certificaat.pdf", b"Dit is gewoon tekst met een pdf-naam", "Alleen een pdf, png of jpg kan als bewijsstuk"),
        ("certificaat.pdf", PDF + b"0" * EVIDENCE_MAX_BYTES, "Het bestand is te groot: maximaal 5 MB."),
    ],
)
def test_a_certificate_follows_the_rules_of_the_evidence_uploads(client, world, name, content, error):
    client.force_login(world.opleider)
    response = client.post(ADD, training(certificate=SimpleUploadedFile(name, content)))
    assert error in response.text
    assert not Training.objects.exists()


def test_a_certificate_takes_the_extension_of_its_content_and_a_replaced_one_is_removed(
    client, world, django_capture_on_commit_callbacks
):
    client.force_login(world.opleider)
    client.post(ADD, training(certificate=SimpleUploadedFile("foto.pdf", png_bytes())))
    recorded = Training.objects.get()
    assert recorded.certificate.name.endswith(".png") and recorded.certificate_name == "foto.png"
    first = Path(recorded.certificate.path)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("leerbedrijf:training_edit", args=[recorded.pk]),
            training(name="Training praktijkopleider (herhaling)", certificate=SimpleUploadedFile("nieuw.pdf", PDF)),
        )
    recorded.refresh_from_db()
    assert recorded.name == "Training praktijkopleider (herhaling)" and recorded.certificate_name == "nieuw.pdf"
    assert not first.exists() and Path(recorded.certificate.path).exists()


def test_only_the_praktijkopleider_himself_changes_or_deletes_his_training(
    client, world, django_capture_on_commit_callbacks
):
    client.force_login(world.opleider)
    client.post(ADD, training(certificate=SimpleUploadedFile("c.pdf", PDF)))
    recorded = Training.objects.get()
    client.force_login(world.wpb)
    assert client.post(reverse("leerbedrijf:training_delete", args=[recorded.pk])).status_code == 403
    client.force_login(world.opleider_b)
    assert client.get(recorded.get_certificate_url()).status_code == 404

    client.force_login(world.opleider)
    file = Path(recorded.certificate.path)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("leerbedrijf:training_delete", args=[recorded.pk]))
    assert response.url == reverse("leerbedrijf:profile")
    assert not Training.objects.exists() and not file.exists()


def test_the_stagiair_and_the_school_have_a_profile_without_trainings(client, world):
    client.force_login(world.stagiair)
    page = client.get(reverse("leerbedrijf:profile")).text
    assert "Je profiel" in page and "Trainingen" not in page
    response = client.post(reverse("leerbedrijf:profile"), {"name": "Sam de Stagiair"})
    assert response.url == reverse("leerbedrijf:profile")
    world.stagiair.refresh_from_db()
    assert world.stagiair.name == "Sam de Stagiair"
    assert "Je naam is opgeslagen." in client.get(reverse("leerbedrijf:profile")).text

    client.force_login(world.mbo)
    page = client.get(reverse("leerbedrijf:profile")).text
    assert "Mbo-begeleider bij ROC Zuid" in page and "Trainingen" not in page
    assert client.post(reverse("leerbedrijf:profile"), {"name": " "}).status_code == 200


def test_the_profile_is_linked_from_every_page(client, world):
    client.force_login(world.wpb)
    assert f'href="{reverse("leerbedrijf:profile")}"' in client.get(reverse("start")).text


def _praktijkopleiders(world, count):
    for n in range(count):
        person = UserFactory(name=f"Opleider {n}")
        MembershipFactory(user=person, role=Role.PRAKTIJKOPLEIDER, leerbedrijf=world.a)
        for year in (2019, 2023):
            training_save(Training(user=person, name=f"Cursus {year}", provider="SBB", completed_on=date(year, 5, 1)))


def test_checklist_queries_stay_the_same_as_praktijkopleiders_grow(client, world):
    client.force_login(world.opleider)
    url = world.erkenning.get_absolute_url()
    _praktijkopleiders(world, 1)
    few = count_queries(client, url)
    _praktijkopleiders(world, 4)
    assert client.get(url).text.count("Cursus 2023") == 5
    assert count_queries(client, url) == few


def test_a_photographed_certificate_is_stored_without_where_it_was_taken(client, world):
    from PIL import Image

    client.force_login(world.opleider)
    photo = SimpleUploadedFile("certificaat.jpg", png_bytes(exif_gps=True, size=(200, 150)), content_type="image/jpeg")
    client.post(ADD, training(certificate=photo))
    recorded = Training.objects.get()
    assert recorded.certificate_name == "certificaat.jpg"
    with Image.open(recorded.certificate.path) as stored:
        assert not stored.getexif(), "no GPS location, camera or date"
