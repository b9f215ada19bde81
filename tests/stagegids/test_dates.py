"""Dates lie in one window (stagegids.dates): forms refuse others in Dutch, and rows from before still show."""

from datetime import date

import pytest
from django.urls import reverse

from leerbedrijf.models import Erkenning, Stage
from stagegids import dates
from stageplan.models import Moment
from tests.factories import StageFactory


def test_add_years_and_months_saturate_at_the_ends_of_the_calendar():
    assert dates.add_years(date(9999, 12, 31), 4) == date.max
    assert dates.add_months(date(1, 1, 1), -3) == date.min
    assert dates.add_years(date(2028, 2, 29), 1) == date(2029, 2, 28)


@pytest.mark.parametrize("day", [date(9999, 12, 31), date(1, 1, 10)])
def test_pages_show_stages_and_erkenningen_with_dates_from_before_the_window(client, world, day):
    # Rows saved before the window existed: the pages that compute deadlines from them must still answer.
    Stage.objects.filter(pk=world.stage.pk).update(
        start_date=min(day, world.stage.start_date), end_date=max(day, world.stage.end_date)
    )
    Erkenning.objects.filter(pk=world.erkenning.pk).update(granted_on=day, last_herbeoordeling=day)
    for user in (world.opleider, world.wpb, world.stagiair):
        client.force_login(user)
        assert client.get("/").status_code == 200
    client.force_login(world.opleider)
    assert client.get(reverse("leerbedrijf:erkenningen", args=[world.a.pk])).status_code == 200
    assert client.get(reverse("leerbedrijf:erkenning", args=[world.erkenning.pk])).status_code == 200
    assert client.get(world.a.get_absolute_url()).status_code == 200


@pytest.mark.parametrize(("start", "end"), [(date(1, 1, 1), date(1, 1, 3)), (date(2000, 1, 3), date(9990, 1, 1))])
def test_stageplan_maken_caps_the_moments_it_proposes(client, world, start, end):
    stage = StageFactory(leerbedrijf=world.a, kwalificatie=world.stage.kwalificatie)
    Stage.objects.filter(pk=stage.pk).update(start_date=start, end_date=end)
    client.force_login(world.opleider)
    response = client.post(
        reverse("stageplan:create", args=[stage.pk]), {"interval_weeks": 1, "propose": "on"}, follow=True
    )
    assert response.status_code == 200
    assert "Het stageplan is gemaakt" in response.content.decode()
    assert 0 < Moment.objects.filter(stage=stage).count() <= dates.MAX_PROPOSED_MOMENTS


def test_erkenning_form_refuses_a_date_outside_the_window_in_dutch(client, world):
    client.force_login(world.opleider)
    response = client.post(
        reverse("leerbedrijf:erkenning_edit", args=[world.erkenning.pk]),
        {"status": "erkend", "sbb_reference": "SBB-1", "granted_on": "9999-12-31"},
    )
    page = response.content.decode()
    assert "Vul een datum tussen 1 januari 2000 en" in page
    world.erkenning.refresh_from_db()
    assert world.erkenning.granted_on != date(9999, 12, 31)
    assert (
        'min="2000-01-01"'
        in client.get(reverse("leerbedrijf:erkenning_edit", args=[world.erkenning.pk])).content.decode()
    )


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"end_date": "9999-12-31"}, "Vul een datum tussen 1 januari 2000 en"),
        ({"start_date": "1999-12-31"}, "Vul een datum tussen 1 januari 2000 en"),
        ({"pok_signed_on": "0001-01-01"}, "Vul een datum tussen 1 januari 2000 en"),
        ({"start_date": "2027-02-01", "end_date": "2031-02-02"}, "Een stage duurt hoogstens 4 jaar."),
    ],
)
def test_intake_refuses_dates_outside_the_window_in_dutch(client, world, changes, message):
    from tests.leerbedrijf.test_intake import intake_data

    client.force_login(world.opleider)
    response = client.post(reverse("leerbedrijf:intake", args=[world.a.pk]), intake_data(world, **changes))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Stage.objects.filter(stagiair__email="ilse@student.nl").exists()


def test_a_four_year_bbl_leerbaan_is_accepted(client, world):
    from tests.leerbedrijf.test_intake import intake_data

    client.force_login(world.opleider)
    data = intake_data(world, start_date="2027-09-01", end_date="2031-09-01")
    assert client.post(reverse("leerbedrijf:intake", args=[world.a.pk]), data).status_code == 302


@pytest.mark.parametrize("starts_at", ["0001-01-01T10:00", "9999-12-31T10:00"])
def test_a_moment_or_a_proposal_outside_the_window_is_refused_in_dutch(client, world, starts_at):
    args = {"pk": world.stage.pk}
    based_on = world.stageplan.version
    client.force_login(world.opleider)
    page = client.post(
        reverse("stageplan:moment_add", kwargs=args),
        {"based_on": based_on, "kind": "voortgangsgesprek", "starts_at": starts_at, "location": "Kantine"},
    )
    assert page.status_code == 200 and "Vul een datum tussen 1 januari 2000" in page.content.decode()
    client.force_login(world.stagiair)
    page = client.post(
        reverse("stageplan:moment_propose", kwargs=args),
        {"kind": "voortgangsgesprek", "starts_at": starts_at, "location": "Kantine"},
    )
    assert page.status_code == 200 and "Vul een datum tussen 1 januari 2000" in page.content.decode()
    assert not Moment.objects.filter(stage=world.stage, location="Kantine").exists()
