"""Aanwezigheid en uren (issue 14): per stage and per week the days worked, the school days, the absence with its
kind and the hours of begeleiding given, filled in by the stagiair or the werkplekbegeleider and approved by the
werkplekbegeleider or the praktijkopleider; and the ziekmeldingen of a stage.

A week is a row per (stage, Monday). Its status goes concept → ingediend → akkoord, or back to teruggestuurd (and
from there ingediend again); every step is one conditional update on the status, so a second click or a parallel
one changes nothing. The days of a week change with the week's version (stagegids.concurrency): two people filling
the same week do not overwrite each other. An approved week changes only through an Urencorrectie, which keeps who,
when, why and what changed, and is logged in the one audit trail (Wijziging).

Who sees what (the visible_to() querysets below; actions are in rules.py):
- a week is seen by the stage's company side (praktijkopleider, werkplekbegeleider, praktijkbeoordelaar) and the
  stagiair, not by the school: the hours are the company's records;
- a ziekmelding is seen by the same people, and by the stage's mbo-begeleider when the company chose so for that
  stage (UrenInstelling.school_sees_ziekmeldingen).

The totals (approved weeks, per stage, per month, per studiejaar, contract hours) are read through uren/totals.py.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.fields import GenericRelation
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import IntegrityError, models, transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _

from leerbedrijf.models import Stage, holds_condition, roles_to_ask
from stagegids.concurrency import StaleEdit, save_if_current
from stagegids.models import Wijziging
from stagegids.roles import COMPANY_SIDE, SCHOOL_SIDE, Role

MAX_DAY_HOURS = Decimal(24)
# Begeleiding given to one stagiair by one person in one week: more than the week's hours is a typing error.
MAX_WEEK_BEGELEIDING_HOURS = Decimal(60)


class Soort(models.TextChoices):
    """What a day of the week was for the stagiair."""

    WERK = "werk", _("werk")
    SCHOOL = "school", _("school")
    AFWEZIG = "afwezig", _("afwezig")
    VRIJ = "vrij", _("vrij")


class Afwezigheid(models.TextChoices):
    ZIEK = "ziek", _("ziek")
    VERLOF = "verlof", _("verlof")
    BIJZONDER_VERLOF = "bijzonder_verlof", _("bijzonder verlof")
    ONGEOORLOOFD = "ongeoorloofd", _("ongeoorloofd afwezig")


class WeekStatus(models.TextChoices):
    CONCEPT = "concept", _("concept")
    INGEDIEND = "ingediend", _("ingediend")
    AKKOORD = "akkoord", _("akkoord")
    TERUGGESTUURD = "teruggestuurd", _("teruggestuurd")


# The statuses in which the days may still be filled in and changed without a correction.
OPEN_STATUSES = (WeekStatus.CONCEPT, WeekStatus.TERUGGESTUURD)


class UrenAction(models.TextChoices):
    """What the trail (stagegids.Wijziging) says about a week of hours or a ziekmelding."""

    INGEDIEND = "uren_ingediend", _("uren van de week ingediend")
    AKKOORD = "uren_akkoord", _("uren van de week akkoord")
    TERUGGESTUURD = "uren_teruggestuurd", _("uren van de week teruggestuurd")
    GECORRIGEERD = "uren_gecorrigeerd", _("goedgekeurde uren gecorrigeerd")
    ZIEK_GEMELD = "ziek_gemeld", _("ziek gemeld")
    BETER_GEMELD = "beter_gemeld", _("beter gemeld")
    SCHOOL_ZIEKMELDINGEN = "ziekmeldingen_school", _("zichtbaarheid van ziekmeldingen voor de school gewijzigd")


Wijziging.register_actions(dict(UrenAction.choices))


def monday_of(day):
    return day - timedelta(days=day.weekday())


def week_url(stage, week_start, name="uren:week"):
    """The page of the stage's week that starts on `week_start` (a Monday), by its ISO year and number."""
    year, week, _day = week_start.isocalendar()
    return reverse(name, kwargs={"pk": stage.pk, "year": year, "week": week})


