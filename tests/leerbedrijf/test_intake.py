"""Intake of a stagiair (chapters 1 and 4), through the pages: every rule shows a Dutch error and saves nothing."""

import re
from datetime import date, timedelta

import pytest
from django.urls import reverse

from leerbedrijf.models import Erkenning, ErkenningStatus, Kandidaat, Stage, Stagiair
from tests.factories import KandidaatFactory, KwalificatieFactory, StageFactory, StagiairFactory

START = date(2027, 2, 1)


@pytest.fixture
def erkend(world):
    assert world.erkenning.status == ErkenningStatus.ERKEND  # the world's erkenning for the stage's kwalificatie
    return world.erkenning


def intake_data(world, **changes):
    data = {
        "stagiair_name": "Ilse Instroom",
        "stagiair_email": "ilse@student.nl",
        "kwalificatie": world.stage.kwalificatie.pk,
        "niveau": "",
        "leerjaar": "2",
        "leerweg": "bol",
        "herkomst": "vo",
        "onderwijsinstelling": world.school.pk,
        "mbo_begeleider": world.mbo.pk,
        "bpv_coordinator_name": "Bea Coördinator",
        "bpv_coordinator_email": "bpv@roc-zuid.nl",
        "start_date": START.isoformat(),
        "end_date": (START + timedelta(days=140)).isoformat(),
        "days_per_week": "4",
        "hours_per_week": "32",
        "pok_signed_on": "2027-01-10",
        "bpv_overeenkomst_signed_on": "",
        "stagevergoeding": "300",
        "salaris": "",
        "werkplekbegeleider": world.wpb_other.pk,
        "praktijkbeoordelaar": "",
    }
    data.update(changes)
    return data


def post_intake(client, world, **changes):
    client.force_login(world.opleider)
    return client.post(reverse("leerbedrijf:intake", args=[world.a.pk]), intake_data(world, **changes))


def test_intake_creates_stagiair_and_stage(client, world, erkend):
    response = post_intake(client, world)
    stage = Stage.objects.get(stagiair__email="ilse@student.nl")
    assert response.url == stage.get_absolute_url()
    assert stage.leerbedrijf == world.a
    assert stage.niveau == world.stage.kwalificatie.niveau, "niveau defaults from the kwalificatie"
    assert (stage.leerjaar, stage.herkomst, stage.hours_per_week) == (2, "vo", 32)
    page = client.get(stage.get_absolute_url()).content.decode()
    assert "ondertekend op 10 januari 2027" in page
    assert "Bea Coördinator" in page
    assert "€ 300,00" in page


def assert_nothing_saved(response, message):
    assert response.status_code == 200
    assert message in response.content.decode()
    assert "Er is niets opgeslagen" in response.content.decode()
    assert not Stagiair.objects.filter(email="ilse@student.nl").exists()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"end_date": START.isoformat()}, "De einddatum moet na de startdatum liggen."),
        ({"end_date": (START - timedelta(days=1)).isoformat()}, "De einddatum moet na de startdatum liggen."),
        (
            {"leerweg": "bbl", "stagevergoeding": "", "salaris": "2100"},
            "Bij bbl hoort naast de pok ook een bpv-overeenkomst",
        ),
        ({"leerweg": "bol", "salaris": "2100"}, "Bij bol is er geen salaris"),
        ({"stagiair_email": ""}, "Dit veld is verplicht."),
    ],
)
def test_intake_rules(client, world, erkend, changes, message):
    assert_nothing_saved(post_intake(client, world, **changes), message)


@pytest.mark.parametrize("status", [None, ErkenningStatus.AANGEVRAAGD, ErkenningStatus.INGETROKKEN])
def test_intake_needs_an_erkenning_with_status_erkend(client, world, status):
    if status:
        Erkenning.objects.filter(pk=world.erkenning.pk).update(status=status)
    else:
        world.erkenning.delete()
    assert_nothing_saved(post_intake(client, world), "Uw bedrijf is niet door SBB erkend voor deze kwalificatie.")


