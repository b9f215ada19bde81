"""The public query API of the hours: what other chapters (the tegemoetkomingen, a dossier, a company overview)
read about the approved weeks of stages. Only approved weeks (status akkoord) count anywhere here.

Every function takes stages (Stage objects; a page of a list) and asks a fixed number of queries, whatever their
number and the number of weeks:

- week_hours(weeks): per week its hours by soort, absence by kind and begeleiding (3 queries), for a register or a
  spreadsheet;
- week_sums(stages): {stage id: [WeekSums]}, per approved week only its werk, school and begeleiding (3 queries of
  plain values, no rows to build), for what only computes with them (the tegemoetkomingen' conditions);
- totals_per_stage(stages): {stage id: Totals} (3 queries);
- totals_per_month(stages): {stage id: {first day of month: Totals}} (3 queries);
- totals_per_studiejaar(stages, year=None): {stage id: {first year: Totals}}, the studiejaar 1 August to 31 July
  (3 queries); with `year` only that studiejaar is read;
- fold(months, studiejaar_of): the months of one stage added up into studiejaren, without a query.

Where a period cuts a week (a month, a studiejaar), the hours of each day count in the period of that day; the
week itself, its begeleiding and its contract hours count in the period of its Thursday (the ISO rule: a week
belongs to the year, and here the month, that holds most of its working days).

For a bbl stage with hours_per_week, Totals.contract is the contract hours over the approved weeks: hours_per_week
for a whole week, and for the week in which the stage starts or ends the part of its working days (Monday to
Friday) inside the stage. Totals.recorded is what the contract covers: work, school and absence except
ongeoorloofd.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Count, Max, Min, Q, Sum
from django.db.models.functions import TruncMonth

from leerbedrijf.models import Leerweg

from .models import (
    Afwezigheid,
    Begeleidingsuren,
    Soort,
    Urendag,
    Urenweek,
    WeekStatus,
    monday_of,
    studiejaar_bounds,
    studiejaar_of,
)

ZERO = Decimal("0.00")
# Absence the contract covers (the stagiair was excused); ongeoorloofd absence is not.
EXCUSED = (Afwezigheid.ZIEK, Afwezigheid.VERLOF, Afwezigheid.BIJZONDER_VERLOF)
WORKING_DAYS = 5


@dataclass
class Totals:
    weeks: int = 0
    werk: Decimal = ZERO
    school: Decimal = ZERO
    afwezig: dict = field(default_factory=lambda: dict.fromkeys(Afwezigheid.values, ZERO))
    begeleiding: Decimal = ZERO
    # Weeks in which any begeleiding was recorded (the Subsidieregeling praktijkleren counts these).
    begeleiding_weeks: int = 0
    # bbl with hours_per_week only, else None.
    contract: Decimal | None = None

    @property
    def afwezig_total(self):
        return sum(self.afwezig.values(), ZERO)

    @property
    def recorded(self):
        return self.werk + self.school + sum((self.afwezig[kind] for kind in EXCUSED), ZERO)

    @property
    def contract_difference(self):
        return None if self.contract is None else self.recorded - self.contract

    def add(self, other):
        self.weeks += other.weeks
        self.werk += other.werk
        self.school += other.school
        for kind, hours in other.afwezig.items():
            self.afwezig[kind] += hours
        self.begeleiding += other.begeleiding
        self.begeleiding_weeks += other.begeleiding_weeks
        if other.contract is not None:
            self.contract = (self.contract or ZERO) + other.contract


@dataclass
class WeekHours:
    week: Urenweek
    werk: Decimal = ZERO
    school: Decimal = ZERO
    afwezig: dict = field(default_factory=lambda: dict.fromkeys(Afwezigheid.values, ZERO))
    begeleiding: Decimal = ZERO
    # [(begeleider's name, hours)]
    begeleiders: list = field(default_factory=list)

    @property
    def afwezig_total(self):
        return sum(self.afwezig.values(), ZERO)


def _day_sums():
    """The conditional sums of a group of Urendag rows: werk, school and each kind of absence."""
    sums = {
        "werk": Sum("hours", filter=Q(soort=Soort.WERK), default=ZERO),
        "school": Sum("hours", filter=Q(soort=Soort.SCHOOL), default=ZERO),
    }
    for kind in Afwezigheid.values:
        sums[f"afwezig_{kind}"] = Sum("hours", filter=Q(soort=Soort.AFWEZIG, afwezigheid=kind), default=ZERO)
    return sums


def _add_days(totals, row):
    totals.werk += row["werk"]
    totals.school += row["school"]
    for kind in Afwezigheid.values:
        totals.afwezig[kind] += row[f"afwezig_{kind}"]


def _ids(stages):
    return [stage.pk for stage in stages]


def approved_weeks(stages):
    return Urenweek.objects.filter(stage_id__in=_ids(stages), status=WeekStatus.AKKOORD)


def week_hours(weeks):
    """[WeekHours] of the weeks of a queryset (approved or not), in its order, with their stage and stagiair."""
    weeks = list(weeks.select_related("stage__stagiair", "approved_by"))
    rows = {week.pk: WeekHours(week) for week in weeks}
    for row in Urendag.objects.filter(week_id__in=rows).values("week_id").annotate(**_day_sums()):
        _add_days(rows[row["week_id"]], row)
    given = Begeleidingsuren.objects.filter(week_id__in=rows).select_related("begeleider").order_by("begeleider_id")
    for begeleiding in given:
        row = rows[begeleiding.week_id]
        row.begeleiding += begeleiding.hours
        row.begeleiders.append((begeleiding.begeleider.display_name, begeleiding.hours))
    return list(rows.values())


@dataclass(frozen=True)
class WeekSums:
    week_start: date
    werk: Decimal = ZERO
    school: Decimal = ZERO
    begeleiding: Decimal = ZERO


def week_sums(stages):
    """{stage id: [WeekSums]} of the approved weeks of `stages`, in order of week."""
    weeks = approved_weeks(stages)
    days = {
        row["week_id"]: row
        for row in Urendag.objects.filter(week__in=weeks)
        .values("week_id")
        .annotate(
            werk=Sum("hours", filter=Q(soort=Soort.WERK), default=ZERO),
            school=Sum("hours", filter=Q(soort=Soort.SCHOOL), default=ZERO),
        )
        .order_by()
    }
    given = Begeleidingsuren.objects.filter(week__in=weeks).values("week_id").annotate(total=Sum("hours"))
    given = {row["week_id"]: row["total"] for row in given.order_by()}
    found = {stage.pk: [] for stage in stages}
    for pk, stage_id, week_start in weeks.values_list("pk", "stage_id", "week_start").order_by(
        "stage_id", "week_start"
    ):
        row = days.get(pk, {})
        found[stage_id].append(
            WeekSums(week_start, row.get("werk", ZERO), row.get("school", ZERO), given.get(pk, ZERO))
        )
    return found


def contract_fraction(stage, week_start):
    """The part of a week's working days (Monday to Friday) inside the stage's dates: 1 for a whole week."""
    days = sum(
        1 for offset in range(WORKING_DAYS) if stage.start_date <= week_start + timedelta(days=offset) <= stage.end_date
    )
    return Decimal(days) / WORKING_DAYS


def has_contract(stage):
    return stage.leerweg == Leerweg.BBL and stage.hours_per_week is not None


def _contract(stage, weeks, first, last):
    """Contract hours over `weeks` approved weeks from `first` to `last`; only the stage's first and last week can
    be partial, so their fractions correct the whole weeks."""
    if not has_contract(stage) or not weeks:
        return None
    whole = Decimal(weeks)
    for edge in {monday_of(stage.start_date), monday_of(stage.end_date)}:
        if first <= edge <= last:
            whole -= 1 - contract_fraction(stage, edge)
    return (stage.hours_per_week * whole).quantize(Decimal("0.01"))


def totals_per_stage(stages):
    """{stage id: Totals} of the approved weeks of `stages`; a stage without any has empty Totals."""
    stages = list(stages)
    totals = {stage.pk: Totals() for stage in stages}
    weeks = approved_weeks(stages)
    for row in Urendag.objects.filter(week__in=weeks).values("week__stage_id").annotate(**_day_sums()):
        _add_days(totals[row["week__stage_id"]], row)
    for row in (
        Begeleidingsuren.objects.filter(week__in=weeks)
        .values("week__stage_id")
        .annotate(total=Sum("hours"), weeks=Count("week_id", distinct=True, filter=Q(hours__gt=0)))
    ):
        totals[row["week__stage_id"]].begeleiding = row["total"]
        totals[row["week__stage_id"]].begeleiding_weeks = row["weeks"]
    counted = weeks.values("stage_id").annotate(n=Count("pk"), first=Min("week_start"), last=Max("week_start"))
    by_id = {stage.pk: stage for stage in stages}
    for row in counted:
        stage_totals = totals[row["stage_id"]]
        stage_totals.weeks = row["n"]
        stage_totals.contract = _contract(by_id[row["stage_id"]], row["n"], row["first"], row["last"])
    return totals


def thursday(week_start):
    return week_start + timedelta(days=3)


def _per_period(stages, period_of, between=None):
    """{stage id: {period: Totals}}: days by their own date, weeks by their Thursday, through `period_of(date)`;
    `between` (first, last day) keeps only the days, and the weeks whose Thursday, between them."""
    stages = list(stages)
    by_id = {stage.pk: stage for stage in stages}
    totals = {stage.pk: defaultdict(Totals) for stage in stages}
    weeks = approved_weeks(stages)
    days = Urendag.objects.filter(week__in=weeks)
    if between is not None:
        first, last = between
        days = days.filter(day__range=between)
        weeks = weeks.filter(week_start__range=(first - timedelta(days=3), last - timedelta(days=3)))
    days = days.annotate(month=TruncMonth("day")).values("week__stage_id", "month")
    for row in days.annotate(**_day_sums()).order_by():
        _add_days(totals[row["week__stage_id"]][period_of(row["month"])], row)
    per_week = Begeleidingsuren.objects.filter(week__in=weeks).values("week_id").annotate(total=Sum("hours"))
    given = {row["week_id"]: row["total"] for row in per_week.order_by()}
    for pk, stage_id, week_start in weeks.values_list("pk", "stage_id", "week_start").order_by():
        period = totals[stage_id][period_of(thursday(week_start))]
        period.weeks += 1
        hours = given.get(pk, ZERO)
        period.begeleiding += hours
        period.begeleiding_weeks += hours > 0
        stage = by_id[stage_id]
        if has_contract(stage):
            fraction = contract_fraction(stage, week_start)
            period.contract = (period.contract or ZERO) + (stage.hours_per_week * fraction).quantize(Decimal("0.01"))
    return {stage_id: dict(sorted(periods.items())) for stage_id, periods in totals.items()}


def first_of_month(day):
    return date(day.year, day.month, 1)


def totals_per_month(stages):
    """{stage id: {first day of the month: Totals}}, months in order."""
    return _per_period(stages, first_of_month)


def fold(periods, period_of):
    """Totals of finer periods ({first day of month: Totals}) added up into coarser ones by `period_of(day)`
    (studiejaar_of): exact, because a studiejaar begins on the first of a month and a week counts by its Thursday
    in both."""
    folded = defaultdict(Totals)
    for day, totals in periods.items():
        folded[period_of(day)].add(totals)
    return dict(sorted(folded.items()))


def totals_per_studiejaar(stages, year=None):
    """{stage id: {first year of the studiejaar: Totals}} (2025 for 2025/2026), in order; with `year`, only that
    studiejaar is read."""
    return _per_period(stages, studiejaar_of, studiejaar_bounds(year) if year is not None else None)