# A stage without planned days and hours is prefilled as a full working week.
DEFAULT_DAYS_PER_WEEK = Decimal(5)
DEFAULT_HOURS_PER_WEEK = Decimal(40)
QUARTER = Decimal("0.25")


class NotPossible(Exception):
    """A step that does not apply to the week as it is now (handed in already, approved already, outside the
    stage): nothing changed, and the message says why."""


def _when(moment):
    return date_format(timezone.localtime(moment), "j F Y H:i")


@dataclass(frozen=True)
class Dag:
    """One day as entered on the week's form (or planned): what an Urendag row holds."""

    day: date
    soort: str
    hours: Decimal
    afwezigheid: str = ""

    def as_row(self):
        """What a correction compares and keeps, by the fields' Dutch names."""
        return {_t("soort"): self.soort, _t("uren"): hours_text(self.hours), _t("afwezigheid"): self.afwezigheid}


def hours_text(hours):
    return f"{hours:.2f}"


def last_day(stage):
    """The stage's last day of hours: its end date, or the day before it was interrupted or ended (issue 15)."""
    if stage.stopped and stage.stopped_on is not None:
        return min(stage.end_date, stage.stopped_on - timedelta(days=1))
    return stage.end_date


def stage_days(stage, week_start):
    """The days of the week that lie within the stage's dates."""
    days = (week_start + timedelta(days=offset) for offset in range(7))
    return [day for day in days if stage.start_date <= day <= last_day(stage)]


def week_error(stage, week_start, *, today=None):
    """The Dutch reason why hours cannot be written for this week of the stage, or None."""
    today = today or timezone.localdate()
    if stage.stopped and stage.stopped_on is not None and week_start > last_day(stage):
        return _t("De stage is %(stopped)s met ingang van %(date)s; daarna worden geen uren geschreven.") % {
            "stopped": stage.get_stopped_display(),
            "date": date_format(stage.stopped_on, "j F Y"),
        }
    if week_start + timedelta(days=6) < stage.start_date or week_start > stage.end_date:
        return _t("Deze week valt buiten de stage (%(start)s tot en met %(end)s).") % {
            "start": date_format(stage.start_date, "j F Y"),
            "end": date_format(stage.end_date, "j F Y"),
        }
    if week_start > today:
        return _t("Deze week is nog niet begonnen; uren schrijft u vanaf de maandag van de week.")
    return None


def planned_days(stage, week_start, ziek=()):
    """The week as planned: the first days_per_week working days werk, hours_per_week spread over them (a half day
    for a half), the other days vrij; a day of a ziekmelding (`ziek`: the days ill) afwezig, ziek, with the hours
    that were planned for it. Only the days within the stage."""
    days_per_week = stage.days_per_week or DEFAULT_DAYS_PER_WEEK
    hours_per_week = stage.hours_per_week if stage.hours_per_week is not None else DEFAULT_HOURS_PER_WEEK
    per_day = (hours_per_week / days_per_week / QUARTER).quantize(Decimal(1)) * QUARTER
    planned = []
    left = min(days_per_week, Decimal(5))
    for offset in range(7):
        day = week_start + timedelta(days=offset)
        share = min(left, Decimal(1)) if offset < 5 else Decimal(0)
        left -= share
        hours = min((per_day * share / QUARTER).quantize(Decimal(1)) * QUARTER, MAX_DAY_HOURS)
        if not stage.start_date <= day <= last_day(stage):
            continue
        if share and day in ziek:
            planned.append(Dag(day, Soort.AFWEZIG, hours, Afwezigheid.ZIEK))
        elif share:
            planned.append(Dag(day, Soort.WERK, hours))
        else:
            planned.append(Dag(day, Soort.VRIJ, Decimal(0)))
    return planned


