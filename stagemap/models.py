"""Verslagen in the stagemap: documents rendered once from their data, that never change afterwards.

A correction makes a new Verslag and marks the old one "vervangen". The company shares a verslag with the stage's
mbo-begeleider, who reviews it (akkoord or wijziging gevraagd) and comments; unsharing takes access away at once.
Who sees a verslag follows its source document (stagemap.kinds): the kinds are registered by the apps above.

The tables kept their names from when these models lived in beoordeling (migrations 0001 here, 0007 there).
"""

import uuid
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _

from leerbedrijf.models import Stage, on_stages
from stagegids import queued
from stagegids.models import Queued
from stagegids.roles import SCHOOL_SIDE, STAGE_ROLES

from . import kinds


class VerslagReview(models.TextChoices):
    AKKOORD = "akkoord", _("akkoord")
    WIJZIGING = "wijziging", _("wijziging gevraagd")


def _verslag_path(instance, filename):
    return f"verslagen/{instance.stage_id}/{uuid.uuid4().hex}.pdf"


class VerslagQuerySet(models.QuerySet):
    def visible_to(self, user, roles=STAGE_ROLES):
        """Each kind to whoever may see its source document; a shared verslag also to the stage's mbo-begeleider.
        Through `roles` only, when given: what the person sees in those roles (the company side's, say).

        One condition per role the user may hold, naming the kinds that role sees: a condition per kind made the
        start page's verslagen panel its costliest query to build (bench/README.md)."""
        scope = on_stages(user, [role for role in SCHOOL_SIDE if role in roles], shared_at__isnull=False)
        for role in roles:
            codes = [kind.code for kind in kinds.registered() if role in kind.source_roles]
            if codes:
                scope |= on_stages(user, (role,), kind__in=codes)
        return self.filter(scope)

    def current(self):
        return self.filter(replaced_by__isnull=True)


IMMUTABLE_FIELDS = {"stage", "kind", "title", "file", "sha256", "source_type", "source_id", "source_version",
                    "signatures", "created_by", "created_at"}  # fmt: skip


class Verslag(models.Model):
    stage = models.ForeignKey(Stage, on_delete=models.CASCADE, related_name="verslagen")
    kind = models.CharField(_("soort"), max_length=30, choices=kinds.choices)
    title = models.CharField(_("titel"), max_length=200)
    file = models.FileField(upload_to=_verslag_path, verbose_name=_("bestand"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    # What it was rendered from: the model, its id, and the version of its data at that moment.
    source_type = models.CharField(max_length=100, verbose_name=_("soort bron"))
    source_id = models.PositiveBigIntegerField(verbose_name=_("bron-id"))
    source_version = models.CharField(_("versie van de gegevens"), max_length=100)
    signatures = models.JSONField(_("ondertekend door"), default=list, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("gemaakt door")
    )
    created_at = models.DateTimeField(_("gemaakt op"), default=timezone.now)
    replaced_by = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("vervangen door")
    )
    shared_at = models.DateTimeField(_("gedeeld met school op"), null=True, blank=True)
    shared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("gedeeld door"),
    )
    review = models.CharField(_("oordeel school"), max_length=10, choices=VerslagReview.choices, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("gelezen door"),
    )
    reviewed_at = models.DateTimeField(null=True, blank=True, verbose_name=_("gelezen op"))

    objects = VerslagQuerySet.as_manager()

    class Meta:
        db_table = "beoordeling_verslag"
        verbose_name = _("verslag")
        verbose_name_plural = _("verslagen")
        ordering = ["-created_at"]

    def __str__(self):
        return self.title

    def save(self, *args, update_fields=None, **kwargs):
        if self.pk and (update_fields is None or IMMUTABLE_FIELDS & set(update_fields)):
            raise ValidationError("Een verslag verandert niet meer nadat het gemaakt is.")
        super().save(*args, update_fields=update_fields, **kwargs)

    def get_absolute_url(self):
        return reverse("stagemap:verslag_download", args=[self.pk])

    @property
    def is_replaced(self):
        return self.replaced_by_id is not None

    @property
    def is_shared(self):
        return self.shared_at is not None

    def share(self, *, by):
        """Share with the school; False when it was shared already (a second click, or two at once): the first
        sharing time stays, and with it the reminder to the school that counts from it."""
        changed = Verslag.objects.filter(pk=self.pk, shared_at__isnull=True).update(
            shared_at=timezone.now(), shared_by=by
        )
        self.refresh_from_db(fields=["shared_at", "shared_by"])
        return bool(changed)

    def already_shared_message(self):
        return _t("Dit verslag was al gedeeld door %(name)s op %(when)s; er is niets gewijzigd.") % {
            "name": self.shared_by.name if self.shared_by else "–",
            "when": date_format(timezone.localtime(self.shared_at), "j F Y H:i"),
        }

    def unshare(self):
        self.shared_at = self.shared_by = None
        self.review, self.reviewed_by, self.reviewed_at = "", None, None
        self.save(update_fields=["shared_at", "shared_by", "review", "reviewed_by", "reviewed_at"])

    def give_review(self, *, review, by):
        """The school's oordeel on a shared verslag, given once; False when it had one already (a second click, or
        two at once). Unsharing clears it, so a verslag shared again is judged again."""
        changed = Verslag.objects.filter(pk=self.pk, shared_at__isnull=False, review="").update(
            review=review, reviewed_by=by, reviewed_at=timezone.now()
        )
        self.refresh_from_db(fields=["shared_at", "review", "reviewed_by", "reviewed_at"])
        return bool(changed)

    def already_reviewed_message(self):
        if not self.review:
            return _t("Dit verslag is niet meer gedeeld; er is niets gewijzigd.")
        return _t("%(name)s gaf op %(when)s al een oordeel (%(review)s); er is niets gewijzigd.") % {
            "name": self.reviewed_by.name if self.reviewed_by else "–",
            "when": date_format(timezone.localtime(self.reviewed_at), "j F Y H:i"),
            "review": self.get_review_display(),
        }


