"""The conditions page of a stage: per scheme, each condition met, not met or open, and what is missing."""

from datetime import date, timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils.html import escape

from leerbedrijf.models import Erkenning, Leerweg, Stage
from tegemoetkoming import conditions
from tests.factories import StageFactory
from tests.tegemoetkoming.helpers import approve_weeks, mondays

TODAY = date(2026, 9, 1)


@pytest.fixture
def bbl(world):
    """A bbl stage of studiejaar 2025/2026 at leerbedrijf A, erkend since a year before the world's erkenning."""
    Stage.objects.filter(pk=world.stage.pk).update(
        leerweg=Leerweg.BBL,
        start_date=date(2025, 9, 1),
        end_date=date(2026, 7, 17),
        hours_per_week=32,
        pok_signed_on=date(2025, 8, 25),
    )
    erkenning = Erkenning.objects.get(pk=world.erkenning.pk)
    erkenning.granted_on = date(2020, 1, 6)
    erkenning.save()
    world.stage.refresh_from_db()
    return world.stage


def outcome(stage, year=2025, today=TODAY):
    stage = Stage.objects.select_related("kwalificatie").get(pk=stage.pk)
    facts = conditions.Facts.load([stage], today=today)
    return conditions.praktijkleren(stage, year, facts), conditions.stip(stage, facts)


def met(result):
    return {condition.label: condition.met for condition in result.conditions}


def test_praktijkleren_all_met_with_every_week_approved_and_begeleid(bbl, world):
    weeks = [monday for monday in mondays(date(2025, 9, 1), 46)]
    approve_weeks(bbl, weeks, by=world.wpb, approver=world.opleider)
    praktijkleren, _stip = outcome(bbl)
    assert praktijkleren.periods.count == 40
    assert praktijkleren.periods.over_maximum == 6
    # Everything but the window, which the seeded rows leave for the beheerder to fill in.
    open_ = [condition.label for condition in praktijkleren.conditions if condition.met is not True]
    assert open_ == ["Aanvragen binnen het aanvraagtijdvak"]


def test_praktijkleren_names_what_is_missing(bbl, world):
    Stage.objects.filter(pk=bbl.pk).update(pok_signed_on=None)
    approve_weeks(bbl, mondays(date(2025, 9, 1), 10), by=world.wpb, approver=world.opleider, begeleiding="0")
    praktijkleren, _stip = outcome(bbl)
    found = {condition.label: condition for condition in praktijkleren.conditions}
    assert found["Ondertekende praktijkovereenkomst"].met is False
    assert found["Weken met begeleiding (hoogstens 40)"].met is False
    assert found["Urenregistratie van de leerling: alle weken goedgekeurd"].met is False
    assert "zonder goedgekeurde uren, de eerste is die van 10 november 2025" in (
        found["Urenregistratie van de leerling: alle weken goedgekeurd"].detail
    )
    assert found["Minimaal 610 praktijkuren in het studiejaar"].met is False
    assert not praktijkleren.met


def test_praktijkleren_is_for_bbl_only(bbl, world):
    Stage.objects.filter(pk=bbl.pk).update(leerweg=Leerweg.BOL)
    praktijkleren, stip = outcome(bbl)
    assert met(praktijkleren)["Beroepsbegeleidende leerweg (bbl)"] is False
    assert met(stip)["Leerling-werknemer in een duale opleiding (bbl)"] is False


def test_erkenning_withdrawn_during_the_studiejaar_fails_the_whole_period(bbl, world):
    erkenning = Erkenning.objects.get(pk=world.erkenning.pk)
    erkenning.status, erkenning.withdrawn_on = "ingetrokken", date(2026, 3, 1)
    erkenning.save()
    praktijkleren, stip = outcome(bbl)
    label = f"Erkend leerbedrijf voor crebo {bbl.kwalificatie.crebo} over de hele periode"
    assert met(praktijkleren)[label] is False
    assert met(stip)[label] is False
    # The studiejaar before, when it was erkend all along, still meets it.
    Stage.objects.filter(pk=bbl.pk).update(start_date=date(2024, 9, 2))
    assert met(outcome(bbl, year=2024)[0])[label] is True


@pytest.mark.parametrize(
    ("today", "expected"),
    [(date(2026, 2, 28), True), (date(2026, 3, 1), False)],
)
def test_stip_deadline_six_months_after_the_start(bbl, today, expected):
    _praktijkleren, stip = outcome(bbl, today=today)
    assert stip.deadline == date(2026, 2, 28)
    assert met(stip)["Aangevraagd binnen 6 maanden na de start"] is expected


