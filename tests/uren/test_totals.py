"""The totals of approved hours (uren/totals.py) at the boundaries: a stage that starts mid-week, a week across two
months and two studiejaren, weeks not approved, the bbl contract hours; and their queries (issue 14)."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.factories import StageFactory, StagiairFactory
from tests.queries import count_queries
from uren import totals
from uren.models import Afwezigheid, Dag, Soort, Urenweek, planned_days, studiejaar_of

# Wednesday 23 July 2025; the week of Monday 28 July runs into August and into studiejaar 2025/2026.
START = date(2025, 7, 23)


def fill(stage, monday, by, approver, *, approve=True, days=None, begeleiding=None):
    week = Urenweek.shown_for(stage, monday)
    with time_machine.travel(timezone.make_aware(timezone.datetime(2026, 6, 1, 12))):
        week.fill(
            by=by,
            version=week.version,
            days=days or planned_days(stage, monday),
            begeleiding=begeleiding or {},
            submit=True,
        )
        if approve:
            week.approve(by=approver)
    return week


@pytest.fixture
def bbl(world):
    stage = world.stage
    type(stage).objects.filter(pk=stage.pk).update(
        leerweg="bbl", start_date=START, end_date=date(2026, 7, 1), days_per_week=4, hours_per_week=Decimal(32)
    )
    stage.refresh_from_db()
    return stage


def test_studiejaar_runs_from_august_to_july():
    assert studiejaar_of(date(2025, 7, 31)) == 2024
    assert studiejaar_of(date(2025, 8, 1)) == 2025


def test_a_stage_that_starts_mid_week_counts_the_days_inside_it(world, bbl):
    # The week of Monday 21 July: Wednesday and Thursday planned (4 days from Monday: Mon-Thu), only Wed-Thu inside.
    fill(bbl, date(2025, 7, 21), world.stagiair, world.wpb)
    total = totals.totals_per_stage([bbl])[bbl.pk]
    assert total.weeks == 1
    assert total.werk == Decimal(16)
    # Three of the week's five working days lie inside the stage: 3/5 of 32 contract hours.
    assert total.contract == Decimal("19.20")
    assert total.contract_difference == Decimal("-3.20")


def test_a_week_across_two_months_and_two_studiejaren(world, bbl):
    monday = date(2025, 7, 28)  # Mon 28 Jul - Fri 1 Aug
    days = planned_days(bbl, monday)
    days = [Dag(d.day, Soort.WERK, Decimal(8)) if d.day.weekday() < 4 else Dag(d.day, d.soort, d.hours) for d in days]
    days[4] = Dag(date(2025, 8, 1), Soort.AFWEZIG, Decimal(8), Afwezigheid.VERLOF)
    fill(bbl, monday, world.wpb, world.opleider, days=days, begeleiding={world.wpb.pk: Decimal(2)})
    per_month = totals.totals_per_month([bbl])[bbl.pk]
    july, august = per_month[date(2025, 7, 1)], per_month[date(2025, 8, 1)]
    assert (july.werk, august.werk) == (Decimal(32), Decimal(0))
    assert august.afwezig[Afwezigheid.VERLOF] == Decimal(8)
    # The week, its begeleiding and contract hours count where its Thursday (31 July) is.
    assert (july.weeks, july.begeleiding, july.begeleiding_weeks, july.contract) == (1, 2, 1, Decimal(32))
    assert (august.weeks, august.begeleiding, august.contract) == (0, 0, None)
    per_year = totals.totals_per_studiejaar([bbl])[bbl.pk]
    assert per_year[2024].werk == Decimal(32) and per_year[2025].afwezig_total == Decimal(8)
    assert per_year[2024].recorded == Decimal(32) and per_year[2025].recorded == Decimal(8)


def test_only_approved_weeks_count(world, bbl):
    fill(bbl, date(2025, 8, 4), world.stagiair, world.wpb)
    fill(bbl, date(2025, 8, 11), world.stagiair, world.wpb, approve=False)
    total = totals.totals_per_stage([bbl])[bbl.pk]
    assert (total.weeks, total.werk) == (1, Decimal(32))
    assert len(totals.week_hours(totals.approved_weeks([bbl]))) == 1


def test_ongeoorloofd_absence_is_not_covered_by_the_contract(world, bbl):
    monday = date(2025, 8, 4)
    days = planned_days(bbl, monday)
    days[0] = Dag(monday, Soort.AFWEZIG, Decimal(8), Afwezigheid.ONGEOORLOOFD)
    days[1] = Dag(days[1].day, Soort.AFWEZIG, Decimal(8), Afwezigheid.ZIEK)
    fill(bbl, monday, world.stagiair, world.wpb, days=days)
    total = totals.totals_per_stage([bbl])[bbl.pk]
    assert total.afwezig_total == Decimal(16)
    assert total.recorded == Decimal(24) and total.contract_difference == Decimal(-8)


def test_a_bol_stage_has_no_contract_hours(world, stage):
    assert totals.totals_per_stage([stage])[stage.pk].contract is None


def _stages(world, count):
    made = []
    for n in range(count):
        stage = StageFactory(
            leerbedrijf=world.a,
            stagiair=StagiairFactory(leerbedrijf=world.a, name=f"Stagiair {n:03}"),
            onderwijsinstelling=world.school,
            werkplekbegeleider=world.wpb,
            leerweg="bbl",
            start_date=START,
            end_date=date(2026, 7, 1),
            days_per_week=4,
            hours_per_week=Decimal(32),
        )
        for week in range(3):
            fill(stage, date(2025, 8, 4) + timedelta(days=7 * week), world.wpb, world.opleider)
        made.append(stage)
    return made


def test_totals_ask_the_same_queries_for_one_stage_or_many(world):
    few, many = _stages(world, 1), _stages(world, 6)
    counts = []
    for stages in (few, many):
        with CaptureQueriesContext(connection) as queries:
            totals.totals_per_stage(stages)
            totals.totals_per_studiejaar(stages)
            totals.week_hours(totals.approved_weeks(stages))
        counts.append(len(queries))
    assert counts[0] == counts[1]
    assert totals.totals_per_stage(many)[many[0].pk].werk == Decimal(96)


def test_the_company_overview_asks_the_same_queries_at_two_sizes(client, world):
    client.force_login(world.opleider)
    _stages(world, 2)
    url = reverse("uren:company", args=[world.a.pk]) + "?studiejaar=2025"
    with time_machine.travel(timezone.make_aware(timezone.datetime(2026, 6, 1, 12))):
        client.force_login(world.opleider)
        before = count_queries(client, url)
        _stages(world, 8)
        after = count_queries(client, url)
        page = client.get(url)
    assert before == after
    assert page.context["page"].paginator.count == 10
    row = next(row for row in page.context["rows"] if row[0].stagiair.name == "Stagiair 000")
    assert row[1].weeks == 3 and row[1].werk == Decimal(96) and row[1].contract == Decimal(96)
    assert "Stagiair 000" in page.text


def test_one_studiejaar_alone_is_the_same_as_its_part_of_all(world, bbl):
    for monday in (date(2025, 7, 21), date(2025, 7, 28), date(2025, 8, 4)):
        fill(bbl, monday, world.stagiair, world.wpb)
    everything = totals.totals_per_studiejaar([bbl])[bbl.pk]
    for year in (2024, 2025):
        assert totals.totals_per_studiejaar([bbl], year)[bbl.pk] == {year: everything[year]}


def test_months_fold_into_the_studiejaren_read_directly(world, bbl):
    for monday in (date(2025, 7, 21), date(2025, 7, 28), date(2025, 8, 4)):
        fill(bbl, monday, world.stagiair, world.wpb)
    folded = totals.fold(totals.totals_per_month([bbl])[bbl.pk], studiejaar_of)
    assert folded == totals.totals_per_studiejaar([bbl])[bbl.pk]


def test_the_stage_page_shows_weeks_and_totals_in_the_same_queries_for_few_or_many_weeks(client, world, bbl):
    client.force_login(world.opleider)
    url = reverse("uren:stage", args=[bbl.pk])
    fill(bbl, date(2025, 7, 21), world.stagiair, world.wpb)
    before = count_queries(client, url)
    for week in range(1, 12):
        fill(bbl, date(2025, 7, 21) + timedelta(weeks=week), world.stagiair, world.wpb)
    assert count_queries(client, url) == before
    page = client.get(url)
    assert page.context["total"].weeks == 12
    assert "2024/2025" in page.text and "2025/2026" in page.text