class VerslagComment(models.Model):
    verslag = models.ForeignKey(Verslag, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("auteur")
    )
    text = models.TextField(_("opmerking"))
    created_at = models.DateTimeField(default=timezone.now, verbose_name=_("aangemaakt op"))

    class Meta:
        db_table = "beoordeling_verslagcomment"
        verbose_name = _("opmerking bij verslag")
        verbose_name_plural = _("opmerkingen bij verslagen")
        ordering = ["created_at"]

    def __str__(self):
        return self.text[:50]


class StagemapExportStatus(models.TextChoices):
    PENDING = queued.PENDING, _("in de wachtrij")
    # queued.py's claimed state: a worker is making the pdf.
    RUNNING = queued.SENDING, _("bezig")
    DONE = "done", _("klaar")
    FAILED = queued.FAILED, _("mislukt")


class StagemapExportQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(requested_by=user, stage__in=Stage.objects.company_side(user))


class StagemapExport(Queued):
    """The whole stagemap as one PDF, made by a worker; the page polls its progress.

    A queued row (stagegids/queued.py): enqueued after commit, claimed by one worker, picked up again by the beat
    (stagemap.tasks.requeue_stagemap_work) when the broker was away or the worker died."""

    # A pdf that has waited this long is late: the page says it follows and polls less often.
    LATE = timedelta(minutes=1)

    stage = models.ForeignKey(Stage, on_delete=models.CASCADE, related_name="stagemap_exports")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("aangevraagd door")
    )
    created_at = models.DateTimeField(default=timezone.now, verbose_name=_("aangemaakt op"))
    status = models.CharField(max_length=10, choices=StagemapExportStatus.choices, default=StagemapExportStatus.PENDING)
    progress = models.PositiveSmallIntegerField(default=0, verbose_name=_("voortgang"))
    file = models.FileField(upload_to="stagemappen/", blank=True, verbose_name=_("bestand"))
    finished_at = models.DateTimeField(null=True, blank=True, verbose_name=_("klaar op"))

    objects = StagemapExportQuerySet.as_manager()

    class Meta:
        db_table = "beoordeling_stagemapexport"
        ordering = ["-created_at"]

    def __str__(self):
        return f"stagemap {self.stage_id} ({self.status})"

    @property
    def is_finished(self):
        return self.status in (StagemapExportStatus.DONE, StagemapExportStatus.FAILED)

    @property
    def is_late(self):
        return self.status == StagemapExportStatus.PENDING and self.created_at < timezone.now() - self.LATE


class VerslagenUpdateStatus(models.TextChoices):
    PENDING = queued.PENDING, _("in de wachtrij")
    RUNNING = queued.SENDING, _("bezig")
    DONE = "done", _("klaar")
    FAILED = queued.FAILED, _("mislukt")


class VerslagenUpdate(Queued):
    """A request to make the missing verslagen of a stage: from a finished document (signals.document_finished)
    or from "Verslagen bijwerken". Written in the transaction that asks, so that what was asked survives a broker
    that is away; a queued row like the export. One pending request per stage: asking again while it waits adds
    nothing, a request made while a worker is busy with the stage waits for the next run."""

    stage = models.ForeignKey(Stage, on_delete=models.CASCADE, related_name="+")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(
        max_length=10, choices=VerslagenUpdateStatus.choices, default=VerslagenUpdateStatus.PENDING
    )
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["stage"], condition=Q(status=queued.PENDING), name="verslagen_update_one_pending_per_stage"
            )
        ]
        indexes = [
            models.Index(
                fields=["status", "enqueued_at"],
                condition=Q(status__in=[queued.PENDING, queued.SENDING]),
                name="verslagen_update_open",
            )
        ]

    def __str__(self):
        return f"verslagen {self.stage_id} ({self.status})"
