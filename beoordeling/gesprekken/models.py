"""Voortgangsgesprekken, their zelfreflectie and their afspraken (chapter 8 of the gids, begeleiding).

Who sees what (the visible_to() querysets below; actions are in rules.py beside this module):
- The company side of a stage (praktijkopleider, the stage's werkplekbegeleider and praktijkbeoordelaar) and the
  stagiair see the stage's gesprekken. The mbo-begeleider sees none of it: the school only sees what the company
  explicitly shares, and sharing a verslag is a later step.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.fields import GenericRelation
from django.db import models, transaction
from django.db.models import Case, Exists, OuterRef, Q, Value, When
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _

from leerbedrijf.models import Stage
from stagegids.concurrency import StaleEdit, save_if_current
from stagegids.models import Wijziging
from stagegids.roles import COMPANY_SIDE, SCHOOL_SIDE, Role
from stagemap.signals import document_finished
from stageplan.models import DRIEGESPREKKEN, Leerdoel, Moment, MomentKind, Observatie


class GesprekAction(models.TextChoices):
    """What the trail (stagegids.Wijziging) says about a gesprek or an evaluatie; a refused (stale) save too."""

    REFLECTIE_SAVED = "reflectie_saved", _("zelfreflectie bewaard")
    REFLECTIE_SUBMITTED = "reflectie_submitted", _("zelfreflectie ingediend")
    NOTES_SAVED = "notes_saved", _("notities bewaard")
    SCHOOL_NOTES_SAVED = "school_notes_saved", _("notities van de school bewaard")
    AFSPRAAK_ADDED = "afspraak_added", _("afspraak gemaakt")
    AFSPRAAK_DONE = "afspraak_done", _("afspraak gedaan")
    AFSPRAAK_REOPENED = "afspraak_reopened", _("afspraak weer open")
    AFGEROND = "afgerond", _("gesprek afgerond")
    EVALUATIE_SAVED = "evaluatie_saved", _("evaluatie bewaard")
    EVALUATIE_SUBMITTED = "evaluatie_submitted", _("evaluatie ingediend")
    AFRONDING_SAVED = "afronding_saved", _("evaluatiegesprek vastgelegd")
    REFUSED = "refused", _("niet opgeslagen: iemand anders wijzigde het intussen")


Wijziging.register_actions(dict(GesprekAction.choices))


class AlreadySubmitted(Exception):
    """Handed in already (a second click, or two at once): nothing changed, and the message says when."""


def already_submitted(message, when):
    return AlreadySubmitted(message % {"when": date_format(timezone.localtime(when), "j F Y H:i")})


def gesprek_stages(user):
    """The stages whose voortgangsgesprekken `user` may see: Stage.visible_to without the mbo-begeleider."""
    return Stage.objects.company_side(user)


def gesprek_writer_stages(user):
    """The stages on which `user` holds voortgangsgesprekken (mirrors the rules in gesprekken/rules.py)."""
    return Stage.objects.for_roles(user, Role.PRAKTIJKOPLEIDER, Role.WERKPLEKBEGELEIDER)


def voortgangsgesprek_moments(user):
    """The planned voortgangsgesprek moments `user` may open; the gesprek row itself is made by its first change."""
    return Moment.objects.planned().filter(kind=MomentKind.VOORTGANGSGESPREK, stage__in=gesprek_stages(user))


def awaiting_zelfreflectie(now):
    """The planned voortgangsgesprekken still to come whose zelfreflectie is not handed in (nor the gesprek
    closed); the gesprek row is made by its first change, so a moment without one is open too."""
    done = Voortgangsgesprek.objects.filter(moment=OuterRef("pk")).filter(
        Q(reflectie_submitted_at__isnull=False) | Q(afgerond_at__isnull=False)
    )
    return Moment.objects.planned().filter(~Exists(done), kind=MomentKind.VOORTGANGSGESPREK, starts_at__gt=now)


def previous_moment(moment):
    """The last voortgangsgesprek of the same stage before this one that was not cancelled."""
    return (
        Moment.objects.planned()
        .filter(stage_id=moment.stage_id, kind=MomentKind.VOORTGANGSGESPREK, starts_at__lt=moment.starts_at)
        .order_by("-starts_at")
        .first()
    )


class VoortgangsgesprekQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(moment__stage__in=gesprek_stages(user), moment__cancelled_at__isnull=True)


class ShownUntilChanged:
    """A record that belongs to one `OWNER` (a one-to-one field) and is shown unsaved until its first change, so
    that opening its page, by a person, a crawler or a link preview, writes nothing."""

    OWNER: str
    SHOWN_RELATED: tuple[str, ...] = ()

    @classmethod
    def shown_for(cls, owner):
        rows = cls.objects.filter(**{cls.OWNER: owner})
        shown = (rows.select_related(*cls.SHOWN_RELATED) if cls.SHOWN_RELATED else rows).first()
        shown = shown or cls(**{cls.OWNER: owner})
        setattr(shown, cls.OWNER, owner)
        return shown

    def ensure_saved(self):
        """Before the first change; a change names the version it started from, so its check still holds."""
        if self.pk is None:
            self.pk = type(self).objects.get_or_create(**{self.OWNER: getattr(self, self.OWNER)})[0].pk


class Voortgangsgesprek(ShownUntilChanged, models.Model):
    """One held (or to be held) voortgangsgesprek: the stagiair's zelfreflectie and the notes of the gesprek.

    The zelfreflectie and the notes each have a version that goes up with every save of that part; a save names the
    version it started from and is refused when it is stale. Two parts, so that the stagiair writing their
    reflectie never collides with the begeleider writing notes.
    """

    moment = models.OneToOneField(Moment, on_delete=models.CASCADE, related_name="voortgangsgesprek")

    reflectie_goed = models.TextField(_("Wat ging goed?"), blank=True)
    reflectie_moeilijk = models.TextField(_("Wat vond je moeilijk?"), blank=True)
    reflectie_leren = models.TextField(_("Wat wil je hierna leren?"), blank=True)
    reflectie_submitted_at = models.DateTimeField(_("zelfreflectie ingediend op"), null=True, blank=True)

    notes_goed = models.TextField(_("Wat gaat goed?"), blank=True)
    notes_ik_boodschap = models.TextField(_("Wat zie en merk je?"), blank=True)
    notes_reactie = models.TextField(_("Hoe denkt de stagiair erover?"), blank=True)
    notes_verbeteren = models.TextField(_("Wat gaat nog niet goed genoeg, en hoe komen jullie op niveau?"), blank=True)
    # The periodic review of the stageplan (ch. 7, a dynamic document): each voortgangsgesprek asks if it still fits.
    plan_klopt = models.BooleanField(_("Klopt het stageplan nog?"), null=True, blank=True)
    plan_wijzigen = models.TextField(_("Wat moet er anders in het stageplan?"), blank=True)

    # A driegesprek (Driegesprek below, the same table): who took part, what was discussed, the school's own notes.
    deelnemer_stagiair = models.BooleanField(_("de stagiair"), default=False)
    deelnemer_bedrijf = models.BooleanField(_("de praktijkopleider of werkplekbegeleider"), default=False)
    deelnemer_school = models.BooleanField(_("de mbo-begeleider"), default=False)
    deelnemers_anders = models.CharField(_("Wie waren er verder bij? (namen)"), max_length=300, blank=True)
    notes_besproken = models.TextField(_("Wat is besproken?"), blank=True)
    school_notes = models.TextField(_("Notities van de mbo-begeleider"), blank=True)
    school_version = models.PositiveIntegerField(default=1)

    afgerond_at = models.DateTimeField(_("afgerond op"), null=True, blank=True)
    afgerond_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    verslag_snapshot = models.JSONField(_("verslag"), null=True, blank=True, editable=False)
    reflectie_version = models.PositiveIntegerField(default=1)
    notes_version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    # The same rows as Wijziging.objects.for_object(gesprek); declared so that deleting a gesprek deletes its trail.
    wijzigingen = GenericRelation(Wijziging, related_query_name="gesprek")

    objects = VoortgangsgesprekQuerySet.as_manager()

    REFLECTIE_FIELDS = ("reflectie_goed", "reflectie_moeilijk", "reflectie_leren")
    NOTES_FIELDS = ("notes_goed", "notes_ik_boodschap", "notes_reactie", "notes_verbeteren")
    # Saved with the notes, under their version.
    PLAN_FIELDS = ("plan_klopt", "plan_wijzigen")

    OWNER = "moment"
    SHOWN_RELATED = ("afgerond_by", "updated_by")

    class Meta:
        verbose_name = _("voortgangsgesprek")
        verbose_name_plural = _("voortgangsgesprekken")

    def __str__(self):
        return str(self.moment)

    @classmethod
    def for_moment(cls, moment):
        """The gesprek of a moment, saved: for code that writes (demo data); a page shows `shown_for(moment)`."""
        gesprek, _created = cls.objects.select_related("afgerond_by", "updated_by").get_or_create(moment=moment)
        gesprek.moment = moment
        return gesprek

    @property
    def stage(self):
        return self.moment.stage

    @property
    def is_afgerond(self):
        return self.afgerond_at is not None

    @property
    def reflectie_submitted(self):
        return self.reflectie_submitted_at is not None

    def log_action(self, action, *, by, changes=None, data=None):
        stage = self.moment.stage
        return Wijziging.log(
            self, action, user=by, role=stage.role_of(by), changes=changes, data=data, stage_id=stage.pk
        )

    def add_afspraak(self, *, by, text, owner, due_date, leerdoel=None):
        """An afspraak made in this gesprek, saving the gesprek first where it was only shown; with its trail entry."""
        self.ensure_saved()
        afspraak = Afspraak.objects.create(
            stage=self.stage, gesprek=self, created_by=by, text=text, owner=owner, due_date=due_date, leerdoel=leerdoel
        )
        self.log_action(
            GesprekAction.AFSPRAAK_ADDED,
            by=by,
            data={"afspraak": afspraak.pk, "text": afspraak.text, "owner": afspraak.owner_id},
        )
        return afspraak

    def _save_fields(self, *, version_field, version, by, action, values, extra=None, done=None, where=None):
        """Conditional update on the version: refused (StaleEdit) when someone saved in between or it is closed.

        `where` narrows the row further (another part's version). `done` looks at the row as it is now: the
        AlreadySubmitted it returns (the same step won meanwhile) is raised instead, without a trail entry, as
        nothing was lost."""
        self.ensure_saved()
        try:
            with transaction.atomic():
                changes = field_changes(self, values)
                save_if_current(
                    Voortgangsgesprek.objects.filter(pk=self.pk, afgerond_at__isnull=True, **(where or {})),
                    field=version_field,
                    seen=version,
                    **values,
                    **(extra or {}),
                    updated_by=by,
                    updated_at=timezone.now(),
                )
                self.log_action(action, by=by, changes=changes)
        except StaleEdit:
            self.refresh_from_db()
            if done and (already := done(self)):
                raise already from None
            self.log_action(GesprekAction.REFUSED, by=by, data=values)
            raise
        self.refresh_from_db()

    def already_submitted_reflectie(self):
        if self.reflectie_submitted:
            return already_submitted(
                _t("Je zelfreflectie was al ingediend op %(when)s; er is niets gewijzigd."), self.reflectie_submitted_at
            )
        return None

    def save_reflectie(self, *, version, by, values, submit):
        extra = {"reflectie_submitted_at": timezone.now()} if submit else None
        action = GesprekAction.REFLECTIE_SUBMITTED if submit else GesprekAction.REFLECTIE_SAVED
        self._save_fields(
            version_field="reflectie_version",
            version=version,
            by=by,
            action=action,
            values=values,
            extra=extra,
            done=Voortgangsgesprek.already_submitted_reflectie if submit else None,
        )

    def save_notes(self, *, version, by, values):
        self._save_fields(
            version_field="notes_version", version=version, by=by, action=GesprekAction.NOTES_SAVED, values=values
        )

    def afronden(self, *, version, by, where=None):
        """Closing names the notes version the praktijkopleider read: notes saved since then block it. The gesprek
        is then finished: the stagemap makes its verslag (stagemap.signals.document_finished)."""
        # Closed before anyone saved a part: its row is made first, as a first save would, for the verslag's afspraken.
        self.ensure_saved()
        now = timezone.now()
        self._save_fields(
            version_field="notes_version",
            version=version,
            by=by,
            action=GesprekAction.AFGEROND,
            values={},
            where=where,
            extra={
                "afgerond_at": now,
                "afgerond_by": by,
                "verslag_snapshot": self._verslag_data(afgerond_at=now, afgerond_by=by),
            },
        )
        document_finished.send(sender=Voortgangsgesprek, stage_id=self.moment.stage_id, by=by)

    def previous_moment(self):
        return previous_moment(self.moment)

    def preparation(self):
        """What the portal lays on the table: leerdoelen, observaties since the last gesprek, earlier afspraken."""
        stage = self.moment.stage
        previous = self.previous_moment()
        observaties = Observatie.objects.filter(stage=stage, date__lte=self.moment.starts_at.date())
        if previous is not None:
            observaties = observaties.filter(date__gt=previous.starts_at.date())
        earlier = Afspraak.objects.filter(stage=stage, gesprek__moment__starts_at__lt=self.moment.starts_at)
        if previous is not None:
            # Done afspraken of older gesprekken were discussed then; open ones carry on until they are done.
            earlier = earlier.filter(Q(done_at__isnull=True) | Q(gesprek__moment=previous))
        return {
            "previous": previous,
            "leerdoelen": list(Leerdoel.objects.filter(stageplan__stage=stage)),
            "observaties": list(observaties.select_related("leerdoel", "author")),
            "earlier_afspraken": list(earlier.with_details().open_first()),
        }

    def verslag(self):
        """Everything a verslag of this gesprek shows, as plain data; the PDF renderer is built on this.

        Once afgerond it is the snapshot taken at that moment: leerdoelen, observaties and afspraken change later,
        the verslag of this gesprek does not.
        """
        return self.verslag_snapshot if self.verslag_snapshot is not None else self._verslag_data()

    def _verslag_data(self, *, afgerond_at=None, afgerond_by=None):
        stage = self.moment.stage
        preparation = self.preparation()
        previous = preparation["previous"]
        afgerond_at = afgerond_at or self.afgerond_at
        afgerond_by = afgerond_by or self.afgerond_by
        return {
            "stagiair": stage.stagiair.name,
            "leerbedrijf": stage.leerbedrijf.name,
            "moment": {"starts_at": self.moment.starts_at.isoformat(), "location": self.moment.location},
            "previous_moment": previous.starts_at.isoformat() if previous else None,
            "leerdoelen": [
                {"title": leerdoel.title, "status": leerdoel.get_status_display()}
                for leerdoel in preparation["leerdoelen"]
            ],
            "observaties": [
                {
                    "date": observatie.date.isoformat(),
                    "kind": observatie.get_kind_display(),
                    "leerdoel": observatie.leerdoel.title if observatie.leerdoel else None,
                    "author": observatie.author.name if observatie.author else None,
                    "text": observatie.text,
                }
                for observatie in preparation["observaties"]
            ],
            "earlier_afspraken": [_afspraak_data(afspraak) for afspraak in preparation["earlier_afspraken"]],
            # The stagiair's draft is not part of the verslag: only what they submitted.
            "reflectie": {
                str(self._meta.get_field(name).verbose_name): getattr(self, name) for name in self.REFLECTIE_FIELDS
            }
            if self.reflectie_submitted
            else None,
            "notes": {str(self._meta.get_field(name).verbose_name): getattr(self, name) for name in self.NOTES_FIELDS},
            "plan_klopt": self.plan_klopt,
            "plan_wijzigen": self.plan_wijzigen,
            "afspraken": [_afspraak_data(afspraak) for afspraak in self.afspraken.with_details()],
            "afgerond_at": afgerond_at.isoformat() if afgerond_at else None,
            "afgerond_by": afgerond_by.name if afgerond_by else None,
            "notes_version": self.notes_version,
        }


def _afspraak_data(afspraak):
    return {
        "text": afspraak.text,
        "owner": afspraak.owner.name,
        "due_date": afspraak.due_date.isoformat(),
        "leerdoel": afspraak.leerdoel.title if afspraak.leerdoel else None,
        "done_at": afspraak.done_at.isoformat() if afspraak.done_at else None,
    }


class AfspraakQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(stage__in=gesprek_stages(user))

    def open(self):
        return self.filter(done_at__isnull=True)

    def open_first(self):
        return self.order_by(Case(When(done_at__isnull=True, then=Value(0)), default=Value(1)), "due_date", "pk")

    def for_leerdoel(self, leerdoel):
        return self.filter(leerdoel=leerdoel).open_first()

    def with_details(self):
        return self.select_related("owner", "leerdoel", "gesprek__moment", "done_by")


class Afspraak(models.Model):
    """An agreement made in a gesprek, with an owner and a date; it comes back in every next gesprek until done."""

    stage = models.ForeignKey(Stage, on_delete=models.CASCADE, related_name="afspraken")
    gesprek = models.ForeignKey(Voortgangsgesprek, on_delete=models.CASCADE, related_name="afspraken")
    leerdoel = models.ForeignKey(
        Leerdoel,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="afspraken",
        verbose_name=_("leerdoel"),
    )
    text = models.TextField(_("afspraak"))
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="afspraken", verbose_name=_("wie")
    )
    due_date = models.DateField(_("wanneer klaar?"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    done_at = models.DateTimeField(_("gedaan op"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = AfspraakQuerySet.as_manager()

    class Meta:
        verbose_name = _("afspraak")
        verbose_name_plural = _("afspraken")
        ordering = ["due_date", "pk"]
        indexes = [models.Index(fields=["stage", "done_at"])]

    def __str__(self):
        return self.text

    @property
    def is_done(self):
        return self.done_at is not None

    def set_done(self, *, done, by):
        """Mark done or open again; a conditional update, so a double click does not log twice."""
        rows = Afspraak.objects.filter(pk=self.pk, done_at__isnull=done)
        changed = rows.update(done_at=timezone.now() if done else None, done_by=by if done else None)
        if changed:
            self.gesprek.log_action(
                GesprekAction.AFSPRAAK_DONE if done else GesprekAction.AFSPRAAK_REOPENED,
                by=by,
                data={"afspraak": self.pk},
            )
        self.refresh_from_db()
        return bool(changed)


def driegesprek_stages(user):
    """The stages whose driegesprekken `user` sees: the company side and the mbo-begeleider (he took part), not a
    meewerkende collega, who sees the stageplan and observaties of the stage, none of its gesprekken."""
    return Stage.objects.for_roles(user, *COMPANY_SIDE, *SCHOOL_SIDE)


def driegesprek_moments(user):
    """The planned driegesprek moments `user` may open; the record itself is made by its first change."""
    return Moment.objects.planned().filter(kind__in=DRIEGESPREKKEN, stage__in=driegesprek_stages(user))


class DriegesprekQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(moment__in=driegesprek_moments(user))


class DriegesprekManager(models.Manager.from_queryset(DriegesprekQuerySet)):
    """Only the records of driegesprek moments: the table also holds the voortgangsgesprekken."""

    def get_queryset(self):
        return super().get_queryset().filter(moment__kind__in=DRIEGESPREKKEN)


class Driegesprek(Voortgangsgesprek):
    """The record of a start-, midden- or eindgesprek of school, bedrijf and stagiair: who took part, what was
    discussed, the mbo-begeleider's own notes, afspraken (carried into the next gesprek as a voortgangsgesprek's
    are) and, once afgerond, a verslag for the stagemap.

    A proxy of Voortgangsgesprek: the same record of a moment, with its trail, its afspraken, its versions and its
    conditional close. The company side (notes_version) and the school (school_version) write their own part, so
    they never collide; closing names both versions the praktijkopleider read.
    """

    DEELNEMER_FIELDS = ("deelnemer_stagiair", "deelnemer_bedrijf", "deelnemer_school")
    NOTES_FIELDS = (*DEELNEMER_FIELDS, "deelnemers_anders", "notes_besproken")
    SCHOOL_FIELDS = ("school_notes",)

    objects = DriegesprekManager()

    class Meta:
        proxy = True
        verbose_name = _("driegesprek")
        verbose_name_plural = _("driegesprekken")

    def deelnemers(self):
        """The names of who took part, as recorded: the stage's people ticked, then the free names."""
        stage = self.moment.stage
        names = []
        if self.deelnemer_stagiair:
            names.append(stage.stagiair.name)
        if self.deelnemer_bedrijf:
            names.append(_t("praktijkopleider of werkplekbegeleider van %(name)s") % {"name": stage.leerbedrijf.name})
        if self.deelnemer_school:
            names.append(
                _t("%(name)s (mbo-begeleider)") % {"name": stage.mbo_begeleider.name}
                if stage.mbo_begeleider
                else _t("de mbo-begeleider")
            )
        if self.deelnemers_anders.strip():
            names.append(self.deelnemers_anders.strip())
        return names

    def save_school_notes(self, *, version, by, values):
        self._save_fields(
            version_field="school_version",
            version=version,
            by=by,
            action=GesprekAction.SCHOOL_NOTES_SAVED,
            values=values,
        )

    def afronden(self, *, version, school_version, by):
        """Closed on the company's and the school's versions the praktijkopleider read: either part saved since
        then blocks it (StaleEdit), and so does a close that came first."""
        super().afronden(version=version, by=by, where={"school_version": school_version})

    def previous_moment(self):
        """The last driegesprek of the stage before this one that was not cancelled."""
        return (
            Moment.objects.planned()
            .filter(stage_id=self.moment.stage_id, kind__in=DRIEGESPREKKEN, starts_at__lt=self.moment.starts_at)
            .order_by("-starts_at")
            .first()
        )

    def preparation(self):
        """The afspraken of the earlier driegesprekken still open, and all of the previous one. Not the leerdoelen,
        observaties or the voortgangsgesprekken' afspraken: the school sees those only as the company shares them."""
        previous = self.previous_moment()
        earlier = Afspraak.objects.filter(
            stage_id=self.moment.stage_id,
            gesprek__moment__kind__in=DRIEGESPREKKEN,
            gesprek__moment__cancelled_at__isnull=True,
            gesprek__moment__starts_at__lt=self.moment.starts_at,
        ).filter(Q(done_at__isnull=True) | Q(gesprek__moment=previous))
        return {"previous": previous, "earlier_afspraken": list(earlier.with_details().open_first())}

    def _verslag_data(self, *, afgerond_at=None, afgerond_by=None):
        stage = self.moment.stage
        afgerond_at = afgerond_at or self.afgerond_at
        afgerond_by = afgerond_by or self.afgerond_by
        return {
            "kind": self.moment.get_kind_display(),
            "stagiair": stage.stagiair.name,
            "leerbedrijf": stage.leerbedrijf.name,
            "mbo_begeleider": stage.mbo_begeleider.name if stage.mbo_begeleider else None,
            "moment": {"starts_at": self.moment.starts_at.isoformat(), "location": self.moment.location},
            "deelnemers": self.deelnemers(),
            "besproken": self.notes_besproken,
            "school_notes": self.school_notes,
            "afspraken": [_afspraak_data(afspraak) for afspraak in self.afspraken.with_details()],
            "earlier_afspraken": [_afspraak_data(a) for a in self.preparation()["earlier_afspraken"]],
            "afgerond_at": afgerond_at.isoformat() if afgerond_at else None,
            "afgerond_by": afgerond_by.name if afgerond_by else None,
            "notes_version": self.notes_version,
        }


def stage_people(stage):
    """Who can own an afspraak: the people of the stage who see its gesprekken (so not the mbo-begeleider)."""
    opleiders = stage.leerbedrijf.memberships.active().filter(role=Role.PRAKTIJKOPLEIDER).values("user")
    ids = [stage.stagiair.user_id, stage.werkplekbegeleider_id, stage.praktijkbeoordelaar_id]
    return get_user_model().objects.filter(Q(pk__in=[pk for pk in ids if pk]) | Q(pk__in=opleiders)).order_by("name")


def field_changes(obj, values):
    """[old, new] per field that differs from the stored row (a ModelForm has already set the new values on `obj`).

    Read before the conditional update; a stale save is refused anyway, with its text kept in the entry's data."""
    stored = type(obj).objects.filter(pk=obj.pk).values(*values).first() or {}
    return {name: [stored.get(name), value] for name, value in values.items() if stored.get(name) != value}