def keeping_hours(stages):
    """The `stages` of leerbedrijven that keep hours in the Stagegids: any of their stages has a week of hours. Only
    these are reminded of, and prompted for, a week not filled in; a company that keeps hours elsewhere is not."""
    return stages.filter(leerbedrijf_id__in=Urenweek.objects.values("stage__leerbedrijf_id"))


# Who sees a stage's hours: the company side and the stagiair, not the school.
UREN_READERS = COMPANY_SIDE


def uren_stages(user):
    """The stages whose hours `user` may see."""
    return Stage.objects.for_roles(user, *UREN_READERS)


class UrenweekQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(stage__in=uren_stages(user))

    def approved(self):
        return self.filter(status=WeekStatus.AKKOORD)


class Urenweek(models.Model):
    """The hours of one stage in one week (Monday to Sunday); its days are Urendag rows, at most seven."""

    stage = models.ForeignKey(Stage, on_delete=models.CASCADE, related_name="urenweken")
    week_start = models.DateField(_("week van"), help_text=_("de maandag van de week"))
    status = models.CharField(_("status"), max_length=20, choices=WeekStatus.choices, default=WeekStatus.CONCEPT)
    # Goes up with every save of the days (stagegids.concurrency), and with every step of the status.
    version = models.PositiveIntegerField(default=1)
    filled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    filled_at = models.DateTimeField(_("ingevuld op"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    submitted_at = models.DateTimeField(_("ingediend op"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(_("akkoord op"), null=True, blank=True)
    returned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    returned_at = models.DateTimeField(_("teruggestuurd op"), null=True, blank=True)
    returned_reason = models.TextField(_("reden van terugsturen"), max_length=1000, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    # The same rows as Wijziging.objects.for_object(week); declared so that deleting a week deletes its trail.
    wijzigingen = GenericRelation(Wijziging, related_query_name="urenweek")

    objects = UrenweekQuerySet.as_manager()

    class Meta:
        verbose_name = _("urenweek")
        verbose_name_plural = _("urenweken")
        ordering = ["stage", "-week_start"]
        constraints = [
            models.UniqueConstraint(fields=["stage", "week_start"], name="urenweek_unique_stage_week"),
            models.CheckConstraint(condition=Q(week_start__iso_week_day=1), name="urenweek_starts_on_monday"),
        ]
        indexes = [models.Index(fields=["status", "week_start"], name="urenweek_status_week")]

    def __str__(self):
        return _("uren van %(stagiair)s, week %(week)s") % {"stagiair": self.stage.stagiair, "week": self.week_label}

    @property
    def week_end(self):
        return self.week_start + timedelta(days=6)

    @property
    def week_label(self):
        year, week, _day = self.week_start.isocalendar()
        return f"{week} ({year})"

    @property
    def is_open(self):
        return self.status in OPEN_STATUSES

    @property
    def is_approved(self):
        return self.status == WeekStatus.AKKOORD

    @classmethod
    def shown_for(cls, stage, week_start):
        """The week's row, or an unsaved one: opening a week writes nothing, its first save makes the row."""
        week = cls.objects.filter(stage=stage, week_start=week_start).first() or cls(stage=stage, week_start=week_start)
        week.stage = stage
        return week

    def entered_days(self):
        """The days as stored ([Dag]); empty for a week not yet saved."""
        if self.pk is None:
            return []
        return [Dag(row.day, row.soort, row.hours, row.afwezigheid) for row in self.days.all()]

    def entered_begeleiding(self):
        """{begeleider id: hours} as stored."""
        if self.pk is None:
            return {}
        return dict(self.begeleiding.values_list("begeleider_id", "hours"))

    def log_action(self, action, *, by, changes=None, data=None):
        return Wijziging.log(
            self, action, user=by, role=self.stage.role_of(by), changes=changes, data=data, stage_id=self.stage_id
        )

    def _check_days(self, days):
        allowed = set(stage_days(self.stage, self.week_start))
        if {dag.day for dag in days} - allowed or len({dag.day for dag in days}) != len(days):
            raise ValueError("days outside the week or the stage, or a day twice")

    def _write(self, days, begeleiding):
        """Replace the days and the begeleiding of the (saved, locked) week."""
        self.days.all().delete()
        Urendag.objects.bulk_create(
            Urendag(week=self, day=d.day, soort=d.soort, hours=d.hours, afwezigheid=d.afwezigheid) for d in days
        )
        self.begeleiding.all().delete()
        Begeleidingsuren.objects.bulk_create(
            Begeleidingsuren(week=self, begeleider_id=user_id, hours=hours)
            for user_id, hours in begeleiding.items()
            if hours
        )

    def fill(self, *, by, version, days, begeleiding, submit=False):
        """Save the days ([Dag]) and the begeleiding ({user id: hours}) of an open week, as of `version`; with
        `submit` hand it in for approval. StaleEdit when someone saved since `version`; NotPossible when the week
        is no longer open (handed in, approved)."""
        if error := week_error(self.stage, self.week_start):
            raise NotPossible(error)
        self._check_days(days)
        now = timezone.now()
        values = {"filled_by": by, "filled_at": now}
        if submit:
            values.update(status=WeekStatus.INGEDIEND, submitted_by=by, submitted_at=now)
        with transaction.atomic():
            if self.pk is None:
                # Two first saves at once make one row; the second then finds its version stale.
                self.pk = Urenweek.objects.get_or_create(stage=self.stage, week_start=self.week_start)[0].pk
            try:
                still_open = Urenweek.objects.filter(pk=self.pk, status__in=OPEN_STATUSES)
                save_if_current(still_open, field="version", seen=version, **values)
            except StaleEdit:
                self.refresh_from_db()
                if not self.is_open:
                    raise NotPossible(self.not_open_message()) from None
                raise
            self._write(days, begeleiding)
            if submit:
                self.log_action(UrenAction.INGEDIEND, by=by, data=self._summary(days, begeleiding))
        self.refresh_from_db()

    def not_open_message(self):
        if self.status == WeekStatus.AKKOORD:
            return _t("Deze week is op %(when)s akkoord gegeven; wijzigen kan alleen met een correctie.") % {
                "when": _when(self.approved_at)
            }
        return _t("Deze week is op %(when)s ingediend en wacht op akkoord.") % {"when": _when(self.submitted_at)}

    @staticmethod
    def _summary(days, begeleiding):
        return {
            "hours": str(sum((d.hours for d in days if d.soort != Soort.VRIJ), Decimal(0))),
            "begeleiding": str(sum(begeleiding.values(), Decimal(0))),
        }

    def approve(self, *, by):
        """Akkoord on a handed-in week, once: NotPossible when it is not (or no longer) waiting for it."""
        with transaction.atomic():
            done = Urenweek.objects.filter(pk=self.pk, status=WeekStatus.INGEDIEND).update(
                status=WeekStatus.AKKOORD, approved_by=by, approved_at=timezone.now(), version=F("version") + 1
            )
            if done:
                self.log_action(UrenAction.AKKOORD, by=by)
        self.refresh_from_db()
        if not done:
            raise NotPossible(self.step_refused_message())

    def send_back(self, *, by, reason):
        """Send a handed-in week back with a reason; the stagiair or werkplekbegeleider fills it in again."""
        with transaction.atomic():
            done = Urenweek.objects.filter(pk=self.pk, status=WeekStatus.INGEDIEND).update(
                status=WeekStatus.TERUGGESTUURD,
                returned_by=by,
                returned_at=timezone.now(),
                returned_reason=reason,
                version=F("version") + 1,
            )
            if done:
                self.log_action(UrenAction.TERUGGESTUURD, by=by, data={"reason": reason})
        self.refresh_from_db()
        if not done:
            raise NotPossible(self.step_refused_message())

    def step_refused_message(self):
        if self.status == WeekStatus.AKKOORD:
            return _t("Deze week was al op %(when)s akkoord gegeven; er is niets veranderd.") % {
                "when": _when(self.approved_at)
            }
        if self.status == WeekStatus.TERUGGESTUURD:
            return _t("Deze week was al op %(when)s teruggestuurd; er is niets veranderd.") % {
                "when": _when(self.returned_at)
            }
        return _t("Deze week is niet ingediend; er valt nog niets akkoord te geven.")

    def correct(self, *, by, version, days, begeleiding, reason):
        """Change an approved week: a visible correction with its reason, in the one audit trail. Returns the
        Urencorrectie; StaleEdit when someone corrected since `version`; NotPossible when nothing changes or the
        week is not approved."""
        if not self.is_approved:
            raise NotPossible(_t("Alleen een week die akkoord is, wordt gecorrigeerd."))
        self._check_days(days)
        old_days = {d.day.isoformat(): d.as_row() for d in self.entered_days()}
        new_days = {d.day.isoformat(): d.as_row() for d in days}
        changes = {}
        for day in sorted(old_days.keys() | new_days.keys()):
            old, new = old_days.get(day, {}), new_days.get(day, {})
            for name in old or new:
                if old.get(name) != new.get(name):
                    changes[f"{day} {name}"] = [old.get(name), new.get(name)]
        old_given = {k: hours_text(v) for k, v in self.entered_begeleiding().items()}
        new_given = {k: hours_text(v) for k, v in begeleiding.items() if v}
        people = old_given.keys() | new_given.keys()
        names = dict(get_user_model().objects.filter(pk__in=people).values_list("pk", "name"))
        for user_id in sorted(people):
            if old_given.get(user_id) != new_given.get(user_id):
                key = _t("begeleiding door %(name)s") % {"name": names.get(user_id, user_id)}
                changes[key] = [old_given.get(user_id), new_given.get(user_id)]
        if not changes:
            raise NotPossible(_t("Er is niets gewijzigd; de correctie is niet opgeslagen."))
        with transaction.atomic():
            approved = Urenweek.objects.filter(pk=self.pk, status=WeekStatus.AKKOORD)
            save_if_current(approved, field="version", seen=version)
            self._write(days, begeleiding)
            role = self.stage.role_of(by)
            correctie = Urencorrectie.objects.create(week=self, by=by, role=role, reason=reason, changes=changes)
            self.log_action(UrenAction.GECORRIGEERD, by=by, changes=changes, data={"reason": reason})
        self.refresh_from_db()
        return correctie


class Urendag(models.Model):
    """One day of a week: its soort, the hours, and the kind of absence when the stagiair was afwezig."""

    week = models.ForeignKey(Urenweek, on_delete=models.CASCADE, related_name="days")
    day = models.DateField(_("dag"))
    soort = models.CharField(_("soort"), max_length=10, choices=Soort.choices)
    hours = models.DecimalField(
        _("uren"),
        max_digits=4,
        decimal_places=2,
        default=0,
        validators=[MinValueValidator(0), MaxValueValidator(MAX_DAY_HOURS)],
    )
    afwezigheid = models.CharField(_("soort afwezigheid"), max_length=20, choices=Afwezigheid.choices, blank=True)

    class Meta:
        verbose_name = _("urendag")
        verbose_name_plural = _("urendagen")
        ordering = ["day"]
        constraints = [
            models.UniqueConstraint(fields=["week", "day"], name="urendag_unique_week_day"),
            models.CheckConstraint(condition=Q(hours__gte=0, hours__lte=MAX_DAY_HOURS), name="urendag_hours_0_24"),
            models.CheckConstraint(
                condition=(Q(soort=Soort.AFWEZIG) & ~Q(afwezigheid="")) | (~Q(soort=Soort.AFWEZIG) & Q(afwezigheid="")),
                name="urendag_afwezigheid_only_when_afwezig",
            ),
        ]

    def __str__(self):
        return f"{self.day} {self.get_soort_display()} {self.hours}"


class Begeleidingsuren(models.Model):
    """The hours of begeleiding one person gave the stagiair in one week."""

    week = models.ForeignKey(Urenweek, on_delete=models.CASCADE, related_name="begeleiding")
    begeleider = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("begeleider")
    )
    hours = models.DecimalField(
        _("uren begeleiding"),
        max_digits=4,
        decimal_places=2,
        validators=[MinValueValidator(0), MaxValueValidator(MAX_WEEK_BEGELEIDING_HOURS)],
    )

    class Meta:
        verbose_name = _("begeleidingsuren")
        verbose_name_plural = _("begeleidingsuren")
        constraints = [
            models.UniqueConstraint(fields=["week", "begeleider"], name="begeleidingsuren_unique_week_begeleider"),
            models.CheckConstraint(
                condition=Q(hours__gte=0, hours__lte=MAX_WEEK_BEGELEIDING_HOURS), name="begeleidingsuren_hours_bounded"
            ),
        ]

    def __str__(self):
        return f"{self.begeleider} {self.hours}"


class Urencorrectie(models.Model):
    """A change to an approved week: who, when, why and what (day → [old, new]); the week stays approved."""

    week = models.ForeignKey(Urenweek, on_delete=models.CASCADE, related_name="correcties")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    role = models.CharField(_("rol"), max_length=30, choices=Role.choices, blank=True)
    at = models.DateTimeField(_("gecorrigeerd op"), default=timezone.now)
    reason = models.TextField(_("reden"), max_length=1000)
    # What changed, [old, new] by "<day> <field>" and "begeleiding door <name>":
    # {"2026-03-02 soort": ["werk", "afwezig"], "2026-03-02 uren": ["8.00", "6.00"],
    #  "begeleiding door Willem": ["1.00", "2.00"]}
    changes = models.JSONField(default=dict)

    class Meta:
        verbose_name = _("urencorrectie")
        verbose_name_plural = _("urencorrecties")
        ordering = ["at"]

    def __str__(self):
        return f"{self.week} {self.at:%Y-%m-%d}"

    @property
    def stage_id(self):
        return self.week.stage_id


def ziekmelding_stages(user):
    """The stages whose ziekmeldingen `user` may see: the company side, the stagiair, and the mbo-begeleider of a
    stage whose company chose to show them to the school."""
    # One condition on the stage, and the school's subquery only for whoever may be an mbo-begeleider: the start
    # page of each role asks it.
    condition = holds_condition(user, *UREN_READERS)
    if roles_to_ask(user, SCHOOL_SIDE):
        school = Stage.objects.school_side(user).filter(uren_instelling__school_sees_ziekmeldingen=True)
        condition |= Q(pk__in=school.values("pk"))
    return Stage.objects.filter(condition)


class ZiekmeldingQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(stage__in=ziekmelding_stages(user))

    def open(self):
        return self.filter(until__isnull=True)


class Ziekmelding(models.Model):
    """The stagiair is ill from `since`; `until` is the last day ill, set when they are reported better."""

    stage = models.ForeignKey(Stage, on_delete=models.CASCADE, related_name="ziekmeldingen")
    since = models.DateField(_("ziek sinds"))
    until = models.DateField(_("ziek tot en met"), null=True, blank=True)
    note = models.CharField(_("toelichting"), max_length=300, blank=True)
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reported_at = models.DateTimeField(_("gemeld op"), default=timezone.now)
    recovered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recovered_at = models.DateTimeField(_("beter gemeld op"), null=True, blank=True)

    wijzigingen = GenericRelation(Wijziging, related_query_name="ziekmelding")

    objects = ZiekmeldingQuerySet.as_manager()

    class Meta:
        verbose_name = _("ziekmelding")
        verbose_name_plural = _("ziekmeldingen")
        ordering = ["-since"]
        constraints = [
            models.CheckConstraint(
                condition=Q(until__isnull=True) | Q(until__gte=models.F("since")), name="ziekmelding_until_after_since"
            ),
            # One open ziekmelding per stage: reporting ill twice the same day is one melding.
            models.UniqueConstraint(fields=["stage"], condition=Q(until__isnull=True), name="ziekmelding_one_open"),
        ]

    def __str__(self):
        return f"{self.stage.stagiair} {self.since}"

    def days_ill(self, today):
        """Calendar days ill, `since` to `until` (or to today) inclusive."""
        return ((self.until or today) - self.since).days + 1

    def covers(self, day):
        return self.since <= day and (self.until is None or day <= self.until)

    @classmethod
    def report(cls, *, stage, by, since, note=""):
        """Report the stagiair ill from `since`; NotPossible (with the open one's date) when they already are."""
        try:
            with transaction.atomic():
                melding = cls.objects.create(stage=stage, since=since, note=note, reported_by=by)
                Wijziging.log(
                    melding, UrenAction.ZIEK_GEMELD, user=by, role=stage.role_of(by), data={"since": since.isoformat()}
                )
        except IntegrityError:
            open_since = cls.objects.open().filter(stage=stage).values_list("since", flat=True).first()
            raise NotPossible(
                _t("%(stagiair)s is al ziek gemeld sinds %(since)s.")
                % {"stagiair": stage.stagiair.name, "since": date_format(open_since or since, "j F Y")}
            ) from None
        return melding

    def recover(self, *, by, until):
        """Report better: `until` is the last day ill. Once: NotPossible when it was reported better already."""
        with transaction.atomic():
            done = Ziekmelding.objects.filter(pk=self.pk, until__isnull=True).update(
                until=until, recovered_by=by, recovered_at=timezone.now()
            )
            if done:
                Wijziging.log(
                    self,
                    UrenAction.BETER_GEMELD,
                    user=by,
                    role=self.stage.role_of(by),
                    data={"until": until.isoformat()},
                )
        self.refresh_from_db()
        if not done:
            raise NotPossible(
                _t("Deze ziekmelding was al op %(when)s afgesloten.") % {"when": _when(self.recovered_at)}
            )


class UrenInstelling(models.Model):
    """The company's choices about the hours of one stage; a stage without a row has the defaults."""

    stage = models.OneToOneField(Stage, on_delete=models.CASCADE, related_name="uren_instelling")
    school_sees_ziekmeldingen = models.BooleanField(
        _("de mbo-begeleider ziet de ziekmeldingen"),
        default=False,
        help_text=_("Alleen als u dat met de school hebt afgesproken."),
    )

    class Meta:
        verbose_name = _("instelling uren")
        verbose_name_plural = _("instellingen uren")

    def __str__(self):
        return str(self.stage)

    @classmethod
    def school_sees(cls, stage):
        return cls.objects.filter(stage=stage, school_sees_ziekmeldingen=True).exists()

    @classmethod
    def set_school_sees(cls, *, stage, by, value):
        """The company's choice for this stage; logged when it changes. Returns whether it changed."""
        with transaction.atomic():
            instelling, _created = cls.objects.select_for_update().get_or_create(stage=stage)
            if instelling.school_sees_ziekmeldingen == value:
                return False
            cls.objects.filter(pk=instelling.pk).update(school_sees_ziekmeldingen=value)
            Wijziging.log(
                instelling,
                UrenAction.SCHOOL_ZIEKMELDINGEN,
                user=by,
                role=stage.role_of(by),
                changes={"school_sees_ziekmeldingen": [not value, value]},
                stage_id=stage.pk,
            )
        return True


def studiejaar_of(day):
    """The first year of the studiejaar (1 August to 31 July) that holds `day`: 2025 for 2025/2026."""
    return day.year if day.month >= 8 else day.year - 1


def studiejaar_bounds(first_year):
    return date(first_year, 8, 1), date(first_year + 1, 7, 31)


def studiejaar_label(first_year):
    return f"{first_year}/{first_year + 1}"
