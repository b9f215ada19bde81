"""Per stage and per scheme: each condition met, not met or not to be decided here, and what is missing.

Everything is read for a list of stages at once (the company overview, a dossier of 200 stagiairs) in a fixed
number of queries: `Facts.load(stages)` fetches the figures, the erkenning history, the documents and the sums of
the approved weeks; `stip(stage, facts)` and `praktijkleren(stage, year, facts)` only compute.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from leerbedrijf.models import ErkenningStatusPeriode, Leerweg, StageStop, StopKind, covers
from uren.models import studiejaar_bounds, studiejaar_of
from uren.totals import approved_weeks, week_hours, week_sums

from . import weeks as w
from .models import DocumentKind, Regeling, Regelingsjaar, StageDocument


def _date(day):
    return date_format(day, "j F Y")


def _number(value):
    """Hours as people write them: 15, 7.5, never 15.0 or 4E+2."""
    return format(value.normalize(), "f").replace(".", ",")


@dataclass
class Condition:
    label: str
    met: bool | None  # None: the portal cannot decide it (a figure is missing, or only the company knows)
    detail: str = ""


@dataclass
class Outcome:
    regeling: str
    label: str
    figures: Regelingsjaar | None
    conditions: list = field(default_factory=list)
    # STIP: its termijnen; praktijkleren: its PraktijklerenWeeks.
    periods: object = None
    deadline: date | None = None

    @property
    def met(self):
        return all(condition.met for condition in self.conditions)

    @property
    def missing(self):
        return [condition for condition in self.conditions if condition.met is not True]


@dataclass
class Facts:
    """What the conditions of a list of stages read, fetched once."""

    today: date
    figures: list
    erkend: dict  # {(leerbedrijf id, kwalificatie id): [(since, until)]}
    documents: dict  # {(stage id, kind): StageDocument}
    hours: dict  # {stage id: [uren.totals.WeekHours]}: the register's approved weeks in order, of `register` only
    weeks: dict  # {stage id: [weeks.Week]}, every approved week: STIP looks at the stage's whole run
    excluded: dict  # {stage id: [weeks.Period]}: the interruptions of a stage

    @classmethod
    def load(cls, stages, *, today=None, register=None):
        """`register`: the studiejaar whose weeks the dossier lists as rows of the register; the conditions need
        only the sums of the weeks, so without it no rows are read."""
        stages = list(stages)
        ids = [stage.pk for stage in stages]
        hours = {pk: [] for pk in ids}
        if register is not None:
            first, last = studiejaar_bounds(register)
            # A week belongs to the studiejaar of its Thursday.
            weeks = approved_weeks(stages).filter(
                week_start__range=(first - timedelta(days=3), last - timedelta(days=3))
            )
            for row in week_hours(weeks.order_by("stage_id", "week_start")):
                hours[row.week.stage_id].append(row)
        return cls(
            today=today or timezone.localdate(),
            figures=list(Regelingsjaar.objects.all()),
            erkend=ErkenningStatusPeriode.objects.erkend_periods(
                leerbedrijf_ids={stage.leerbedrijf_id for stage in stages}
            ),
            documents={
                (document.stage_id, document.kind): document
                for document in StageDocument.objects.filter(stage_id__in=ids)
            },
            hours=hours,
            weeks={
                pk: [
                    w.Week(row.week_start, werk=row.werk, school=row.school, begeleiding=row.begeleiding)
                    for row in rows
                ]
                for pk, rows in week_sums(stages).items()
            },
            excluded=interruptions(ids),
        )

    def holding_on(self, regeling, day):
        return next(
            (row for row in self.figures if row.regeling == regeling and row.valid_from <= day <= row.valid_until),
            None,
        )


def interruptions(stage_ids):
    """{stage id: [weeks.Period]}: when each stage did not run, from its standing stops (issue 15), in one query.

    An interruption runs from its date up to the day the stage resumed, or on while it has not; an ended stage ran
    no more from its date on."""
    found = {pk: [] for pk in stage_ids}
    stops = StageStop.objects.standing().filter(stage_id__in=stage_ids).select_related("stage")
    for stop in stops:
        if stop.kind == StopKind.ONDERBROKEN and stop.resumed_at:
            last = timezone.localdate(stop.resumed_at) - timedelta(days=1)
        else:
            last = stop.stage.end_date
        if last >= stop.starts_on:
            found[stop.stage_id].append(w.Period(stop.starts_on, last))
    return found


def _erkend(stage, facts, start, end):
    periods = facts.erkend.get((stage.leerbedrijf_id, stage.kwalificatie_id), [])
    label = _("Erkend leerbedrijf voor crebo %(crebo)s over de hele periode") % {"crebo": stage.kwalificatie.crebo}
    if covers(periods, start, end):
        return Condition(label, True, _("Erkend van %(start)s tot en met %(end)s.") % _dates(start, end))
    return Condition(
        label,
        False,
        _("Volgens de geschiedenis van de erkenning was het bedrijf niet de hele periode %(start)s – %(end)s erkend.")
        % _dates(start, end),
    )


def _dates(start, end):
    return {"start": _date(start), "end": _date(end)}


def _bbl(stage, label):
    if stage.leerweg == Leerweg.BBL:
        return Condition(label, True, _("bbl"))
    return Condition(label, False, _("De stage is bol; de regeling is voor de bbl."))


def _figure_missing(label):
    return Condition(label, None, _("Dit gegeven ontbreekt bij de regeling; de beheerder vult het in."))


def _unapproved(stage, facts, running_weeks, until):
    """Weeks the stage ran up to `until` without approved hours; a week counts once its Friday (or the stage's
    last day) has passed."""
    approved = {week.monday for week in facts.weeks[stage.pk]}
    return [
        monday
        for monday in running_weeks
        if monday <= until and min(monday + timedelta(days=4), stage.end_date) < facts.today and monday not in approved
    ]


def _weeks_condition(stage, facts, running_weeks, until):
    label = _("Urenregistratie van de leerling: alle weken goedgekeurd")
    open_weeks = _unapproved(stage, facts, running_weeks, until)
    if not open_weeks:
        return Condition(label, True, _("Alle weken tot nu toe zijn goedgekeurd."))
    return Condition(
        label,
        False,
        ngettext(
            "%(count)s week zonder goedgekeurde uren, de eerste is die van %(first)s.",
            "%(count)s weken zonder goedgekeurde uren, de eerste is die van %(first)s.",
            len(open_weeks),
        )
        % {"count": len(open_weeks), "first": _date(open_weeks[0])},
    )


def stip(stage, facts):
    """STIP for one stage: its termijnen of six months with the hours of each, and the conditions."""
    figures = facts.holding_on(Regeling.STIP, stage.start_date)
    outcome = Outcome(Regeling.STIP, Regeling.STIP.label, figures)
    conditions = outcome.conditions
    if figures is None:
        conditions.append(
            Condition(
                _("Bedragen en voorwaarden van de regeling"),
                None,
                _("Voor het jaar van de start (%(year)s) zijn ze niet vastgelegd.") % {"year": stage.start_date.year},
            )
        )
        return outcome
    until = min(stage.end_date, facts.today)
    excluded = facts.excluded[stage.pk]
    months = figures.deadline_months or 6
    outcome.periods = w.stip_termijnen(
        start=stage.start_date,
        end=stage.end_date,
        weeks=facts.weeks[stage.pk],
        excluded=excluded,
        months=months,
        today=facts.today,
    )
    conditions.append(_bbl(stage, _("Leerling-werknemer in een duale opleiding (bbl)")))
    conditions.append(_erkend(stage, facts, stage.start_date, max(stage.start_date, until)))
    conditions.append(
        Condition(
            _("Valt onder de cao voor het technisch installatiebedrijf"),
            None,
            _("Dat weet alleen het bedrijf zelf; Wij Techniek controleert het bij de aanvraag."),
        )
    )
    conditions.append(
        Condition(
            _("Ingeschreven voor een kwalificatie uit het register"),
            True,
            f"{stage.kwalificatie.name} (crebo {stage.kwalificatie.crebo})",
        )
    )
    label = _("Minimaal %(hours)s uur per week in dienst")
    if figures.min_hours_per_week is None:
        conditions.append(_figure_missing(label % {"hours": "?"}))
    else:
        label = label % {"hours": _number(figures.min_hours_per_week)}
        if stage.hours_per_week is None:
            conditions.append(Condition(label, False, _("Bij de stage staan geen uren per week.")))
        else:
            conditions.append(
                Condition(
                    label,
                    stage.hours_per_week >= figures.min_hours_per_week,
                    _("%(hours)s uur per week volgens de stage.") % {"hours": _number(stage.hours_per_week)},
                )
            )
    running_weeks = w.working_weeks(w.running(stage.start_date, stage.end_date, excluded))
    conditions.append(_weeks_condition(stage, facts, running_weeks, until))
    complete = [termijn for termijn in outcome.periods if termijn.complete]
    conditions.append(_termijn_hours(figures, complete))
    label = _("Urenregistratie van de begeleiding door de praktijkopleider")
    without = [termijn.number for termijn in complete if not termijn.begeleiding_weeks]
    if not complete:
        conditions.append(Condition(label, None, _("Nog geen afgeronde termijn.")))
    elif without:
        conditions.append(
            Condition(
                label,
                False,
                _("Geen begeleiding vastgelegd in termijn %(numbers)s.") % {"numbers": ", ".join(map(str, without))},
            )
        )
    else:
        conditions.append(Condition(label, True, _("Begeleiding vastgelegd in elke afgeronde termijn.")))
    outcome.deadline = w.stip_deadline(stage.start_date, months)
    label = _("Aangevraagd binnen %(months)s maanden na de start") % {"months": months}
    if facts.today <= outcome.deadline:
        conditions.append(
            Condition(label, True, _("Aanvragen kan tot en met %(date)s.") % {"date": _date(outcome.deadline)})
        )
    else:
        conditions.append(
            Condition(
                label,
                False,
                _("De termijn liep af op %(date)s; Wij Techniek neemt een latere aanvraag niet in behandeling.")
                % {"date": _date(outcome.deadline)},
            )
        )
    return outcome


def _termijn_hours(figures, complete):
    label = _("Genoeg klokuren per termijn, meer dan de helft in de praktijk")
    if figures.min_hours is None or figures.min_practice_share is None:
        return _figure_missing(label)
    label = _("Minimaal %(hours)s klokuren per termijn, meer dan %(share)s%% in de praktijk") % {
        "hours": figures.min_hours,
        "share": figures.min_practice_share,
    }
    if not complete:
        return Condition(label, None, _("Nog geen afgeronde termijn."))
    short = [
        termijn
        for termijn in complete
        if termijn.hours < figures.min_hours
        or termijn.practice_share is None
        or termijn.practice_share <= figures.min_practice_share
    ]
    if not short:
        return Condition(label, True, _("Elke afgeronde termijn haalt het."))
    return Condition(
        label,
        False,
        "; ".join(
            _("termijn %(number)s: %(hours)s uur, waarvan %(werk)s in de praktijk")
            % {"number": termijn.number, "hours": _number(termijn.hours), "werk": _number(termijn.werk)}
            for termijn in short
        ),
    )


def studiejaren(stage):
    """The first years of the studiejaren the stage runs in."""
    return list(range(studiejaar_of(stage.start_date), studiejaar_of(stage.end_date) + 1))


def praktijkleren(stage, year, facts):
    """The Subsidieregeling praktijkleren for one stage in studiejaar `year`."""
    figures = facts.holding_on(Regeling.PRAKTIJKLEREN, w.studiejaar(year).start)
    outcome = Outcome(Regeling.PRAKTIJKLEREN, Regeling.PRAKTIJKLEREN.label, figures)
    conditions = outcome.conditions
    if figures is None:
        conditions.append(
            Condition(
                _("Bedragen en voorwaarden van de regeling"),
                None,
                _("Voor studiejaar %(year)s/%(next)s zijn ze niet vastgelegd.") % {"year": year, "next": year + 1},
            )
        )
        return outcome
    result = w.praktijkleren_weeks(
        start=stage.start_date,
        end=stage.end_date,
        year=year,
        weeks=facts.weeks[stage.pk],
        excluded=facts.excluded[stage.pk],
        max_weeks=figures.max_weeks,
    )
    outcome.periods = result
    conditions.append(_bbl(stage, _("Beroepsbegeleidende leerweg (bbl)")))
    if result.period is None:
        conditions.append(Condition(_("Stage in dit studiejaar"), False, _("De stage liep niet in dit studiejaar.")))
        return outcome
    until = min(result.period.end, facts.today)
    conditions.append(_erkend(stage, facts, result.period.start, max(result.period.start, until)))
    label = _("Ondertekende praktijkovereenkomst")
    if stage.pok_signed_on:
        document = facts.documents.get((stage.pk, DocumentKind.POK))
        detail = _("Ondertekend op %(date)s.") % {"date": _date(stage.pok_signed_on)}
        if document is None:
            detail += " " + _("Upload de getekende pok nog voor het dossier.")
        conditions.append(Condition(label, True, detail))
    else:
        conditions.append(Condition(label, False, _("Bij de stage staat niet wanneer de pok is ondertekend.")))
    conditions.append(_weeks_condition(stage, facts, result.running, until))
    label = _("Weken met begeleiding (hoogstens %(max)s)") % {"max": figures.max_weeks or "?"}
    detail = ngettext("%(count)s week telt mee.", "%(count)s weken tellen mee.", result.count) % {"count": result.count}
    if result.over_maximum:
        detail += " " + _("%(over)s daarboven telt niet.") % {"over": result.over_maximum}
    conditions.append(Condition(label, result.count > 0, detail))
    if figures.min_hours is None:
        conditions.append(_figure_missing(_("Genoeg praktijkuren in het studiejaar")))
    else:
        ran = set(result.running)
        werk = sum((week.werk for week in facts.weeks[stage.pk] if week.monday in ran), w.ZERO)
        label = _("Minimaal %(hours)s praktijkuren in het studiejaar") % {"hours": figures.min_hours}
        hours = {"hours": _number(werk)}
        if werk >= figures.min_hours:
            conditions.append(Condition(label, True, _("%(hours)s goedgekeurde praktijkuren.") % hours))
        elif facts.today <= result.period.end:
            # The stage still runs in this studiejaar: short so far is not short yet.
            conditions.append(Condition(label, None, _("Tot nu toe %(hours)s goedgekeurde praktijkuren.") % hours))
        else:
            conditions.append(Condition(label, False, _("%(hours)s goedgekeurde praktijkuren.") % hours))
    conditions.append(_window(figures, facts.today))
    outcome.deadline = figures.window_closes
    return outcome


def _window(figures, today):
    label = _("Aanvragen binnen het aanvraagtijdvak")
    if figures.window_opens is None or figures.window_closes is None:
        return Condition(label, None, _("Het aanvraagtijdvak is nog niet bekend; de beheerder vult het in."))
    dates = {"start": _date(figures.window_opens), "end": _date(figures.window_closes)}
    if today < figures.window_opens:
        return Condition(label, None, _("Aanvragen kan van %(start)s tot en met %(end)s.") % dates)
    if today <= figures.window_closes:
        return Condition(label, True, _("Het tijdvak is open tot en met %(end)s.") % dates)
    return Condition(label, False, _("Het tijdvak sloot op %(end)s.") % dates)
