"""A stage that goes wrong (issue 15): the praktijkopleider interrupts (onderbreken) or ends (beëindigen) it, with
a reason and a date; an interruption can resume with a new end date; either is undone within a grace period.

The stage holds its state (`Stage.stopped`, `Stage.stopped_on`), so its status is a condition on its own row
(status.py) and every list, reminder and scope can ask it without a join. Each step is one StageStop row, the
record the closing verslag is made of and that the audit trail names. Every step is a conditional update on the
stage (and on the row): a second click, or two at once, changes nothing and says so.

What follows a step lies in the apps above this one, which listen (signals.py): the stageplan cancels the moments
still to come (and puts them back on an undo), the stagemap makes the closing verslag. The mbo-begeleider hears it
by mail from the outbox, after commit.
"""

from datetime import timedelta

from django.conf import settings
from django.db import models, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from stagegids import outbox
from stagegids.models import Wijziging
from stagegids.notifications import notify
from stagegids.roles import Role

from ..signals import stage_resumed, stage_stop_undone, stage_stopped
from .organisatie import Stage
from .status import StopKind


class StopReden(models.TextChoices):
    STAGIAIR = "stagiair", _("op verzoek van de stagiair")
    BEDRIJF = "bedrijf", _("op verzoek van het bedrijf")
    SCHOOL = "school", _("op verzoek van de school")
    OVERLEG = "overleg", _("in onderling overleg")


# The state a stage must be in for each step: an interrupted stage can still be ended, an ended one nothing more.
STOPPABLE_FROM = {StopKind.ONDERBROKEN: ("",), StopKind.BEEINDIGD: ("", StopKind.ONDERBROKEN)}


class StopAction(models.TextChoices):
    ONDERBROKEN = "stage_onderbroken", _("Stage onderbroken per %(date)s (%(reden)s)")
    BEEINDIGD = "stage_beeindigd", _("Stage beëindigd per %(date)s (%(reden)s)")
    UNDONE = "stage_stop_undone", _("%(kind)s van de stage ongedaan gemaakt")
    RESUMED = "stage_hervat", _("Stage hervat, nieuwe einddatum %(end_date)s")


Wijziging.register_actions(dict(StopAction.choices))


def undo_period():
    return timedelta(hours=settings.STAGE_STOP_UNDO_HOURS)


class StageStopQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(stage__in=Stage.objects.visible_to(user))

    def standing(self):
        """The steps that were not undone."""
        return self.filter(undone_at__isnull=True)


