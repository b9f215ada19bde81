"""The week of hours through its pages: prefilled from the plan, one tap for a normal week, per day, approval,
sending back, correction, and the refusals (issue 14)."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse

from stagegids.models import Wijziging
from tests.test_confirm_steps import in_parallel, postgres_only
from uren.models import Soort, Urencorrectie, Urendag, Urenweek, WeekStatus

from .steps import form_data, last_monday, submit_normal, week_of, week_path


def messages_of(response):
    return [str(message) for message in response.context["messages"]]


def test_opening_a_week_writes_nothing_and_shows_the_planned_days(client, world, stage):
    client.force_login(world.stagiair)
    page = client.get(week_path(stage))
    assert page.status_code == 200
    assert Urenweek.objects.count() == 0
    form = page.context["form"]
    # Three planned days of eight hours, then vrij; Saturday and Sunday vrij.
    assert [form[f"soort_{i}"].value() for i in range(7)] == ["werk"] * 3 + ["vrij"] * 4
    assert [form[f"hours_{i}"].value() for i in range(3)] == ["8"] * 3
    assert "Normale week bevestigen" in page.text


def test_a_normal_week_is_one_tap_and_a_second_tap_changes_nothing(client, world, stage):
    client.force_login(world.stagiair)
    done = submit_normal(client, stage)
    assert "De normale week is ingediend en wacht op akkoord." in messages_of(done)
    week = week_of(stage)
    assert week.status == WeekStatus.INGEDIEND and week.submitted_by == world.stagiair
    assert sum(day.hours for day in week.days.all()) == Decimal(24)
    again = client.post(week_path(stage, name="uren:week_normaal"), {"version": week.version - 1}, follow=True)
    assert any("ingediend en wacht op akkoord" in m for m in messages_of(again))
    assert Urendag.objects.filter(week=week).count() == 7
    assert week_of(stage).version == week.version


def test_a_week_is_filled_per_day_with_absence_and_begeleiding(client, world, stage):
    client.force_login(world.wpb)
    data = form_data(
        client,
        stage,
        soort_1="ziek",
        hours_2="7,5",
        **{f"begeleiding_{world.wpb.pk}": "1,5"},
        submit="",
    )
    response = client.post(week_path(stage, name="uren:week_invullen"), data, follow=True)
    assert "De week is ingediend en wacht op akkoord." in messages_of(response)
    week = week_of(stage)
    days = list(week.days.all())
    assert (days[1].soort, days[1].afwezigheid, days[1].hours) == (Soort.AFWEZIG, "ziek", Decimal(8))
    assert days[2].hours == Decimal("7.5")
    assert week.begeleiding.get().begeleider == world.wpb
    assert week.begeleiding.get().hours == Decimal("1.5")


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"hours_0": "25"}, "Vul hoogstens 24 uren in."),
        ({"hours_0": "-1"}, "Vul 0 of meer uren in."),
        ({"hours_0": "acht"}, "Vul een aantal uren in, bijvoorbeeld 8 of 7,5."),
        ({"hours_0": "0"}, "Vul de uren van deze dag in, of kies ‘vrij’."),
        ({"hours_5": "4"}, "Een vrije dag heeft geen uren; kies werk, school of afwezig."),
        ({"soort_0": "feest"}, "Selecteer een geldige keuze."),
    ],
)
def test_a_wrong_day_is_refused_in_dutch_on_the_form(client, world, stage, changes, message):
    client.force_login(world.stagiair)
    response = client.post(week_path(stage, name="uren:week_invullen"), form_data(client, stage, **changes, submit=""))
    assert response.status_code == 200
    assert message in response.text
    assert Urenweek.objects.count() == 0


def test_weeks_outside_the_stage_or_not_yet_begun_are_refused(client, world, stage):
    client.force_login(world.stagiair)
    before = stage.start_date - timedelta(days=14)
    response = client.get(week_path(stage, before - timedelta(days=before.weekday())), follow=True)
    assert any(m.startswith("Deze week valt buiten de stage") for m in messages_of(response))
    coming = last_monday() + timedelta(days=14)
    response = client.get(week_path(stage, coming), follow=True)
    assert any(m.startswith("Deze week is nog niet begonnen") for m in messages_of(response))
    response = client.post(week_path(stage, coming, "uren:week_normaal"), {"version": 1}, follow=True)
    assert Urenweek.objects.count() == 0
    assert client.get(reverse("uren:week", kwargs={"pk": stage.pk, "year": 2026, "week": 60})).status_code == 404


def test_approval_once_and_the_second_click_says_so(client, world, stage):
    client.force_login(world.stagiair)
    submit_normal(client, stage)
    client.force_login(world.wpb)
    response = client.post(week_path(stage, name="uren:week_akkoord"), follow=True)
    assert "De uren van deze week zijn akkoord." in messages_of(response)
    again = client.post(week_path(stage, name="uren:week_akkoord"), follow=True)
    assert any(m.startswith("Deze week was al op") for m in messages_of(again))
    week = week_of(stage)
    assert week.status == WeekStatus.AKKOORD and week.approved_by == world.wpb
    assert Wijziging.objects.for_object(week).filter(action="uren_akkoord").count() == 1


def test_sent_back_with_a_reason_then_filled_again(client, world, stage):
    client.force_login(world.stagiair)
    submit_normal(client, stage)
    client.force_login(world.opleider)
    refused = client.post(week_path(stage, name="uren:week_terugsturen"), {"reason": ""}, follow=True)
    assert "Schrijf waarom u de week terugstuurt; de invuller leest het." in messages_of(refused)
    assert week_of(stage).status == WeekStatus.INGEDIEND
    client.post(week_path(stage, name="uren:week_terugsturen"), {"reason": "Dinsdag was je vrij."})
    assert week_of(stage).status == WeekStatus.TERUGGESTUURD
    client.force_login(world.stagiair)
    page = client.get(week_path(stage))
    assert "Dinsdag was je vrij." in page.text
    data = form_data(client, stage, soort_1="vrij", hours_1="0", submit="")
    client.post(week_path(stage, name="uren:week_invullen"), data)
    week = week_of(stage)
    assert week.status == WeekStatus.INGEDIEND
    assert sum(day.hours for day in week.days.all()) == Decimal(16)


def test_an_approved_week_changes_only_by_a_visible_correction(client, world, stage):
    client.force_login(world.stagiair)
    submit_normal(client, stage)
    client.force_login(world.wpb)
    client.post(week_path(stage, name="uren:week_akkoord"))
    client.force_login(world.stagiair)
    page = client.get(week_path(stage))
    assert "form" not in page.context or page.context["form"] is None
    data = {"version": week_of(stage).version, "submit": ""}
    refused = client.post(week_path(stage, name="uren:week_invullen"), data, follow=True)
    assert any("akkoord gegeven; wijzigen kan alleen met een correctie" in m for m in messages_of(refused))

    client.force_login(world.opleider)
    url = week_path(stage, name="uren:week_corrigeren")
    page = client.get(url)
    data = {"version": page.context["form"]["version"].value()}
    for name in page.context["form"].fields:
        if name not in ("version", "reason"):
            value = page.context["form"][name].value()
            data[name] = "" if value is None else str(value)
    same = client.post(url, {**data, "reason": "Niets"})
    assert "Er is niets gewijzigd; de correctie is niet opgeslagen." in same.text
    no_reason = client.post(url, {**data, "hours_0": "6"})
    assert no_reason.status_code == 200 and Urencorrectie.objects.count() == 0
    done = client.post(url, {**data, "hours_0": "6", "reason": "Naar de tandarts"}, follow=True)
    assert "De correctie is opgeslagen; ze staat met uw reden bij de week." in messages_of(done)
    correctie = Urencorrectie.objects.get()
    day = last_monday().isoformat()
    assert correctie.changes == {f"{day} uren": ["8.00", "6.00"]}
    assert correctie.by == world.opleider and correctie.reason == "Naar de tandarts"
    week = week_of(stage)
    assert week.status == WeekStatus.AKKOORD
    assert Wijziging.objects.for_object(week).filter(action="uren_gecorrigeerd").get().data["reason"] == (
        "Naar de tandarts"
    )
    shown = client.get(week_path(stage))
    assert "Naar de tandarts" in shown.text and "8.00 → 6.00" in shown.text
    stale = client.post(url, {**data, "hours_0": "5", "reason": "Nog eens"}, follow=True)
    assert any(m.startswith("Niet opgeslagen:") for m in messages_of(stale))
    assert Urencorrectie.objects.count() == 1


def test_two_people_filling_the_same_week_do_not_overwrite_each_other(client, world, stage):
    client.force_login(world.stagiair)
    theirs = form_data(client, stage, hours_0="6", save="")
    client.force_login(world.wpb)
    mine = form_data(client, stage, hours_0="7", save="")
    client.post(week_path(stage, name="uren:week_invullen"), mine)
    client.force_login(world.stagiair)
    response = client.post(week_path(stage, name="uren:week_invullen"), theirs)
    assert response.status_code == 200
    assert "Niet opgeslagen: Willem Begeleider heeft deze week intussen gewijzigd." in response.text
    assert week_of(stage).days.first().hours == Decimal(7)
    # The refused form keeps what was typed, now based on the stored version: saving again is a choice.
    assert response.context["form"]["hours_0"].value() == "6"
    client.post(week_path(stage, name="uren:week_invullen"), {**theirs, "version": week_of(stage).version})
    assert week_of(stage).days.first().hours == Decimal(6)


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_parallel_approval_and_sending_back_change_the_week_once(world, stage):
    from uren.models import planned_days

    week = Urenweek.shown_for(stage, last_monday())
    week.fill(by=world.stagiair, version=1, days=planned_days(stage, last_monday()), begeleiding={}, submit=True)
    responses = in_parallel(
        (world.wpb, week_path(stage, name="uren:week_akkoord"), {}),
        (world.opleider, week_path(stage, name="uren:week_akkoord"), {}),
        (world.opleider, week_path(stage, name="uren:week_terugsturen"), {"reason": "Klopt niet"}),
    )
    assert all(response.status_code == 200 for response in responses)
    week.refresh_from_db()
    steps = Wijziging.objects.for_object(week).filter(action__in=["uren_akkoord", "uren_teruggestuurd"])
    assert steps.count() == 1
    assert week.status in (WeekStatus.AKKOORD, WeekStatus.TERUGGESTUURD)


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_parallel_first_saves_make_one_week(world, stage):
    url = week_path(stage, name="uren:week_normaal")
    responses = in_parallel((world.stagiair, url, {"version": 1}), (world.wpb, url, {"version": 1}))
    assert all(response.status_code == 200 for response in responses)
    week = week_of(stage)
    assert Urenweek.objects.count() == 1 and week.days.count() == 7
    assert Wijziging.objects.for_object(week).filter(action="uren_ingediend").count() == 1


def test_an_interrupted_stage_takes_no_hours_after_the_interruption(client, world, stage):
    from leerbedrijf.models import StageStop, StopKind, StopReden

    StageStop.record(
        stage=stage,
        kind=StopKind.ONDERBROKEN,
        reden=StopReden.OVERLEG,
        starts_on=last_monday() + timedelta(days=2),
        toelichting="",
        by=world.opleider,
    )
    client.force_login(world.stagiair)
    # The week of the interruption: Monday and Tuesday only.
    form = client.get(week_path(stage)).context["form"]
    assert [day for day, _soort, _hours in form.rows] == [last_monday(), last_monday() + timedelta(days=1)]
    response = client.get(week_path(stage, last_monday() + timedelta(days=7)), follow=True)
    assert any(m.startswith("De stage is onderbroken met ingang van") for m in messages_of(response))