def test_erkenning_of_another_company_does_not_count(client, world):
    world.erkenning.delete()
    Erkenning.objects.create(leerbedrijf=world.b, kwalificatie=world.stage.kwalificatie, status=ErkenningStatus.ERKEND)
    assert_nothing_saved(post_intake(client, world), "niet door SBB erkend")


def test_overlapping_stage_of_same_email_is_refused(client, world, erkend):
    earlier = StageFactory(
        leerbedrijf=world.a,
        stagiair=StagiairFactory(leerbedrijf=world.a, email="Ilse@Student.nl"),
        start_date=START - timedelta(days=30),
        end_date=START + timedelta(days=10),
    )
    response = post_intake(client, world)
    assert response.status_code == 200
    assert "Deze stagiair heeft in deze periode al een stage bij uw bedrijf" in response.content.decode()
    assert Stage.objects.filter(stagiair__email__iexact="ilse@student.nl").count() == 1
    earlier.end_date = START
    earlier.save()
    response = post_intake(client, world)
    assert response.status_code == 302, "a stage that ends on the start day does not overlap"
    assert Stage.objects.filter(stagiair=earlier.stagiair).count() == 2, "the known stagiair is reused"


def test_same_email_in_another_company_is_no_overlap(client, world, erkend):
    StageFactory(
        leerbedrijf=world.b,
        stagiair=StagiairFactory(leerbedrijf=world.b, email="ilse@student.nl"),
        start_date=START,
        end_date=START + timedelta(days=100),
    )
    assert post_intake(client, world).status_code == 302


@pytest.mark.parametrize("persona", ["opleider", "opleider_b", "mbo", "beoordelaar"])
def test_werkplekbegeleider_must_be_a_begeleider_here(client, world, erkend, persona):
    response = post_intake(client, world, werkplekbegeleider=getattr(world, persona).pk)
    assert_nothing_saved(response, "Deze persoon is geen werkplekbegeleider in uw bedrijf.")


def test_mbo_begeleider_must_work_at_the_school(client, world, erkend):
    response = post_intake(client, world, mbo_begeleider=world.mbo_other_school.pk)
    assert_nothing_saved(response, "Deze mbo-begeleider werkt niet bij de gekozen school.")


def mbo_choices(page):
    """The values offered in the mbo-begeleider list of a stage form."""
    select = re.search(r'<select name="mbo_begeleider".*?</select>', page, re.S).group(0)
    return {value for value in re.findall(r'value="([^"]*)"', select) if value}


def test_mbo_begeleider_list_holds_only_the_chosen_school(client, world, erkend):
    client.force_login(world.opleider)
    intake_url = reverse("leerbedrijf:intake", args=[world.a.pk])
    assert mbo_choices(client.get(intake_url).content.decode()) == set(), "no school chosen yet: nobody"
    kandidaat = KandidaatFactory(leerbedrijf=world.a, onderwijsinstelling=world.school)
    page = client.get(f"{intake_url}?kandidaat={kandidaat.pk}").content.decode()
    assert mbo_choices(page) == {str(world.mbo.pk), str(world.mbo_same_school.pk)}
    edit_url = reverse("leerbedrijf:stage_edit", args=[world.stage.pk])
    page = client.get(edit_url).content.decode()
    assert mbo_choices(page) == {str(world.mbo.pk), str(world.mbo_same_school.pk)}

    # Choosing another school on the page asks for the list again (htmx), and it follows the school.
    assert f'hx-get="{edit_url}"' in page and 'hx-select="#div_id_mbo_begeleider"' in page
    page = client.get(f"{intake_url}?onderwijsinstelling={world.stage_b.onderwijsinstelling_id}").content.decode()
    assert mbo_choices(page) == {str(world.mbo_other_school.pk)}

    # A refused post lists the posted school's begeleiders, and a forged one of another school saves nothing.
    response = post_intake(client, world, mbo_begeleider=world.mbo_other_school.pk)
    assert mbo_choices(response.content.decode()) == {str(world.mbo.pk), str(world.mbo_same_school.pk)}
    assert_nothing_saved(response, "Deze mbo-begeleider werkt niet bij de gekozen school.")
    response = post_intake(client, world, onderwijsinstelling="", mbo_begeleider=world.mbo.pk)
    assert_nothing_saved(response, "Deze mbo-begeleider werkt niet bij de gekozen school.")


