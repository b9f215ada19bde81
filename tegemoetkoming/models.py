"""Tegemoetkomingen (issue 14): the schemes that pay a leerbedrijf for guiding students, the pok and
bpv-overeenkomst as documents of a stage, and the dossier a worker makes for an application.

A scheme's amounts, thresholds, windows and deadlines are rows (Regelingsjaar) with their source and the period
they hold for, kept by the beheerder in /beheer/; no figure of a scheme is a constant in the code.
"""

import uuid
from datetime import timedelta
from functools import partial

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from leerbedrijf.models import Leerbedrijf, Stage, roles_of
from stagegids import queued
from stagegids.models import Queued, Wijziging
from stagegids.roles import Role


class Regeling(models.TextChoices):
    STIP = "stip", _("STIP (Wij Techniek)")
    PRAKTIJKLEREN = "praktijkleren", _("Subsidieregeling praktijkleren (RVO)")


class RegelingsjaarQuerySet(models.QuerySet):
    def holding_on(self, regeling, day):
        """The row of `regeling` whose period holds `day`; None when the beheerder has not entered it."""
        return self.filter(regeling=regeling, valid_from__lte=day, valid_until__gte=day).first()


class Regelingsjaar(models.Model):
    """The published figures of one scheme for one period (a calendar year for STIP, a studiejaar for
    praktijkleren). A figure the scheme does not have stays empty; `source_note` says what is still to be checked."""

    regeling = models.CharField(_("regeling"), max_length=20, choices=Regeling.choices)
    valid_from = models.DateField(_("geldt vanaf"))
    valid_until = models.DateField(_("geldt tot en met"))
    amount = models.DecimalField(_("bedrag (euro)"), max_digits=8, decimal_places=2, validators=[MinValueValidator(0)])
    amount_per = models.CharField(_("bedrag per"), max_length=120)
    min_hours = models.PositiveSmallIntegerField(
        _("minimum klokuren"),
        null=True,
        blank=True,
        help_text=_("STIP: het onderwijsprogramma per half studiejaar; praktijkleren: praktijkuren per studiejaar."),
    )
    min_practice_share = models.PositiveSmallIntegerField(
        _("meer dan dit percentage in de praktijk"), null=True, blank=True, validators=[MaxValueValidator(100)]
    )
    min_hours_per_week = models.DecimalField(
        _("minimaal uren per week in dienst"), max_digits=4, decimal_places=1, null=True, blank=True
    )
    max_weeks = models.PositiveSmallIntegerField(
        _("maximaal weken begeleiding per studiejaar"), null=True, blank=True, validators=[MaxValueValidator(53)]
    )
    deadline_months = models.PositiveSmallIntegerField(
        _("aanvragen binnen zoveel maanden na de start"), null=True, blank=True, validators=[MaxValueValidator(60)]
    )
    window_opens = models.DateField(_("aanvragen vanaf"), null=True, blank=True)
    window_closes = models.DateField(_("aanvragen tot en met"), null=True, blank=True)
    retention_years = models.PositiveSmallIntegerField(
        _("administratie bewaren (jaren)"), null=True, blank=True, validators=[MaxValueValidator(30)]
    )
    source_title = models.CharField(_("bron"), max_length=200)
    source_url = models.URLField(_("adres van de bron"), max_length=300)
    source_note = models.TextField(
        _("toelichting op de bron"),
        max_length=2000,
        blank=True,
        help_text=_("Wat nog te controleren is begint met „controleren”."),
    )

    objects = RegelingsjaarQuerySet.as_manager()

    class Meta:
        verbose_name = _("regeling per jaar")
        verbose_name_plural = _("regelingen per jaar")
        ordering = ["regeling", "-valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["regeling", "valid_from"], name="regelingsjaar_unique_start"),
            models.CheckConstraint(condition=Q(valid_until__gt=models.F("valid_from")), name="regelingsjaar_period"),
            models.CheckConstraint(
                condition=Q(window_opens__isnull=True)
                | Q(window_closes__isnull=True)
                | Q(window_closes__gte=models.F("window_opens")),
                name="regelingsjaar_window",
            ),
        ]

    def __str__(self):
        return f"{self.get_regeling_display()} {self.valid_from:%Y}–{self.valid_until:%Y}"

    @property
    def to_check(self):
        return self.source_note.lower().startswith("controleren") or "controleren" in self.source_title.lower()


class DocumentKind(models.TextChoices):
    POK = "pok", _("praktijkovereenkomst (pok)")
    BPV = "bpv", _("bpv-overeenkomst")


def _document_path(document, filename):
    # A name of the portal's making: the user's own name is kept only to offer the download under it.
    return f"overeenkomsten/{document.stage_id}/{uuid.uuid4().hex}.pdf"


class StageDocumentQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(stage__in=tegemoetkoming_stages(user))


def tegemoetkoming_stages(user):
    """The stages whose tegemoetkomingen and signed agreements `user` may see: they are the company's records for
    an application, kept by the praktijkopleider and the werkplekbegeleider who gives the begeleiding."""
    return Stage.objects.for_roles(user, Role.PRAKTIJKOPLEIDER, Role.WERKPLEKBEGELEIDER)


class DocumentAction(models.TextChoices):
    UPLOADED = "overeenkomst_geupload", _("overeenkomst geüpload")


Wijziging.register_actions(dict(DocumentAction.choices))


class StageDocument(models.Model):
    """The signed pok or bpv-overeenkomst of a stage as a pdf; a new upload replaces the old one."""

    stage = models.ForeignKey(Stage, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(_("soort"), max_length=10, choices=DocumentKind.choices)
    file = models.FileField(_("bestand"), upload_to=_document_path)
    name = models.CharField(_("bestandsnaam"), max_length=200)
    size = models.PositiveIntegerField(_("grootte"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("geüpload door"),
    )
    uploaded_at = models.DateTimeField(_("geüpload op"), default=timezone.now)

    objects = StageDocumentQuerySet.as_manager()

    class Meta:
        verbose_name = _("overeenkomst")
        verbose_name_plural = _("overeenkomsten")
        constraints = [models.UniqueConstraint(fields=["stage", "kind"], name="stagedocument_one_per_kind")]

    def __str__(self):
        return f"{self.get_kind_display()} {self.name}"

    @classmethod
    def store(cls, *, stage, kind, upload, name, by):
        """Keep `upload` (checked by forms.check_pdf) as the stage's document of `kind`; the one it replaces
        leaves the disk after commit. Locked on the stage: of two parallel uploads the last one stays."""
        with transaction.atomic():
            Stage.objects.select_for_update(no_key=True).filter(pk=stage.pk).values_list("pk").first()
            old = cls.objects.filter(stage=stage, kind=kind).first()
            replaced = old.file.name if old else ""
            document = old or cls(stage=stage, kind=kind)
            document.file, document.name, document.size = upload, name[:200], upload.size
            document.uploaded_by, document.uploaded_at = by, timezone.now()
            document.save()
            Wijziging.log(
                document,
                DocumentAction.UPLOADED,
                user=by,
                role=stage.role_of(by),
                data={"soort": kind, "bestand": document.name},
            )
            if replaced:
                transaction.on_commit(partial(document.file.storage.delete, replaced))
        return document


class DossierStatus(models.TextChoices):
    PENDING = queued.PENDING, _("in de wachtrij")
    RUNNING = queued.SENDING, _("bezig")
    DONE = "done", _("klaar")
    FAILED = queued.FAILED, _("mislukt")


class DossierQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(requested_by=user, leerbedrijf__in=roles_of(user).leerbedrijf_ids(Role.PRAKTIJKOPLEIDER))


class Dossier(Queued):
    """The proof for an application as one pdf and the weeks as a spreadsheet, for one stage or for all stages of
    a company in one studiejaar; made by a worker like the stagemap's pdf (stagemap.tasks), the page polls it."""

    LATE = timedelta(minutes=1)

    leerbedrijf = models.ForeignKey(Leerbedrijf, on_delete=models.CASCADE, related_name="+")
    # Empty: the dossier of the whole company.
    stage = models.ForeignKey(Stage, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    studiejaar = models.PositiveSmallIntegerField(_("studiejaar (beginjaar)"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("aangevraagd door")
    )
    created_at = models.DateTimeField(default=timezone.now, verbose_name=_("aangemaakt op"))
    status = models.CharField(max_length=10, choices=DossierStatus.choices, default=DossierStatus.PENDING)
    progress = models.PositiveSmallIntegerField(default=0, verbose_name=_("voortgang"))
    file = models.FileField(upload_to="dossiers/", blank=True, verbose_name=_("bestand"))
    sheet = models.FileField(upload_to="dossiers/", blank=True, verbose_name=_("werkblad (xlsx)"))
    finished_at = models.DateTimeField(null=True, blank=True, verbose_name=_("klaar op"))

    objects = DossierQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"dossier {self.leerbedrijf_id}/{self.stage_id or '-'} {self.studiejaar} ({self.status})"

    @property
    def is_finished(self):
        return self.status in (DossierStatus.DONE, DossierStatus.FAILED)

    @property
    def is_late(self):
        return self.status == DossierStatus.PENDING and self.created_at < timezone.now() - self.LATE

    @property
    def studiejaar_label(self):
        return f"{self.studiejaar}/{self.studiejaar + 1}"
