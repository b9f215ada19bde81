"""The planning of a stage: leerdoelen and moments per week, and warnings where it is not realistic."""

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

MAX_DUE_PER_WEEK = 3


def _monday(day):
    return day - timedelta(days=day.weekday())


@dataclass
class Week:
    monday: date
    leerdoelen: list = field(default_factory=list)
    moments: list = field(default_factory=list)
    voorstellen: list = field(default_factory=list)
    is_current: bool = False

    @property
    def number(self):
        return self.monday.isocalendar()[1]

    @property
    def overloaded(self):
        return len(self.leerdoelen) > MAX_DUE_PER_WEEK


def weeks(*, stage, leerdoelen, moments, voorstellen=(), today=None):
    """The weeks of the stage that have something in them (a leerdoel due, a moment, a proposed moment), and the
    current week, in order."""
    today = today or timezone.localdate()
    by_week = {}
    for leerdoel in leerdoelen:
        if leerdoel.target_date:
            monday = _monday(leerdoel.target_date)
            by_week.setdefault(monday, Week(monday)).leerdoelen.append(leerdoel)
    for moment in moments:
        monday = _monday(timezone.localdate(moment.starts_at))
        by_week.setdefault(monday, Week(monday)).moments.append(moment)
    for voorstel in voorstellen:
        monday = _monday(timezone.localdate(voorstel.starts_at))
        by_week.setdefault(monday, Week(monday)).voorstellen.append(voorstel)
    if stage.start_date <= today <= stage.end_date:
        by_week.setdefault(_monday(today), Week(_monday(today)))
    for week in by_week.values():
        week.is_current = week.monday == _monday(today)
    return [by_week[monday] for monday in sorted(by_week)]


def warnings(*, stage, leerdoelen):
    found = []
    due = {}
    for leerdoel in leerdoelen:
        if leerdoel.target_date is None:
            continue
        if not stage.start_date <= leerdoel.target_date <= stage.end_date:
            found.append(
                _("De streefdatum van '%(title)s' (%(date)s) valt buiten de stageperiode.")
                % {"title": leerdoel.title, "date": date_format(leerdoel.target_date, "j F Y")}
            )
        if leerdoel.status not in ("behaald", "bijgesteld"):
            due.setdefault(_monday(leerdoel.target_date), []).append(leerdoel)
    for monday, rows in sorted(due.items()):
        if len(rows) > MAX_DUE_PER_WEEK:
            found.append(
                ngettext(
                    "In de week van %(date)s moet %(count)d leerdoel behaald zijn: is dat haalbaar?",
                    "In de week van %(date)s moeten %(count)d leerdoelen behaald zijn: is dat haalbaar?",
                    len(rows),
                )
                % {"date": date_format(monday, "j F"), "count": len(rows)}
            )
    return found