def test_stage_form_selects_offer_the_dutch_empty_choice(client, world):
    client.force_login(world.opleider)
    page = client.get(reverse("leerbedrijf:intake", args=[world.a.pk])).content.decode()
    assert "Select an option" not in page
    for name in ("kwalificatie", "leerweg", "herkomst", "onderwijsinstelling"):
        select = re.search(rf'<select name="{name}".*?</select>', page, re.S).group(0)
        assert '<option value="" selected>kies…</option>' in select, name
    page = client.get(reverse("leerbedrijf:import", args=[world.a.pk])).content.decode()
    assert "kies…" in page and "Select an option" not in page


def test_too_many_stagiairs_warns_and_saves_after_confirmation(client, world, erkend):
    world.a.max_stagiairs_per_begeleider = 1
    world.a.save()
    StageFactory(
        leerbedrijf=world.a, werkplekbegeleider=world.wpb_other, start_date=START, end_date=START + timedelta(days=50)
    )
    response = post_intake(client, world)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Let op:" in page and "begeleidt in deze periode al 1 stagiair(s)" in page
    assert "Er is niets opgeslagen" not in page, "a warning, not an error"
    assert not Stagiair.objects.filter(email="ilse@student.nl").exists()
    response = post_intake(client, world, confirm_overload="on")
    assert response.status_code == 302
    assert Stage.objects.filter(stagiair__email="ilse@student.nl", werkplekbegeleider=world.wpb_other).exists()


def test_praktijkopleider_changes_the_maximum(client, world):
    client.force_login(world.opleider)
    response = client.post(reverse("leerbedrijf:settings", args=[world.a.pk]), {"max_stagiairs_per_begeleider": "4"})
    assert response.status_code == 302
    world.a.refresh_from_db()
    assert world.a.max_stagiairs_per_begeleider == 4


def edit_data(world, **changes):
    data = intake_data(world, **changes)
    del data["stagiair_name"], data["stagiair_email"]
    return data


