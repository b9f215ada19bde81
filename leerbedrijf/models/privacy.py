"""Inzage (AVG art. 15 and 20) and who saw what.

An `Inzage` is everything the portal holds about one person as a zip (export.json, a readable pdf and the files),
made by a worker (leerbedrijf/privacy/tasks.py) from the registry of stagegids.inzage. A person asks for his own;
a praktijkopleider asks for one of his stagiairs, on that stagiair's request, and says so: then it holds only what
his leerbedrijf keeps. It is seen and downloaded only by who asked and by the person, until it expires.

A `Raadpleging` is one view or download of a verslag, bewijsstuk, photo, document or export (log_view), seen by
the praktijkopleiders of the leerbedrijf it belongs to and by the person it is about.
"""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from stagegids import queued
from stagegids.models import Queued, Wijziging
from stagegids.roles import Role

from .organisatie import Leerbedrijf, Stage, Stagiair, roles_of


class InzageStatus(models.TextChoices):
    PENDING = queued.PENDING, _("in de wachtrij")
    # queued.py's claimed state: a worker is making the export.
    RUNNING = queued.SENDING, _("bezig")
    DONE = "done", _("klaar")
    FAILED = queued.FAILED, _("mislukt")


class InzageAction(models.TextChoices):
    ASKED = "inzage_gevraagd", _("Inzage gevraagd")


Wijziging.register_actions(dict(InzageAction.choices))


class InzageQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Who asked, and the person it is about; nobody else, not even a colleague of who asked."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(Q(requested_by=user) | Q(person=user))


def _inzage_path(inzage, filename):
    return f"inzage/{inzage.pk}/{filename}"


class Inzage(Queued):
    # A zip that has waited this long is late: the page says it follows and polls less often.
    LATE = timedelta(minutes=1)

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="+",
        verbose_name=_("over"),
    )  # fmt: skip
    # Set when a praktijkopleider asked: the export holds only the stages of this stagiair in his leerbedrijf.
    stagiair = models.ForeignKey(
        Stagiair, on_delete=models.CASCADE, null=True, blank=True, related_name="+", verbose_name=_("stagiair")
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("gevraagd door")
    )
    on_request_of = models.CharField(_("op verzoek van"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("gevraagd op"), default=timezone.now)
    status = models.CharField(_("status"), max_length=10, choices=InzageStatus.choices, default=InzageStatus.PENDING)
    progress = models.PositiveSmallIntegerField(default=0)
    file = models.FileField(upload_to=_inzage_path, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = InzageQuerySet.as_manager()

    class Meta:
        verbose_name = _("inzage")
        verbose_name_plural = _("inzages")
        ordering = ["-created_at"]
        constraints = [
            # One open inzage per who asked and about whom: a second click, or two at once, adds nothing. The
            # empty person or stagiair counts as a value (0), so that it does not make every row unique.
            models.UniqueConstraint(
                "requested_by",
                Coalesce("person", 0),
                Coalesce("stagiair", 0),
                condition=Q(status__in=[queued.PENDING, queued.SENDING]),
                name="inzage_one_open_per_request",
            )
        ]
        indexes = [
            models.Index(
                fields=["status", "enqueued_at"],
                condition=Q(status__in=[queued.PENDING, queued.SENDING]),
                name="inzage_open",
            )
        ]

    def __str__(self):
        return f"inzage {self.pk} ({self.get_status_display()})"

    @property
    def is_open(self):
        return self.status in (InzageStatus.PENDING, InzageStatus.RUNNING)

    @property
    def expires_at(self):
        return (self.finished_at or self.created_at) + timedelta(days=settings.RETENTION_DAYS["inzage"])

    @property
    def is_expired(self):
        return self.status == InzageStatus.DONE and self.expires_at <= timezone.now()

    @property
    def is_finished(self):
        return self.status in (InzageStatus.DONE, InzageStatus.FAILED)

    @property
    def is_late(self):
        return self.status == InzageStatus.PENDING and self.created_at < timezone.now() - self.LATE

    @property
    def subject_name(self):
        if self.stagiair_id:
            return self.stagiair.name
        return self.person.name

    def stages(self):
        """The stages whose rows the export holds: the stagiair's in the leerbedrijf that asked, or all of the
        person's own."""
        if self.stagiair_id:
            return Stage.objects.filter(stagiair_id=self.stagiair_id)
        return Stage.objects.filter(stagiair__user=self.person_id)


class RaadplegingWhat(models.TextChoices):
    VERSLAG = "verslag", _("verslag")
    STAGEMAP = "stagemap", _("stagemap als pdf")
    FOTO = "foto", _("foto bij een observatie")
    BEWIJSSTUK = "bewijsstuk", _("bewijsstuk van de erkenning")
    CERTIFICAAT = "certificaat", _("certificaat van een training")
    DOCUMENT = "document", _("pok- of bpv-document")
    DOSSIER = "dossier", _("dossier tegemoetkoming")
    INZAGE = "inzage", _("inzage-export")


class RaadplegingQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The praktijkopleider sees his leerbedrijf's log; everyone sees what was opened of his own data."""
        if not user.is_authenticated:
            return self.none()
        companies = roles_of(user).leerbedrijf_ids(Role.PRAKTIJKOPLEIDER)
        return self.filter(Q(leerbedrijf__in=companies) | Q(person=user))


class Raadpleging(models.Model):
    """Who opened what, when; kept settings.RETENTION_DAYS["raadpleging"] (purge_before, by the retention run)."""

    at = models.DateTimeField(_("op"), default=timezone.now, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("door")
    )
    what = models.CharField(_("wat"), max_length=20, choices=RaadplegingWhat.choices)
    label = models.CharField(_("stuk"), max_length=200)
    stage = models.ForeignKey(
        Stage, on_delete=models.CASCADE, null=True, blank=True, related_name="+", verbose_name=_("stage")
    )
    leerbedrijf = models.ForeignKey(
        Leerbedrijf, on_delete=models.CASCADE, null=True, blank=True, related_name="+", verbose_name=_("leerbedrijf")
    )
    # Whose data it was: the stage's stagiair, or the person of a training or an export.
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("van"),
    )  # fmt: skip

    objects = RaadplegingQuerySet.as_manager()

    class Meta:
        verbose_name = _("raadpleging")
        verbose_name_plural = _("raadplegingen")
        ordering = ["-at", "-pk"]
        indexes = [
            models.Index(fields=["leerbedrijf", "-at"], name="raadpleging_leerbedrijf"),
            models.Index(fields=["person", "-at"], name="raadpleging_person"),
        ]

    def __str__(self):
        return f"{self.get_what_display()}: {self.label}"

    @classmethod
    def purge_before(cls, moment):
        """Delete the entries older than `moment`; returns how many (the retention run, leerbedrijf/retention.py)."""
        return cls.objects.filter(at__lt=moment).delete()[0]


def log_view(user, what, label, *, stage=None, leerbedrijf=None, person=None):
    """Record that `user` opened `label`, of `stage` (whose stagiair it is about, and whose leerbedrijf sees it)
    or of `leerbedrijf`, or of `person`. Called by every view that serves such a file."""
    if stage is not None:
        leerbedrijf = leerbedrijf or stage.leerbedrijf_id
        person = person or stage.stagiair.user_id
    return Raadpleging.objects.create(
        user=user,
        what=what,
        label=str(label)[:200],
        stage=stage,
        leerbedrijf_id=getattr(leerbedrijf, "pk", leerbedrijf),
        person_id=getattr(person, "pk", person),
    )
