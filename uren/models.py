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

from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from leerbedrijf.models import Stage
from stagegids.models import Wijziging
from stagegids.roles import Role

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


def uren_stages(user):
    """The stages whose hours `user` may see: the company side and the stagiair, not the school."""
    return Stage.objects.company_side(user)


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
    # {"2026-03-02": {"soort": ["werk", "afwezig"], "hours": ["8.00", "0.00"], "afwezigheid": ["", "ziek"]},
    #  "begeleiding:<user id>": {"hours": ["1.00", "2.00"]}}
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
    school = Stage.objects.for_roles(user, Role.MBO_BEGELEIDER).filter(uren_instelling__school_sees_ziekmeldingen=True)
    return Stage.objects.filter(Q(pk__in=uren_stages(user).values("pk")) | Q(pk__in=school.values("pk")))


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


def studiejaar_of(day):
    """The first year of the studiejaar (1 August to 31 July) that holds `day`: 2025 for 2025/2026."""
    return day.year if day.month >= 8 else day.year - 1


def studiejaar_bounds(first_year):
    return date(first_year, 8, 1), date(first_year + 1, 7, 31)


def studiejaar_label(first_year):
    return f"{first_year}/{first_year + 1}"