def test_stip_termijn_hours_and_begeleiding(bbl, world):
    # 400 klokuren a termijn: 26 weeks of 40 hours is enough; four of them school-only is still more than half
    # in practice; the second termijn has no begeleiding recorded.
    approve_weeks(bbl, mondays(date(2025, 9, 1), 26), by=world.wpb, approver=world.opleider)
    approve_weeks(bbl, mondays(date(2026, 3, 2), 20), by=world.wpb, approver=world.opleider, begeleiding="0")
    _praktijkleren, stip = outcome(bbl)
    first, second = stip.periods
    assert first.complete and not second.complete  # the stage ends 17 July 2026, before the termijn does
    assert first.hours == 26 * 40
    found = {condition.label: condition for condition in stip.conditions}
    assert found["Minimaal 400 klokuren per termijn, meer dan 50% in de praktijk"].met is True
    assert found["Urenregistratie van de begeleiding door de praktijkopleider"].met is True
    assert found["Minimaal 15 uur per week in dienst"].met is True
    assert found["Valt onder de cao voor het technisch installatiebedrijf"].met is None


def test_stip_practice_share_not_more_than_half(bbl, world):
    approve_weeks(bbl, mondays(date(2025, 9, 1), 26), by=world.wpb, approver=world.opleider, werk_days=2, school_days=2)
    _praktijkleren, stip = outcome(bbl)
    found = {condition.label: condition for condition in stip.conditions}
    condition = found["Minimaal 400 klokuren per termijn, meer dan 50% in de praktijk"]
    assert condition.met is False
    assert "termijn 1: 832 uur, waarvan 416 in de praktijk" in condition.detail


def test_a_missing_figure_is_open_not_met(bbl, world):
    from tegemoetkoming.models import Regelingsjaar

    Regelingsjaar.objects.filter(regeling="stip").update(min_hours_per_week=None)
    _praktijkleren, stip = outcome(bbl)
    assert met(stip)["Minimaal ? uur per week in dienst"] is None
    Regelingsjaar.objects.filter(regeling="praktijkleren").delete()
    praktijkleren, _stip = outcome(bbl)
    assert [c.met for c in praktijkleren.conditions] == [None]


@time_machine.travel(date(2026, 7, 1), tick=False)
def test_the_stage_page_shows_each_scheme_with_what_is_missing(client, bbl, world):
    approve_weeks(bbl, mondays(date(2025, 9, 1), 12), by=world.wpb, approver=world.opleider)
    client.force_login(world.opleider)
    page = client.get(reverse("tegemoetkoming:stage", args=[bbl.pk])).content.decode()
    assert "Subsidieregeling praktijkleren (RVO)" in page
    assert "Studiejaar 2025/2026" in page
    assert "12 weken tellen mee" in page
    assert "niet voldaan" in page
    assert "Aanvragen kan tot en met 28 februari 2026" not in page  # past: it says the termijn ran out
    assert "De termijn liep af op 28 februari 2026" in page
    assert "nog te controleren door de beheerder" in page
    # The stage still runs in the studiejaar: hours short so far are open, not failed.
    assert "Tot nu toe 384 goedgekeurde praktijkuren." in page
    # The section is in the stage's navigation for the praktijkopleider, not for the stagiair.
    assert reverse("tegemoetkoming:stage", args=[bbl.pk]) in client.get(bbl.get_absolute_url()).content.decode()
    client.force_login(world.stagiair)
    assert reverse("tegemoetkoming:stage", args=[bbl.pk]) not in client.get(bbl.get_absolute_url()).content.decode()


def test_company_overview_per_studiejaar(client, bbl, world):
    other = StageFactory(leerbedrijf=world.a, leerweg=Leerweg.BBL, start_date=date(2024, 9, 2),
                         end_date=date(2025, 7, 4))  # fmt: skip
    approve_weeks(bbl, mondays(date(2025, 9, 1), 5), by=world.wpb, approver=world.opleider)
    client.force_login(world.opleider)
    url = reverse("tegemoetkoming:overzicht", args=[world.a.pk])
    page = client.get(url, {"studiejaar": "2025"}).content.decode()
    assert escape(bbl.stagiair.name) in page
    assert escape(other.stagiair.name) not in page
    page = client.get(url, {"studiejaar": "2024"}).content.decode()
    assert escape(other.stagiair.name) in page
    # A studiejaar outside the list falls back to the current one rather than failing.
    assert client.get(url, {"studiejaar": "１９９９"}).status_code == 200
    start = client.get(reverse("start")).content.decode()
    assert url in start


def _company_of(world, count):
    for number in range(count):
        stage = StageFactory(leerbedrijf=world.a, leerweg=Leerweg.BBL, start_date=date(2025, 9, 1),
                             end_date=date(2026, 7, 17), hours_per_week=32, werkplekbegeleider=world.wpb)  # fmt: skip
        approve_weeks(stage, mondays(date(2025, 9, 1), 2 + number), by=world.wpb, approver=world.opleider)