class StageStop(models.Model):
    """One interruption or end of a stage: why, from when, who decided; what became of it (undone, resumed)."""

    stage = models.ForeignKey(Stage, on_delete=models.CASCADE, related_name="stops")
    kind = models.CharField(_("soort"), max_length=12, choices=StopKind.choices)
    reden = models.CharField(_("reden"), max_length=10, choices=StopReden.choices)
    toelichting = models.TextField(_("toelichting"), max_length=2000, blank=True)
    starts_on = models.DateField(_("met ingang van"))
    # The stage's state before this step, which an undo puts back (an end of an interrupted stage: interrupted).
    previous_kind = models.CharField(max_length=12, choices=StopKind.choices, blank=True)
    previous_on = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("door")
    )
    created_at = models.DateTimeField(_("vastgelegd op"), default=timezone.now)
    # The moments this step cancelled, as the stageplan reports them: [{"id", "kind", "starts_at"}]; an undo puts
    # back those still to come, the closing verslag lists them.
    cancelled_moments = models.JSONField(default=list, blank=True)
    undone_at = models.DateTimeField(_("ongedaan gemaakt op"), null=True, blank=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    resumed_at = models.DateTimeField(_("hervat op"), null=True, blank=True)
    resumed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    end_date_before = models.DateField(_("einddatum voor het hervatten"), null=True, blank=True)
    resumed_end_date = models.DateField(_("nieuwe einddatum"), null=True, blank=True)

    objects = StageStopQuerySet.as_manager()

    class Meta:
        verbose_name = _("onderbreking of beëindiging")
        verbose_name_plural = _("onderbrekingen en beëindigingen")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.stage} {self.get_kind_display()} {self.starts_on:%d-%m-%Y}"

    def get_absolute_url(self):
        return self.stage.get_absolute_url()

    @property
    def undo_until(self):
        return self.created_at + undo_period()

    def undoable(self, now=None):
        """Whether the undo button shows: within the grace period, not undone, not resumed, and still the stage's
        state (an interruption that was ended since is undone by undoing the end first)."""
        return (
            self.undone_at is None
            and self.resumed_at is None
            and (now or timezone.now()) < self.undo_until
            and self.stage.stopped == self.kind
            and self.stage.stopped_on == self.starts_on
        )

    @classmethod
    def record(cls, *, stage, kind, reden, starts_on, toelichting, by):
        """Interrupt or end `stage`; the new StageStop, or None when the stage was no longer in a state for it (a
        second click, or someone else was first)."""
        with transaction.atomic():
            # Locked, so the state an undo puts back is the one this step left.
            locked = Stage.objects.select_for_update().filter(pk=stage.pk).values("stopped", "stopped_on").first()
            if locked is None or locked["stopped"] not in STOPPABLE_FROM[kind]:
                return None
            if not Stage.objects.filter(pk=stage.pk, stopped__in=STOPPABLE_FROM[kind]).update(
                stopped=kind, stopped_on=starts_on
            ):
                return None
            stop = cls.objects.create(
                stage=stage,
                kind=kind,
                reden=reden,
                starts_on=starts_on,
                toelichting=toelichting,
                previous_kind=locked["stopped"],
                previous_on=locked["stopped_on"],
                created_by=by,
            )
            stage.stopped, stage.stopped_on = kind, starts_on
            action = StopAction.ONDERBROKEN if kind == StopKind.ONDERBROKEN else StopAction.BEEINDIGD
            stop._log(action, by=by, date=starts_on.isoformat(), reden=stop.get_reden_display())
            stage_stopped.send(sender=cls, stop=stop, by=by)
            stop._tell_stage("stopped", by=by)
        return stop

    def undo(self, *, by, now=None):
        """Undo this step within the grace period: the stage is back in its state before, the moments it cancelled
        come back. False when it was undone already, resumed, too late, or no longer the stage's state."""
        now = now or timezone.now()
        with transaction.atomic():
            if not StageStop.objects.filter(
                pk=self.pk, undone_at__isnull=True, resumed_at__isnull=True, created_at__gt=now - undo_period()
            ).update(undone_at=now, undone_by=by):
                return False
            if not Stage.objects.filter(pk=self.stage_id, stopped=self.kind, stopped_on=self.starts_on).update(
                stopped=self.previous_kind, stopped_on=self.previous_on
            ):
                transaction.set_rollback(True)
                return False
            self.undone_at, self.undone_by = now, by
            self.stage.stopped, self.stage.stopped_on = self.previous_kind, self.previous_on
            self._log(StopAction.UNDONE, by=by, kind=self.get_kind_display().capitalize())
            stage_stop_undone.send(sender=StageStop, stop=self, by=by)
            self._tell_stage("undone", by=by)
        return True

    def resume(self, *, end_date, by):
        """An interruption ends: the stage runs again until `end_date`; the moments are planned anew. False when
        the stage was no longer interrupted by this step (resumed already, undone, or ended since)."""
        now = timezone.now()
        with transaction.atomic():
            before = Stage.objects.filter(pk=self.stage_id).values_list("end_date", flat=True).first()
            if not Stage.objects.filter(
                pk=self.stage_id, stopped=StopKind.ONDERBROKEN, stopped_on=self.starts_on
            ).update(stopped="", stopped_on=None, end_date=end_date):
                return False
            if not StageStop.objects.filter(
                pk=self.pk, kind=StopKind.ONDERBROKEN, undone_at__isnull=True, resumed_at__isnull=True
            ).update(resumed_at=now, resumed_by=by, end_date_before=before, resumed_end_date=end_date):
                transaction.set_rollback(True)
                return False
            self.resumed_at, self.resumed_by, self.end_date_before, self.resumed_end_date = now, by, before, end_date
            self.stage.stopped, self.stage.stopped_on, self.stage.end_date = "", None, end_date
            self._log(StopAction.RESUMED, by=by, end_date=end_date.isoformat())
            stage_resumed.send(sender=StageStop, stop=self, by=by)
            self._tell_stage("resumed", by=by)
        return True

    def _log(self, action, *, by, **data):
        Wijziging.log(self.stage, action, user=by, role=Role.PRAKTIJKOPLEIDER, data=data, stage_id=self.stage_id)

    def _tell_stage(self, step, *, by):
        """Everyone on the stage but who took the step hears it: the stagiair, the werkplekbegeleider, the
        praktijkbeoordelaar and the mbo-begeleider, each a mail from the outbox (after commit) and a line on the start
        page."""
        stage = self.stage
        stagiair = stage.stagiair.user
        people = {stagiair: True} if stagiair else {}
        for person in (stage.werkplekbegeleider, stage.praktijkbeoordelaar, stage.mbo_begeleider):
            if person is not None:
                people.setdefault(person, False)
        titles = {
            "stopped": _("De stage van %(stagiair)s is %(kind)s"),
            "undone": _("De stage van %(stagiair)s loopt toch door"),
            "resumed": _("De stage van %(stagiair)s is hervat"),
        }
        own_titles = {
            "stopped": _("Je stage bij %(leerbedrijf)s is %(kind)s"),
            "undone": _("Je stage bij %(leerbedrijf)s loopt toch door"),
            "resumed": _("Je stage bij %(leerbedrijf)s is hervat"),
        }
        names = {
            "stagiair": stage.stagiair.name,
            "leerbedrijf": stage.leerbedrijf.name,
            "kind": self.get_kind_display(),
        }
        for person, own in people.items():
            if person == by or not person.is_active:
                continue
            outbox.queue(
                template="stage_stop",
                to=person.email,
                context={"stop": self, "step": step, "recipient": person, "informal": own},
            )
            notify(
                user=person,
                key=f"stage_stop:{self.pk}:{step}",
                title=str((own_titles if own else titles)[step]) % names,
                url=reverse("leerbedrijf:stage", args=[self.stage_id]),
            )


def current_stop(stage):
    """The step behind the stage's state (interrupted or ended), or None while it runs."""
    if not stage.stopped:
        return None
    return (
        stage.stops.standing()
        .filter(kind=stage.stopped, starts_on=stage.stopped_on, resumed_at__isnull=True)
        .select_related("created_by")
        .first()
    )


def running_stages(prefix=""):
    """The condition on a Stage (through `prefix`, a lookup ending in "__") that it is neither interrupted nor
    ended: what still gets reminders and moments."""
    return Q(**{f"{prefix}stopped": ""})