def test_edit_stage_and_its_rules(client, world, erkend):
    client.force_login(world.opleider)
    url = reverse("leerbedrijf:stage_edit", args=[world.stage.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, edit_data(world, end_date=START.isoformat()))
    assert "De einddatum moet na de startdatum liggen." in response.content.decode()
    world.stage.refresh_from_db()
    assert world.stage.start_date != START, "nothing saved"
    response = client.post(url, edit_data(world, leerweg="bbl", stagevergoeding="", salaris="2000"))
    assert "bpv-overeenkomst" in response.content.decode()
    assert client.post(url, edit_data(world)).status_code == 302
    world.stage.refresh_from_db()
    assert (world.stage.start_date, world.stage.werkplekbegeleider) == (START, world.wpb_other)


def test_edit_does_not_overlap_with_itself_but_with_another_stage(client, world, erkend):
    client.force_login(world.opleider)
    StageFactory(
        leerbedrijf=world.a,
        stagiair=StagiairFactory(leerbedrijf=world.a, email=world.stage.stagiair.email),
        start_date=START + timedelta(days=100),
        end_date=START + timedelta(days=200),
    )
    response = client.post(reverse("leerbedrijf:stage_edit", args=[world.stage.pk]), edit_data(world))
    assert "al een stage bij uw bedrijf" in response.content.decode()


@pytest.mark.parametrize(
    ("persona", "sees_pay"),
    [("opleider", True), ("stagiair", True), ("wpb", False), ("mbo", False), ("beoordelaar", False)],
)
def test_stage_detail_shows_contract_and_pay_only_to_company_and_student(client, world, persona, sees_pay):
    world.stage.pok_signed_on = date(2026, 1, 5)
    world.stage.stagevergoeding = 275
    world.stage.save()
    client.force_login(getattr(world, persona))
    page = client.get(reverse("leerbedrijf:stage", args=[world.stage.pk])).content.decode()
    assert "ondertekend op 5 januari 2026" in page
    assert ("€ 275,00" in page) is sees_pay
    assert ("Stage bewerken" in page) is (persona == "opleider")


# Matching before the start


def test_kandidaat_added_and_edited(client, world):
    client.force_login(world.opleider)
    response = client.post(
        reverse("leerbedrijf:kandidaat_new", args=[world.a.pk]),
        {"name": "Kees Kandidaat", "email": "kees@example.nl", "motivatie": "Techniek!", "leerwensen_geboden": ""},
    )
    kandidaat = Kandidaat.objects.get(name="Kees Kandidaat")
    assert response.url == kandidaat.get_absolute_url()
    response = client.post(
        kandidaat.get_absolute_url(),
        {
            "name": "Kees Kandidaat",
            "email": "kees@example.nl",
            "meeloopdag_on": "2026-12-01",
            "meeloopdag_met": "Wim",
            "meeloopdag_uitkomst": "Enthousiast",
            "leerwensen_geboden": "True",
        },
    )
    kandidaat.refresh_from_db()
    assert (kandidaat.meeloopdag_met, kandidaat.leerwensen_geboden) == ("Wim", True)


def test_rejected_kandidaat_keeps_only_name_date_and_reason(client, world):
    kandidaat = KandidaatFactory(
        leerbedrijf=world.a,
        name="Rik Afgewezen",
        leerwensen="Zonnepanelen",
        meeloopdag_on=date(2026, 11, 2),
        meeloopdag_met="Wim",
        meeloopdag_uitkomst="Kwam te laat, weinig interesse",
    )
    client.force_login(world.opleider)
    response = client.post(
        reverse("leerbedrijf:kandidaat_besluit", args=[kandidaat.pk]),
        {"besluit": "niet_aangenomen", "reden": "Wij bieden geen zonnepanelen."},
    )
    assert response.status_code == 302
    kandidaat.refresh_from_db()
    assert (kandidaat.name, kandidaat.meeloopdag_on, kandidaat.besluit_reden) == (
        "Rik Afgewezen",
        date(2026, 11, 2),
        "Wij bieden geen zonnepanelen.",
    )
    assert kandidaat.besluit_on is not None
    assert (kandidaat.email, kandidaat.motivatie, kandidaat.leerwensen) == ("", "", "")
    assert (kandidaat.meeloopdag_met, kandidaat.meeloopdag_uitkomst) == ("", "")
    page = client.get(kandidaat.get_absolute_url()).content.decode()
    assert "weinig interesse" not in page and "Wij bieden geen zonnepanelen." in page


def test_besluit_needs_a_reason(client, world):
    client.force_login(world.opleider)
    response = client.post(
        reverse("leerbedrijf:kandidaat_besluit", args=[world.kandidaat.pk]), {"besluit": "niet_aangenomen"}
    )
    assert response.status_code == 200
    assert "Dit veld is verplicht." in response.content.decode()
    world.kandidaat.refresh_from_db()
    assert world.kandidaat.besluit == "open" and world.kandidaat.motivatie


def test_accepted_kandidaat_leads_into_prefilled_intake(client, world, erkend):
    kandidaat = KandidaatFactory(
        leerbedrijf=world.a, name="Anna Aangenomen", email="anna@example.nl", kwalificatie=world.stage.kwalificatie
    )
    client.force_login(world.opleider)
    response = client.post(
        reverse("leerbedrijf:kandidaat_besluit", args=[kandidaat.pk]), {"besluit": "aangenomen", "reden": "Past goed."}
    )
    assert response.url == reverse("leerbedrijf:intake", args=[world.a.pk]) + f"?kandidaat={kandidaat.pk}"
    page = client.get(response.url).content.decode()
    assert 'value="Anna Aangenomen"' in page and 'value="anna@example.nl"' in page
    kandidaat.refresh_from_db()
    assert kandidaat.motivatie, "an accepted kandidaat keeps the motivation"


def test_kandidaat_of_another_company_cannot_prefill(client, world):
    other = KandidaatFactory(leerbedrijf=world.b)
    client.force_login(world.opleider)
    response = client.get(reverse("leerbedrijf:intake", args=[world.a.pk]) + f"?kandidaat={other.pk}")
    assert response.status_code == 404


@pytest.mark.parametrize("rows", [1, 50])
def test_kandidaat_list_queries_are_constant(client, world, django_assert_num_queries, rows):
    KandidaatFactory.create_batch(rows - 1, leerbedrijf=world.a, kwalificatie=KwalificatieFactory())
    client.force_login(world.opleider)
    url = reverse("leerbedrijf:kandidaten", args=[world.a.pk])
    client.get(url)
    with django_assert_num_queries(6):  # 5, and the header's count of unread notifications
        response = client.get(url)
    assert response.content.decode().count("/kandidaten/") >= rows


def test_start_page_shows_what_the_intake_asks(client, world):
    client.force_login(world.opleider)
    page = client.get(reverse("start")).content.decode()
    assert "Besluiten over 1 kandidaat — Installatiebedrijf A</a>" in page
    assert "De pok van 2 stages laten ondertekenen" not in page
    assert "De pok van 1 stage laten ondertekenen — Installatiebedrijf A</a>" in page
    client.force_login(world.wpb)
    assert "Besluiten over" not in client.get(reverse("start")).content.decode()


@pytest.mark.parametrize("url_name", ["intake", "stage_edit"])
def test_form_layout_drops_no_field(client, world, url_name):
    client.force_login(world.opleider)
    pk = world.a.pk if url_name == "intake" else world.stage.pk
    response = client.get(reverse(f"leerbedrijf:{url_name}", args=[pk]))
    page = response.content.decode()
    for name in response.context["form"].fields:
        assert f'name="{name}"' in page, name


def test_a_stage_from_the_intake_has_its_onboarding_checklists(client, world, erkend):
    post_intake(client, world)
    stage = Stage.objects.get(stagiair__email="ilse@student.nl")
    page = client.get(reverse("leerbedrijf:onboarding", args=[stage.pk])).content.decode()
    assert "geen acties" not in page
    assert "0 van 14 gedaan" in page, "the gids's 13 items and the company's own one"
    assert "Zorg dat er iemand klaarstaat om de stagiair op te vangen en welkom te heten." in page
    assert "Toolbox veilig werken op hoogte" in page


def test_a_double_submit_of_the_intake_makes_one_stage_with_one_checklist(client, world, erkend):
    post_intake(client, world)
    again = post_intake(client, world)
    assert again.status_code == 200
    assert "Deze stagiair heeft in deze periode al een stage bij uw bedrijf" in again.content.decode()
    stage = Stage.objects.get(stagiair__email="ilse@student.nl")
    assert stage.onboarding_items.count() == 14


def test_a_werkplekbegeleider_linked_later_takes_over_his_onboarding_items(client, world, erkend):
    post_intake(client, world, werkplekbegeleider="")
    stage = Stage.objects.get(stagiair__email="ilse@student.nl")
    assert {item.responsible for item in stage.onboarding_items.all()} == {world.opleider}
    # One item the praktijkopleider gave to a colleague on purpose stays with that colleague.
    stage.onboarding_items.filter(gids_key="kleine_taken").update(responsible=world.hybride)
    edit = reverse("leerbedrijf:stage_edit", args=[stage.pk])
    client.post(edit, edit_data(world, werkplekbegeleider=world.wpb_other.pk))
    held = dict(stage.onboarding_items.values_list("gids_key", "responsible"))
    assert held["voorstellen"] == world.wpb_other.pk
    assert held["kleine_taken"] == world.hybride.pk
    assert held["informeer_collegas"] == world.opleider.pk, "the praktijkopleider's own items stay his"
    # A successor takes over from his predecessor.
    client.post(edit, edit_data(world, werkplekbegeleider=world.wpb.pk))
    assert stage.onboarding_items.get(gids_key="voorstellen").responsible == world.wpb
