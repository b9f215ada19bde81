"""Zorgen signaleren (issue 15): a concern about a stage, recorded by the company, followed to how it ended.

Who sees what (the visible_to() queryset below; actions are in rules.py beside this module):
- The company side of the stage (praktijkopleider, the stage's werkplekbegeleider and praktijkbeoordelaar) sees
  every concern of the stage.
- The stagiair sees the concerns about their stage unless the company marked one internal: the gids has the
  stagiair see what is written about them, and an internal note is the exception the company chooses.
- The mbo-begeleider sees a concern once the praktijkopleider shared it, one concern at a time. An internal concern
  cannot be shared (a check constraint): the school would know what the stagiair does not.

Every step is a conditional update that bumps `version`, so an edit based on an older version (someone else edited,
shared, closed or reopened it meanwhile) is refused with its text kept, and a second click changes nothing.
"""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.db import models, transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _

from leerbedrijf.models import Stage, on_stages
from stagegids.concurrency import StaleEdit, save_if_current
from stagegids.models import Wijziging
from stagegids.notifications import notify
from stagegids.roles import SCHOOL_SIDE, Role
from stageplan.changes import save_change
from stageplan.models import Moment, MomentKind

# Bounds of what a person types: a concern is a few sentences, not a report.
TEXT_MAX = 2000
NEXT_STEP_MAX = 200


class ZorgKind(models.TextChoices):
    HOUDING = "houding", _("houding")
    AANWEZIGHEID = "aanwezigheid", _("aanwezigheid")
    VEILIGHEID = "veiligheid", _("veiligheid")
    LEREN = "leren", _("leren")
    WELZIJN = "welzijn", _("welzijn")
    CONFLICT = "conflict", _("conflict")


class ZorgAction(models.TextChoices):
    RECORDED = "zorg_recorded", _("zorg vastgelegd")
    EDITED = "zorg_edited", _("zorg gewijzigd")
    SHARED = "zorg_shared", _("zorg gedeeld met de mbo-begeleider")
    CLOSED = "zorg_closed", _("zorg gesloten")
    REOPENED = "zorg_reopened", _("zorg weer open")
    GESPREK_PLANNED = "zorg_gesprek", _("extra gesprek gepland")
    REFUSED = "zorg_refused", _("niet opgeslagen: iemand anders wijzigde de zorg intussen")


Wijziging.register_actions(dict(ZorgAction.choices))


class AlreadyDone(Exception):
    """The step was taken already (a second click, or two at once): nothing changed; the message says by whom."""


INTERNAL_NOT_SHARED = _(
    "Een interne zorg wordt niet gedeeld met de school: de stagiair weet er dan niet van. Maak hem eerst zichtbaar "
    "voor de stagiair."
)

# The fields a person edits; the rest is set by the steps.
EDITABLE = ("kind", "happened", "agreed", "next_step", "next_step_on", "internal")


def zorg_writer_stages(user):
    """The stages on which `user` records and follows concerns (mirrors rules.py)."""
    return Stage.objects.for_roles(user, Role.PRAKTIJKOPLEIDER, Role.WERKPLEKBEGELEIDER)


class ZorgQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(
            on_stages(user, (Role.PRAKTIJKOPLEIDER, Role.WERKPLEKBEGELEIDER, Role.PRAKTIJKBEOORDELAAR))
            | on_stages(user, (Role.STAGIAIR,), internal=False)
            | on_stages(user, SCHOOL_SIDE, shared_at__isnull=False)
        )

    def open(self):
        return self.filter(closed_at__isnull=True)

    def open_first(self):
        return self.order_by(F("closed_at").desc(nulls_first=True), "next_step_on", "pk")


