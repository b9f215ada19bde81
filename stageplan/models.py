import secrets

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.db import IntegrityError, models, transaction
from django.db.models import Exists, F, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from leerbedrijf.models import Stage, on_stages
from stagegids.models import Wijziging
from stagegids.roles import COMPANY_SIDE, SCHOOL_SIDE, Role


def plan_stages(user):
    """The stages whose stageplan, leerdoelen and observaties `user` may see: everyone on the stage in the company,
    the stagiair, and a meewerkende collega during their period (they record observaties against its leerdoelen).
    The mbo-begeleider is left out on purpose: the school sees only the agreed, shared version.
    """
    return Stage.objects.for_roles(user, *PLAN_READERS)


# Who reads a stage's stageplan (plan_stages), for holds_condition on a list of stages.
PLAN_READERS = (*COMPANY_SIDE, Role.MEEWERKENDE_COLLEGA)


class MomentKind(models.TextChoices):
    """The feedback moments the gids asks for (chapters 7, 8 and 9)."""

    VOORTGANGSGESPREK = "voortgangsgesprek", _("voortgangsgesprek")
    TUSSENBEOORDELING = "tussenbeoordeling", _("tussenbeoordeling")
    EINDBEOORDELING = "eindbeoordeling", _("eindbeoordeling")
    EVALUATIE = "evaluatie", _("evaluatiegesprek")
    STARTGESPREK = "startgesprek", _("startgesprek (school, bedrijf en stagiair)")
    MIDDENGESPREK = "middengesprek", _("middengesprek (school, bedrijf en stagiair)")
    EINDGESPREK = "eindgesprek", _("eindgesprek (school, bedrijf en stagiair)")


# The moments the school takes part in (ch. 9): the gesprekken of school, bedrijf and stagiair, the
# tussenbeoordeling (its verslag goes to the mbo-begeleider) and the eindbeoordeling (a bpv-beoordeling is discussed
# with the mbo-begeleider; at a pvb the school assesses its own part). The mbo-begeleider sees these, and only these.
WITH_SCHOOL = frozenset(
    {
        MomentKind.TUSSENBEOORDELING,
        MomentKind.EINDBEOORDELING,
        MomentKind.STARTGESPREK,
        MomentKind.MIDDENGESPREK,
        MomentKind.EINDGESPREK,
    }
)


# The driegesprekken: the gesprekken of school, bedrijf and stagiair, each with its own record (beoordeling).
DRIEGESPREKKEN = frozenset({MomentKind.STARTGESPREK, MomentKind.MIDDENGESPREK, MomentKind.EINDGESPREK})


class AlreadyDone(Exception):
    """A conditional update found the row already past the state it was asked to leave: nothing changed."""


class MomentQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The company side sees every moment of its stages; the school the moments it takes part in."""
        return self.filter(on_stages(user, COMPANY_SIDE) | on_stages(user, SCHOOL_SIDE, kind__in=WITH_SCHOOL))

    def for_participant(self, user):
        """The moments `user` takes part in, across stages: those whose invitation reaches them
        (herinneringen.moment_participants), as long as they hold the role. The praktijkopleider, the
        werkplekbegeleider and the stagiair take part in all; the praktijkbeoordelaar assesses at the
        eindbeoordeling; the school comes to the moments with school."""
        return self.filter(
            on_stages(user, (Role.PRAKTIJKOPLEIDER, Role.WERKPLEKBEGELEIDER, Role.STAGIAIR))
            | on_stages(user, (Role.PRAKTIJKBEOORDELAAR,), kind=MomentKind.EINDBEOORDELING)
            | on_stages(user, SCHOOL_SIDE, kind__in=WITH_SCHOOL)
        )

    def planned(self):
        return self.filter(cancelled_at__isnull=True)

    def last_gesprek_before(self, *, stage, moment):
        """The last voortgangsgesprek of `stage` that took place before `moment` (not cancelled), or None."""
        return (
            self.planned()
            .filter(stage=stage, kind=MomentKind.VOORTGANGSGESPREK, starts_at__lt=moment)
            .order_by("-starts_at")
            .first()
        )


class Moment(models.Model):
    """A planned gesprek or beoordeling of a stage: fixed at the start and not skipped. Reminders follow these."""

    stage = models.ForeignKey(Stage, on_delete=models.CASCADE, related_name="moments")
    kind = models.CharField(_("soort"), max_length=30, choices=MomentKind.choices)
    starts_at = models.DateTimeField(_("datum en tijd"))
    location = models.CharField(_("plaats"), max_length=200, blank=True)
    cancelled_at = models.DateTimeField(_("geannuleerd op"), null=True, blank=True)
    # Why it did not take place: the gids says "sla ze niet over" (ch. 8), so a cancelled moment says why.
    cancel_reason = models.CharField(_("reden van annuleren"), max_length=500, blank=True)
    # Bumped on every change of time or place, so a calendar invitation can be updated (iCalendar SEQUENCE).
    sequence = models.PositiveIntegerField(default=0, editable=False)
    # Set with every bump of `sequence`: the LAST-MODIFIED of the moment in the agenda feed (ical.py), which
    # thereby stays the same between two fetches when nothing changed.
    changed_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = MomentQuerySet.as_manager()

    class Meta:
        verbose_name = _("gepland moment")
        verbose_name_plural = _("geplande momenten")
        ordering = ["starts_at"]
        indexes = [models.Index(fields=["starts_at"], condition=Q(cancelled_at__isnull=True), name="moment_planned")]

    def __str__(self):
        return f"{self.get_kind_display()} {self.starts_at:%d-%m-%Y}"

    @property
    def with_school(self):
        return self.kind in WITH_SCHOOL

    @property
    def is_past(self):
        return self.starts_at <= timezone.now()

    @property
    def restorable(self):
        return self.cancelled_at is not None and not self.is_past

    def reschedule(self, *, starts_at, location):
        """Move the moment; a change of time or place bumps `sequence` so calendar invitations are updated."""
        if starts_at != self.starts_at or location != self.location:
            self.starts_at, self.location = starts_at, location
            self.sequence += 1
            self.changed_at = timezone.now()
            self.save(update_fields=["starts_at", "location", "sequence", "changed_at"])
            return True
        return False

    def _step(self, *, where, **values):
        """One conditional update that bumps `sequence` (the calendars follow it); AlreadyDone when the row no
        longer matches `where`: a second click, or someone else was first."""
        if not Moment.objects.filter(pk=self.pk, **where).update(
            sequence=F("sequence") + 1, changed_at=timezone.now(), **values
        ):
            raise AlreadyDone
        self.refresh_from_db(fields=["cancelled_at", "sequence", "changed_at"])

    def cancel(self, *, reason=""):
        """Whoever got its invitation gets a CANCEL from the reminder scan (herinneringen.MomentCancelled). A moment
        in the past is cancelled to record that it did not take place (its reminders to sign stop, and it is no
        longer flagged as skipped: overdue.py)."""
        self._step(where={"cancelled_at__isnull": True}, cancelled_at=timezone.now(), cancel_reason=reason)
        self.cancel_reason = reason

    def restore(self):
        """Undo a cancellation while the moment is still to come: with its new sequence the calendars get a new
        REQUEST and its reminders come again (herinneringen.MomentReminder, MomentChanged)."""
        self._step(
            where={"cancelled_at__isnull": False, "starts_at__gt": timezone.now()}, cancelled_at=None, cancel_reason=""
        )


class VoorstelState(models.TextChoices):
    OPEN = "open", _("open")
    AANGENOMEN = "aangenomen", _("aangenomen")
    AFGEWEZEN = "afgewezen", _("afgewezen")


class MomentVoorstelQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(stage__in=plan_stages(user))

    def open(self):
        return self.filter(state=VoorstelState.OPEN)


class MomentVoorstel(models.Model):
    """The stagiair proposes a moment, or a new date for one; the praktijkopleider or the werkplekbegeleider, who
    plan the moments, accept or decline it."""

    stage = models.ForeignKey(Stage, on_delete=models.CASCADE, related_name="moment_voorstellen")
    # Empty: a new moment of `kind`; else a new date for this moment.
    moment = models.ForeignKey(Moment, on_delete=models.CASCADE, null=True, blank=True, related_name="voorstellen")
    kind = models.CharField(_("soort"), max_length=30, choices=MomentKind.choices)
    starts_at = models.DateTimeField(_("datum en tijd"))
    location = models.CharField(_("plaats"), max_length=200, blank=True)
    toelichting = models.CharField(_("toelichting"), max_length=500, blank=True)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("door")
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    state = models.CharField(_("status"), max_length=12, choices=VoorstelState.choices, default=VoorstelState.OPEN)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    reden = models.CharField(_("reden"), max_length=500, blank=True)

    objects = MomentVoorstelQuerySet.as_manager()

    class Meta:
        verbose_name = _("voorstel voor een moment")
        verbose_name_plural = _("voorstellen voor momenten")
        ordering = ["starts_at", "pk"]

    def __str__(self):
        return f"{self.get_kind_display()} {self.starts_at:%d-%m-%Y}"

    def _decide(self, state, *, by, reden=""):
        now = timezone.now()
        if not MomentVoorstel.objects.filter(pk=self.pk, state=VoorstelState.OPEN).update(
            state=state, decided_by=by, decided_at=now, reden=reden
        ):
            raise AlreadyDone
        self.state, self.decided_by, self.decided_at, self.reden = state, by, now, reden

    def accept(self, *, by):
        """Plan what was proposed; run inside changes.save_change, so the plan keeps it as a version. AlreadyDone
        when it was decided already, or its moment was cancelled meanwhile (the transaction then undoes both)."""
        self._decide(VoorstelState.AANGENOMEN, by=by)
        if self.moment_id is None:
            return Moment.objects.create(
                stage_id=self.stage_id, kind=self.kind, starts_at=self.starts_at, location=self.location
            )
        moment = Moment.objects.select_for_update().filter(pk=self.moment_id, cancelled_at__isnull=True).first()
        if moment is None:
            raise AlreadyDone
        moment.reschedule(starts_at=self.starts_at, location=self.location)
        return moment

    def decline(self, *, by, reden):
        self._decide(VoorstelState.AFGEWEZEN, by=by, reden=reden)


class StageplanQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(stage__in=plan_stages(user))

    def with_leerdoelen(self):
        return self.filter(Exists(Leerdoel.objects.filter(stageplan=OuterRef("pk"))))


class Stageplan(models.Model):
    """The stagiair's plan for one stage: a dynamic document that changes during the stage (chapter 7)."""

    stage = models.OneToOneField(Stage, on_delete=models.CASCADE, related_name="stageplan")
    niveau = models.PositiveSmallIntegerField(_("niveau"), null=True, blank=True)
    leerjaar = models.PositiveSmallIntegerField(_("leerjaar"), null=True, blank=True)
    capaciteiten = models.TextField(_("capaciteiten"), blank=True)
    vorige_stage = models.TextField(_("wat deed je in een vorige stage?"), blank=True)
    # The number of the latest StageplanVersion. A save names the version it was based on; when that is no longer
    # the latest, someone else saved in between and the save is refused (never silently overwritten).
    version = models.PositiveIntegerField(default=0, editable=False)
    voortgang_interval_weeks = models.PositiveSmallIntegerField(_("voortgangsgesprek elke ... weken"), default=4)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = StageplanQuerySet.as_manager()

    class Meta:
        verbose_name = _("stageplan")
        verbose_name_plural = _("stageplannen")

    def __str__(self):
        return _("Stageplan van %(stagiair)s") % {"stagiair": self.stage.stagiair}

    @property
    def beginsituatie_written(self):
        """Whether the stagiair described where they start (ch. 7); the niveau comes from the kwalificatie."""
        return bool(self.leerjaar or self.capaciteiten.strip() or self.vorige_stage.strip())

    def has_something_to_agree(self):
        """Stagiair and praktijkopleider agree on the leerdoelen: a plan without any (its first version is made
        with the plan, before anyone wrote in it) has nothing to agree yet."""
        return self.leerdoelen.exists()