def test_overview_and_stage_page_keep_their_queries_as_stages_and_weeks_grow(client, world, bbl):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(world.opleider)
    overview = reverse("tegemoetkoming:overzicht", args=[world.a.pk])
    stage_page = reverse("tegemoetkoming:stage", args=[bbl.pk])
    _company_of(world, 2)
    approve_weeks(bbl, mondays(date(2025, 9, 1), 2), by=world.wpb, approver=world.opleider)
    counted = {}
    for url in (overview, stage_page):
        client.get(url, {"studiejaar": "2025"})
        with CaptureQueriesContext(connection) as small:
            client.get(url, {"studiejaar": "2025"})
        counted[url] = len(small.captured_queries)
    _company_of(world, 6)
    approve_weeks(bbl, mondays(date(2025, 9, 15), 10), by=world.wpb, approver=world.opleider)
    for url in (overview, stage_page):
        with CaptureQueriesContext(connection) as large:
            client.get(url, {"studiejaar": "2025"})
        assert len(large.captured_queries) == counted[url], url


def test_an_interrupted_stage_counts_no_weeks_while_it_did_not_run(bbl, world):
    """Stage onderbreken (issue 15): the weeks from the interruption on do not count, approved or not, and are not
    missing either; resumed, the weeks after count again."""
    from leerbedrijf.models import StageStop, StopKind, StopReden

    approve_weeks(bbl, mondays(date(2025, 9, 1), 10), by=world.wpb, approver=world.opleider)
    stop = StageStop.record(stage=bbl, kind=StopKind.ONDERBROKEN, reden=StopReden.OVERLEG,
                            starts_on=date(2025, 10, 6), toelichting="", by=world.opleider)  # fmt: skip
    praktijkleren, _stip = outcome(bbl)
    assert praktijkleren.periods.counted == mondays(date(2025, 9, 1), 5)
    assert "alle weken goedgekeurd" not in " ".join(c.label for c in praktijkleren.missing)
    with time_machine.travel(date(2025, 11, 3), tick=False):
        assert stop.resume(end_date=date(2026, 7, 17), by=world.opleider)
    praktijkleren, _stip = outcome(bbl)
    assert date(2025, 10, 27) not in praktijkleren.periods.running
    assert date(2025, 11, 3) in praktijkleren.periods.running


def test_overview_pages_its_stages(client, world, bbl, monkeypatch):
    """The overview shows a page of stages at a time (25 in the portal, 2 here), each stagiair on one page."""
    monkeypatch.setattr("tegemoetkoming.views.PAGE_SIZE", 2)
    _company_of(world, 3)
    client.force_login(world.opleider)
    url = reverse("tegemoetkoming:overzicht", args=[world.a.pk])
    # As the page writes them: a made-up name may hold an apostrophe (van 't Riet), which the template escapes.
    names = [
        escape(name) for name in Stage.objects.filter(leerbedrijf=world.a).values_list("stagiair__name", flat=True)
    ]
    first = client.get(url, {"studiejaar": "2025"}).content.decode()
    second = client.get(url, {"studiejaar": "2025", "pagina": "2"}).content.decode()
    assert "Pagina 1 van 2" in first
    assert "studiejaar=2025&amp;pagina=2" in first
    assert sorted(name in first for name in names) == [False, False, True, True]
    assert all((name in first) != (name in second) for name in names)
    # Nonsense for a page number shows the first page rather than failing.
    assert client.get(url, {"studiejaar": "2025", "pagina": "x" * 500}).status_code == 200


def test_overview_figures_are_those_of_the_studiejaar_only(bbl, world):
    """The overview reads only the sums of the weeks, the dossier the register's rows of its studiejaar: the
    figures of a stage that runs over two studiejaren are the same both ways and count only the chosen year."""
    from tegemoetkoming.dossier import stage_rows
    from uren.models import studiejaar_of
    from uren.totals import approved_weeks, week_hours

    Stage.objects.filter(pk=bbl.pk).update(end_date=date(2026, 12, 18))
    bbl.refresh_from_db()
    approve_weeks(bbl, mondays(date(2026, 6, 29), 8), by=world.wpb, approver=world.opleider)
    stage = Stage.objects.select_related("kwalificatie", "stagiair").get(pk=bbl.pk)
    for year in (2025, 2026):
        light = stage_rows([stage], year, conditions.Facts.load([stage], today=TODAY))[0]
        full = stage_rows([stage], year, conditions.Facts.load([stage], today=TODAY, register=year))[0]
        register = [
            row
            for row in week_hours(approved_weeks([stage]))
            if studiejaar_of(row.week.week_start + timedelta(days=3)) == year
        ]
        assert register
        assert light["werk"] == full["werk"] == sum(row.werk for row in register)
        assert light["begeleiding"] == full["begeleiding"] == sum(row.begeleiding for row in register)
        assert light["counted"] == full["counted"]
        assert [row.week.week_start for row, _counted in full["hours"]] == sorted(r.week.week_start for r in register)
        assert light["hours"] == []
        assert met(light["stip"]) == met(full["stip"])