class Zorg(models.Model):
    """A concern about a stage: what happened, what was agreed, the next step and its date, and how it ended."""

    stage = models.ForeignKey(Stage, on_delete=models.CASCADE, related_name="zorgen")
    kind = models.CharField(_("waarover?"), max_length=20, choices=ZorgKind.choices)
    happened = models.TextField(_("wat is er gebeurd?"), max_length=TEXT_MAX)
    agreed = models.TextField(_("wat is afgesproken?"), max_length=TEXT_MAX, blank=True)
    next_step = models.CharField(_("volgende stap"), max_length=NEXT_STEP_MAX)
    next_step_on = models.DateField(_("wanneer?"))
    internal = models.BooleanField(_("alleen voor het bedrijf"), default=False)
    # The tussenbeoordeling whose conclusion proposed it, and the extra gesprek planned with it.
    beoordeling = models.ForeignKey(
        "beoordeling.Beoordeling", on_delete=models.SET_NULL, null=True, blank=True, related_name="zorgen"
    )
    moment = models.ForeignKey(Moment, on_delete=models.SET_NULL, null=True, blank=True, related_name="zorgen")

    shared_at = models.DateTimeField(_("gedeeld met de mbo-begeleider op"), null=True, blank=True)
    shared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    closed_at = models.DateTimeField(_("gesloten op"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    outcome = models.TextField(_("hoe is het afgelopen?"), max_length=TEXT_MAX, blank=True)

    # Compared and bumped by every change (stagegids.concurrency).
    version = models.PositiveIntegerField(default=1, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("door")
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    # The same rows as Wijziging.objects.for_object(zorg); declared so that deleting it deletes its trail.
    wijzigingen = GenericRelation(Wijziging, related_query_name="zorg")

    objects = ZorgQuerySet.as_manager()

    class Meta:
        verbose_name = _("zorg")
        verbose_name_plural = _("zorgen")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["stage", "closed_at"]), models.Index(fields=["next_step_on"])]
        constraints = [
            models.CheckConstraint(
                condition=~Q(internal=True, shared_at__isnull=False), name="zorg_internal_never_shared"
            )
        ]

    def __str__(self):
        return _t("Zorg over %(kind)s") % {"kind": self.get_kind_display()}

    @property
    def is_open(self):
        return self.closed_at is None

    @property
    def overdue(self):
        return self.is_open and self.next_step_on < timezone.localdate()

    def log_action(self, action, *, by, changes=None, data=None):
        return Wijziging.log(self, action, user=by, role=self.stage.role_of(by), changes=changes, data=data)

    @classmethod
    def record(cls, *, stage, by, beoordeling=None, extra_gesprek=None, **values):
        """A new concern; with `extra_gesprek` (a datetime) an extra voortgangsgesprek is planned in the stageplan as
        a change of the plan (StaleStageplan when the plan changed in that instant: then nothing is saved)."""
        with transaction.atomic():
            zorg = cls.objects.create(stage=stage, created_by=by, beoordeling=beoordeling, **values)
            zorg.log_action(ZorgAction.RECORDED, by=by, data={"beoordeling": beoordeling.pk} if beoordeling else None)
            if extra_gesprek is not None:
                zorg.plan_gesprek(starts_at=extra_gesprek, by=by)
        return zorg

    def plan_gesprek(self, *, starts_at, by):
        stageplan = self.stage.stageplan
        moment = save_change(
            stageplan=stageplan,
            based_on=stageplan.version,
            by=by,
            summary=_t("Extra voortgangsgesprek gepland om een zorg te bespreken"),
            apply=lambda: Moment.objects.create(
                stage=self.stage, kind=MomentKind.VOORTGANGSGESPREK, starts_at=starts_at
            ),
        )
        Zorg.objects.filter(pk=self.pk).update(moment=moment)
        self.moment = moment
        self.log_action(ZorgAction.GESPREK_PLANNED, by=by, data={"moment": moment.pk})

    def _step(self, *, by, action, where, data=None, changes=None, **values):
        """One conditional update that bumps the version; False when the row no longer matched `where`."""
        with transaction.atomic():
            if not Zorg.objects.filter(pk=self.pk, **where).update(version=F("version") + 1, **values):
                return False
            self.log_action(action, by=by, data=data, changes=changes)
        self.refresh_from_db()
        return True

    def edit(self, *, by, version, values):
        """Save the edited fields if nobody changed the concern since `version` and it is still open; else StaleEdit,
        and the refused text goes into the trail, so nothing a person saved is lost."""
        stored = Zorg.objects.filter(pk=self.pk).values(*values).first() or {}
        changes = {name: [_plain(stored.get(name)), _plain(value)] for name, value in values.items()}
        changes = {name: pair for name, pair in changes.items() if pair[0] != pair[1]}
        rows = Zorg.objects.filter(pk=self.pk, closed_at__isnull=True)
        if values.get("internal"):
            rows = rows.filter(shared_at__isnull=True)
        try:
            with transaction.atomic():
                save_if_current(rows, field="version", seen=version, **values)
                if changes:
                    self.log_action(ZorgAction.EDITED, by=by, changes=changes)
        except StaleEdit:
            # Shown in the concern's history (Wijziging.details reads "lines"): what was typed is not lost.
            lines = [f"{Zorg._meta.get_field(name).verbose_name}: {_plain(value)}" for name, value in values.items()]
            self.log_action(ZorgAction.REFUSED, by=by, data={"lines": lines})
            self.refresh_from_db()
            raise
        self.refresh_from_db()

    def share(self, *, by):
        """The school sees it from now on; once (AlreadyDone says when and by whom)."""
        with transaction.atomic():
            if not self._step(
                by=by,
                action=ZorgAction.SHARED,
                where={"shared_at__isnull": True, "internal": False},
                shared_at=timezone.now(),
                shared_by=by,
            ):
                self.refresh_from_db()
                raise AlreadyDone(self.already_shared() or str(INTERNAL_NOT_SHARED))
            if self.stage.mbo_begeleider_id:
                notify(
                    user=self.stage.mbo_begeleider,
                    key=f"zorg:{self.pk}:gedeeld",
                    title=_t("Zorg over %(stagiair)s gedeeld") % {"stagiair": self.stage.stagiair.name},
                    text=_t("%(name)s deelde een zorg over %(kind)s met u.")
                    % {"name": by.name, "kind": self.get_kind_display()},
                    url=reverse("beoordeling:zorg", args=[self.pk]),
                )

    def close(self, *, by, outcome):
        if not self._step(
            by=by,
            action=ZorgAction.CLOSED,
            where={"closed_at__isnull": True},
            data={"reason": outcome},
            closed_at=timezone.now(),
            closed_by=by,
            outcome=outcome,
        ):
            self.refresh_from_db()
            raise AlreadyDone(self.already_closed())

    def already_shared(self):
        """What a second click on sharing says, or None while it is not shared."""
        if self.shared_at is None:
            return None
        return _done(_t("Deze zorg was al gedeeld door %(name)s op %(when)s; er is niets gewijzigd."), self, "shared")

    def already_closed(self):
        if self.closed_at is None:
            return None
        return _done(_t("Deze zorg was al gesloten door %(name)s op %(when)s; er is niets gewijzigd."), self, "closed")

    def reopen(self, *, by):
        """Open again (it came back, or was closed too soon): how it ended stays in the trail."""
        if not self._step(
            by=by,
            action=ZorgAction.REOPENED,
            where={"closed_at__isnull": False},
            data={"lines": [self.outcome]} if self.outcome else None,
            closed_at=None,
            closed_by=None,
            outcome="",
        ):
            raise AlreadyDone(_t("Deze zorg stond al open; er is niets gewijzigd."))


def _plain(value):
    """A value as the trail keeps it (JSON), in words where the trail's reader would see Python's."""
    if isinstance(value, bool):
        return _t("ja") if value else _t("nee")
    return value.isoformat() if hasattr(value, "isoformat") else value


def _done(text, zorg, step):
    who, when = getattr(zorg, f"{step}_by"), getattr(zorg, f"{step}_at")
    return text % {
        "name": who.name if who else "–",
        "when": date_format(timezone.localtime(when), "j F Y H:i"),
    }