class LeerdoelStatus(models.TextChoices):
    GEPLAND = "gepland", _("gepland")
    BEZIG = "bezig", _("bezig")
    BEHAALD = "behaald", _("behaald")
    BIJGESTELD = "bijgesteld", _("bijgesteld")


class Skill(models.TextChoices):
    HARD = "hard", _("hard skill")
    SOFT = "soft", _("soft skill")


class LeerdoelQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(stageplan__stage__in=plan_stages(user))


class Leerdoel(models.Model):
    stageplan = models.ForeignKey(Stageplan, on_delete=models.CASCADE, related_name="leerdoelen")
    werkproces = models.ForeignKey(
        "leerbedrijf.Werkproces", on_delete=models.PROTECT, null=True, blank=True, related_name="leerdoelen"
    )
    title = models.CharField(_("leerdoel"), max_length=300)
    skill = models.CharField(_("soort"), max_length=4, choices=Skill.choices, default=Skill.HARD)
    activiteiten = models.TextField(_("activiteiten"), blank=True)
    benodigd = models.TextField(_("wie of wat is nodig?"), blank=True)
    target_date = models.DateField(_("wanneer behaald?"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=LeerdoelStatus.choices, default=LeerdoelStatus.GEPLAND
    )

    # The same rows as Wijziging.objects.for_object(leerdoel); declared so that deleting it deletes its history.
    wijzigingen = GenericRelation(Wijziging, related_query_name="leerdoel")

    objects = LeerdoelQuerySet.as_manager()

    class Meta:
        verbose_name = _("leerdoel")
        verbose_name_plural = _("leerdoelen")
        ordering = ["target_date", "pk"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("stageplan:leerdoel", args=[self.stageplan.stage_id, self.pk])

    def record_status(self, *, old, by):
        """Keep the step from `old` (None for a new leerdoel) to the current status in the leerdoel's history."""
        stage = self.stageplan.stage
        return Wijziging.log(
            self,
            LeerdoelAction.STATUS,
            user=by,
            role=stage.role_of(by),
            changes={"status": [old, self.status]},
            stage_id=stage.pk,
        )

    def status_history(self):
        """Its progress over the stage, oldest first."""
        return Wijziging.objects.for_object(self).filter(action=LeerdoelAction.STATUS)


class LeerdoelAction(models.TextChoices):
    STATUS = "leerdoel_status", _("status gewijzigd")


# The history shows each step as the status reached: "bezig", "behaald".
Wijziging.register_actions(
    {LeerdoelAction.STATUS: lambda wijziging: dict(LeerdoelStatus.choices).get(wijziging.after("status"), "–")}
)


class LeerdoelCommentQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(leerdoel__stageplan__stage__in=plan_stages(user))


class LeerdoelComment(models.Model):
    """The thread under a leerdoel, where the praktijkopleider and the stagiair talk about it."""

    leerdoel = models.ForeignKey(Leerdoel, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    text = models.TextField(_("reactie"))
    created_at = models.DateTimeField(default=timezone.now)

    objects = LeerdoelCommentQuerySet.as_manager()

    class Meta:
        verbose_name = _("reactie")
        verbose_name_plural = _("reacties")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.author}: {self.text[:50]}"


class StageplanVersionQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(stageplan__stage__in=plan_stages(user))

    def agreed(self):
        return self.filter(agreed_by_stagiair_at__isnull=False, agreed_by_opleider_at__isnull=False)


class StageplanVersion(models.Model):
    """Every saved state of a stageplan, as a JSON snapshot of the whole plan, with who saved it and when.

    A version is afgestemd when both the stagiair and the praktijkopleider marked it; the latest such version is
    the one the school sees.
    """

    stageplan = models.ForeignKey(Stageplan, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("versie"))
    data = models.JSONField()
    summary = models.CharField(_("wijziging"), max_length=300)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    # Set when this change came after an agreed version: the agreement is withdrawn, and the page says so.
    withdrew_agreement_of = models.PositiveIntegerField(null=True, blank=True)
    agreed_by_stagiair = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    agreed_by_stagiair_at = models.DateTimeField(null=True, blank=True)
    agreed_by_opleider = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    agreed_by_opleider_at = models.DateTimeField(null=True, blank=True)

    objects = StageplanVersionQuerySet.as_manager()

    class Meta:
        verbose_name = _("versie van een stageplan")
        verbose_name_plural = _("versies van stageplannen")
        ordering = ["-number"]
        constraints = [models.UniqueConstraint(fields=["stageplan", "number"], name="stageplanversion_unique")]

    def __str__(self):
        return _("versie %(number)s") % {"number": self.number}

    @property
    def is_agreed(self):
        return self.agreed_by_stagiair_at is not None and self.agreed_by_opleider_at is not None


def agreed_version(stage):
    """The latest afgestemde StageplanVersion of `stage` (the one shared with the school), or None."""
    return (
        StageplanVersion.objects.agreed()
        .filter(stageplan__stage=stage)
        .select_related("agreed_by_stagiair", "agreed_by_opleider", "created_by")
        .order_by("-number")
        .first()
    )


class ObservatieKind(models.TextChoices):
    GOED = "goed", _("wat ging goed")
    AANDACHTSPUNT = "aandachtspunt", _("aandachtspunt")


class ObservatieQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(stage__in=plan_stages(user))

    def since_last_gesprek(self, *, stage, now=None):
        """The observaties of `stage` since its last voortgangsgesprek that took place (all, when none has yet)."""
        now = now or timezone.now()
        last = Moment.objects.last_gesprek_before(stage=stage, moment=now)
        observaties = self.filter(stage=stage)
        if last is not None:
            observaties = observaties.filter(date__gte=timezone.localdate(last.starts_at))
        return observaties


class Observatie(models.Model):
    """What a begeleider saw at work, without judgement (chapter 8)."""

    stage = models.ForeignKey(Stage, on_delete=models.CASCADE, related_name="observaties")
    leerdoel = models.ForeignKey(Leerdoel, on_delete=models.SET_NULL, null=True, blank=True, related_name="observaties")
    author = models.ForeignKey(
        "stagegids.User", on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("door")
    )
    date = models.DateField(_("datum"))
    # Written by a werkplekbegeleider or praktijkopleider, so "u", not the "je" of the stagiair's pages.
    text = models.TextField(_("wat zag u?"))
    kind = models.CharField(_("soort"), max_length=15, choices=ObservatieKind.choices)
    created_at = models.DateTimeField(auto_now_add=True)
    # Stored under MEDIA_ROOT with a random name, cleaned of metadata; served only by stageplan:observatie_photo.
    photo = models.FileField(_("foto"), upload_to="observaties/%Y/%m/", blank=True)
    # Made by the device when the form is filled in (a UUID): a retry of the same observatie, sent again from the
    # device's queue after a lost answer, finds the first instead of making a second (Observatie.record).
    client_key = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    objects = ObservatieQuerySet.as_manager()

    class Meta:
        verbose_name = _("observatie")
        verbose_name_plural = _("observaties")
        ordering = ["-date", "-created_at"]

    def __str__(self):
        return f"{self.date:%d-%m-%Y} {self.get_kind_display()}"

    @classmethod
    def recorded_with_key(cls, key, *, stage, author):
        """The observatie this author already recorded on this stage with this device key, or None."""
        if key is None:
            return None
        return cls.objects.filter(client_key=key, stage=stage, author=author).first()

    def record(self):
        """Saves this new observatie once per client_key: (the saved observatie, whether it was made now).

        The unique constraint decides, not the look-up before it: of two requests with the same key at the same
        time (a retry while the first is still under way) one inserts, the other's insert fails and it answers
        with the first's observatie. None when the key belongs to another author or stage (a forged key)."""
        try:
            with transaction.atomic():
                self.save()
        except IntegrityError:
            if self.client_key is None:
                raise
            # The photo was written to storage before the insert failed; the first request keeps its own.
            if self.photo:
                self.photo.delete(save=False)
            return self.recorded_with_key(self.client_key, stage=self.stage, author=self.author), False
        return self, True


def without_agreed_stageplan(stages):
    """The stages of the queryset `stages` whose stageplan has no agreed version (the reminders ask this).

    One subquery in the same query, so asking it for many stages costs no query per stage.
    """
    return stages.exclude(Exists(StageplanVersion.objects.agreed().filter(stageplan__stage=OuterRef("pk"))))


class CalendarFeedQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(user=user)


class CalendarFeed(models.Model):
    """A person's subscription to their moments in Outlook or Google Calendar (agenda.py). Its URL carries `key`
    signed with the SECRET_KEY, so the agenda page can show the URL again while a leaked table opens nothing.
    Renewing gives a new key, and the old URL is gone."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed")
    key = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = CalendarFeedQuerySet.as_manager()

    class Meta:
        verbose_name = _("agenda-abonnement")
        verbose_name_plural = _("agenda-abonnementen")

    def __str__(self):
        return str(self.user)

    @staticmethod
    def new_key():
        return secrets.token_urlsafe(24)

    @classmethod
    def start(cls, user):
        """(the user's feed, whether it was made now): a second click, or a parallel one, finds the first."""
        return cls.objects.get_or_create(user=user, defaults={"key": cls.new_key()})

    def renew(self):
        """A new key, once per key: AlreadyDone when the key was renewed already (a second click, another tab)."""
        key, now = self.new_key(), timezone.now()
        if not CalendarFeed.objects.filter(pk=self.pk, key=self.key).update(key=key, created_at=now):
            raise AlreadyDone
        self.key, self.created_at = key, now
