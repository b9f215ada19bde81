"""SBB-erkenning of a leerbedrijf, per kwalificatie (chapter 3 of the gids)."""

import uuid
from functools import partial
from pathlib import PurePath

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.db.models import Exists, Max, OuterRef, Q, Subquery, Value
from django.db.models.signals import post_delete
from django.dispatch import receiver
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from stagegids.dates import add_months, add_years
from stagegids.models import Wijziging
from stagegids.roles import Role

from .kwalificatie import Kwalificatie, Werkproces
from .organisatie import Leerbedrijf, Membership, Stage, roles_of

SBB_AANVRAAG_URL = "https://www.s-bb.nl/bedrijven/leerbedrijf-worden"
# SBB re-assesses an erkenning every four years, and one lapses after four years without a student.
HERBEOORDELING_YEARS = 4
LAPSE_YEARS = 4
# How long before a deadline the portal starts warning.
WARN_MONTHS = 3


class ErkenningStatus(models.TextChoices):
    IN_VOORBEREIDING = "in_voorbereiding", _("in voorbereiding")
    AANGEVRAAGD = "aangevraagd", _("aangevraagd")
    ERKEND = "erkend", _("erkend")
    INGETROKKEN = "ingetrokken", _("ingetrokken")


class ErkenningQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(leerbedrijf__in=roles_of(user).leerbedrijf_ids())

    def erkend(self):
        return self.filter(status=ErkenningStatus.ERKEND)

    def with_overview(self):
        """What the list and the warnings need, in the same number of queries for 1 or 500 erkenningen."""
        last_stage = (
            Stage.objects.filter(leerbedrijf=OuterRef("leerbedrijf"), kwalificatie=OuterRef("kwalificatie"))
            .values("leerbedrijf")
            .annotate(last=Max("end_date"))
            .values("last")
        )
        return (
            self.select_related("kwalificatie", "leerbedrijf")
            .annotate(
                last_stage_end=Subquery(last_stage),
                checks_done=models.Count("checks", filter=Q(checks__done=True), distinct=True),
                checks_total=models.Count("checks", distinct=True),
            )
            .order_by("kwalificatie__name")
        )


class Erkenning(models.Model):
    leerbedrijf = models.ForeignKey(Leerbedrijf, on_delete=models.CASCADE, related_name="erkenningen")
    kwalificatie = models.ForeignKey(Kwalificatie, on_delete=models.PROTECT, related_name="erkenningen")
    status = models.CharField(
        _("status"), max_length=20, choices=ErkenningStatus.choices, default=ErkenningStatus.IN_VOORBEREIDING
    )
    sbb_reference = models.CharField(_("SBB-kenmerk"), max_length=50, blank=True)
    applied_on = models.DateField(_("aangevraagd op"), null=True, blank=True)
    granted_on = models.DateField(_("erkend op"), null=True, blank=True)
    last_herbeoordeling = models.DateField(_("laatste herbeoordeling"), null=True, blank=True)
    withdrawn_on = models.DateField(_("ingetrokken op"), null=True, blank=True)
    unavailable_werkprocessen = models.ManyToManyField(
        Werkproces,
        blank=True,
        related_name="+",
        verbose_name=_("werkprocessen die het bedrijf niet kan bieden"),
    )

    objects = ErkenningQuerySet.as_manager()

    class Meta:
        verbose_name = _("erkenning")
        verbose_name_plural = _("erkenningen")
        ordering = ["kwalificatie__name"]
        constraints = [
            models.UniqueConstraint(fields=["leerbedrijf", "kwalificatie"], name="erkenning_unique_per_kwalificatie")
        ]

    def __str__(self):
        return f"{self.kwalificatie} – {self.get_status_display()}"

    def save(self, *args, **kwargs):
        adding = self._state.adding
        with transaction.atomic():
            super().save(*args, **kwargs)
            # Every way a status is set (the erkenning's pages, the beheer, the demo) saves here, so the history
            # cannot miss a change.
            ErkenningStatusPeriode.objects.record(self)
        if adding:
            self.ensure_checklist()

    def get_absolute_url(self):
        return reverse("leerbedrijf:erkenning", args=[self.pk])

    def ensure_checklist(self):
        ErkenningCheck.objects.bulk_create(
            [ErkenningCheck(erkenning=self, item=item) for item in ChecklistItem.values], ignore_conflicts=True
        )

    @property
    def herbeoordeling_due(self):
        """SBB re-assesses four years after the erkenning or after the last herbeoordeling."""
        since = self.last_herbeoordeling or self.granted_on
        if self.status != ErkenningStatus.ERKEND or since is None:
            return None
        return add_years(since, HERBEOORDELING_YEARS)

    def _last_stage_end(self):
        if hasattr(self, "last_stage_end"):
            return self.last_stage_end
        return Stage.objects.filter(leerbedrijf_id=self.leerbedrijf_id, kwalificatie_id=self.kwalificatie_id).aggregate(
            last=Max("end_date")
        )["last"]

    @property
    def lapses_on(self):
        """Four years after the last stage for this kwalificatie ended, or after the erkenning without any stage."""
        if self.status != ErkenningStatus.ERKEND:
            return None
        since = max(filter(None, [self._last_stage_end(), self.granted_on, self.last_herbeoordeling]), default=None)
        return add_years(since, LAPSE_YEARS) if since else None

    def warnings(self, *, today=None):
        today = today or timezone.localdate()
        soon = add_months(today, WARN_MONTHS)
        found = []
        due = self.herbeoordeling_due
        if due and due <= soon:
            if due < today:
                found.append(_("De herbeoordeling door SBB was uiterlijk %(date)s.") % {"date": _date(due)})
            else:
                found.append(_("De herbeoordeling door SBB is uiterlijk %(date)s.") % {"date": _date(due)})
        lapses = self.lapses_on
        if lapses and lapses <= soon:
            found.append(
                _("De erkenning vervalt rond %(date)s: het bedrijf heeft vier jaar geen student begeleid.")
                % {"date": _date(lapses)}
            )
        return found


def _date(day):
    return date_format(day, "j F Y")


def status_since(erkenning, *, today=None):
    """The day the erkenning's present status began: the date the form asks for with that status, else today."""
    field = {
        ErkenningStatus.ERKEND: "granted_on",
        ErkenningStatus.AANGEVRAAGD: "applied_on",
        ErkenningStatus.INGETROKKEN: "withdrawn_on",
    }.get(erkenning.status)
    return (getattr(erkenning, field) if field else None) or today or timezone.localdate()


def covers(periods, start, end):
    """Whether the half-open periods (since, until or None) together cover every day of [start, end]."""
    reached = start
    for since, until in sorted(periods):
        if since > reached:
            return False
        if until is None:
            return True
        reached = max(reached, until)
        if reached > end:
            return True
    return False


class ErkenningStatusPeriodeQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(erkenning__leerbedrijf__in=roles_of(user).leerbedrijf_ids())

    def record(self, erkenning, *, today=None):
        """Make the history say that `erkenning` holds its present status from status_since() on.

        A history is one line of periods. A status dated back (an erkenning entered long after SBB granted it)
        replaces what the history said from that day on; the audit trail keeps what was said before. Locked on the
        erkenning, so two saves in parallel leave one line.
        """
        since = status_since(erkenning, today=today)
        Erkenning.objects.select_for_update().filter(pk=erkenning.pk).values_list("pk").first()
        rows = list(self.filter(erkenning=erkenning).order_by("since"))
        current = rows[-1] if rows else None
        if current and current.status == erkenning.status and current.since == since:
            return None
        if current and current.status == erkenning.status:
            # The same status with another date: a correction of when it began, not a new status.
            current.delete()
            rows.pop()
        self.filter(erkenning=erkenning, since__gte=since).delete()
        self.filter(erkenning=erkenning, since__lt=since).filter(Q(until__isnull=True) | Q(until__gt=since)).update(
            until=since
        )
        return self.create(erkenning=erkenning, status=erkenning.status, since=since)

    def erkend_periods(self, *, leerbedrijf_ids):
        """{(leerbedrijf id, kwalificatie id): [(since, until), ...]} of the erkend periods, in one query."""
        found = {}
        rows = self.filter(erkenning__leerbedrijf__in=leerbedrijf_ids, status=ErkenningStatus.ERKEND).values_list(
            "erkenning__leerbedrijf", "erkenning__kwalificatie", "since", "until"
        )
        for leerbedrijf_id, kwalificatie_id, since, until in rows:
            found.setdefault((leerbedrijf_id, kwalificatie_id), []).append((since, until))
        return found

    def erkend_throughout(self, *, leerbedrijf_id, kwalificatie_id, start, end):
        """Whether the leerbedrijf was erkend for the kwalificatie (its crebo) on every day from start to end."""
        periods = self.erkend_periods(leerbedrijf_ids=[leerbedrijf_id]).get((leerbedrijf_id, kwalificatie_id), [])
        return covers(periods, start, end)


class ErkenningStatusPeriode(models.Model):
    """One period of an erkenning's status: from `since` up to (not including) `until`; the last one is open.

    Subsidies ask whether the company was erkend for a crebo during a whole period (the Subsidieregeling
    praktijkleren), which one status field cannot answer once it changed.
    """

    erkenning = models.ForeignKey(Erkenning, on_delete=models.CASCADE, related_name="history")
    status = models.CharField(_("status"), max_length=20, choices=ErkenningStatus.choices)
    since = models.DateField(_("vanaf"))
    until = models.DateField(_("tot"), null=True, blank=True)
    recorded_at = models.DateTimeField(_("vastgelegd op"), default=timezone.now)

    objects = ErkenningStatusPeriodeQuerySet.as_manager()

    class Meta:
        verbose_name = _("periode van een erkenning")
        verbose_name_plural = _("geschiedenis van erkenningen")
        ordering = ["erkenning", "since"]
        constraints = [
            models.UniqueConstraint(fields=["erkenning", "since"], name="erkenningperiode_unique_since"),
            models.UniqueConstraint(
                fields=["erkenning"], condition=Q(until__isnull=True), name="erkenningperiode_one_open"
            ),
        ]

    def __str__(self):
        return f"{self.get_status_display()} {self.since}–{self.until or ''}"


def leerbedrijf_warnings(*, leerbedrijf, viewer, today=None, has_praktijkopleider=None):
    """Warnings about the erkenningen of one leerbedrijf (chapter 3): what stands in the way of taking stagiairs.

    A stage without erkenning names its stagiair only to a `viewer` who may see that stage (Stage.visible_to: the
    praktijkopleider sees all of the company's); to other colleagues it says only that such a stage runs.
    `has_praktijkopleider` saves a query when the caller already knows (a praktijkopleider looking at their own).
    """
    today = today or timezone.localdate()
    found = []
    if has_praktijkopleider is None:
        has_praktijkopleider = (
            Membership.objects.active().filter(leerbedrijf=leerbedrijf, role=Role.PRAKTIJKOPLEIDER).exists()
        )
    if not has_praktijkopleider:
        found.append(_("Het bedrijf heeft geen praktijkopleider: SBB erkent alleen met een praktijkopleider."))
    erkend = leerbedrijf.erkenningen.erkend().values("kwalificatie")
    # A praktijkopleider sees every stage of the company: only a colleague's rows are asked one by one.
    if roles_of(viewer).has(Role.PRAKTIJKOPLEIDER, leerbedrijf.pk):
        shown = Value(True)
    else:
        shown = Exists(Stage.objects.visible_to(viewer).filter(pk=OuterRef("pk")))
    without = (
        Stage.objects.filter(leerbedrijf=leerbedrijf, end_date__gte=today)
        .exclude(kwalificatie__in=erkend)
        .annotate(shown=shown)
        .order_by("start_date")
        # Plain values: a big company without erkenning has a row per stage, and no row needs a model.
        .values_list("shown", "stagiair__name", "kwalificatie_id", "kwalificatie__name")
    )
    hidden = set()
    for shown, stagiair, kwalificatie_id, kwalificatie in without:
        if shown:
            found.append(
                _("%(stagiair)s loopt stage voor %(kwalificatie)s, maar daarvoor is het bedrijf niet erkend.")
                % {"stagiair": stagiair, "kwalificatie": kwalificatie}
            )
        elif kwalificatie_id not in hidden:
            hidden.add(kwalificatie_id)
            found.append(
                _("Er loopt een stage voor %(kwalificatie)s, maar daarvoor is het bedrijf niet erkend.")
                % {"kwalificatie": kwalificatie}
            )
    for erkenning in leerbedrijf.erkenningen.with_overview():
        found.extend(f"{erkenning.kwalificatie.name}: {warning}" for warning in erkenning.warnings(today=today))
    return found


class ChecklistItem(models.TextChoices):
    """The conditions of chapter 3 of the gids, plus the insurance it asks to check."""

    WERKPLEK = "werkplek", _("Een goede en veilige werkplek")
    WERKZAAMHEDEN = "werkzaamheden", _("Passende werkzaamheden die bij het beroep horen, binnen het bedrijf")
    PRAKTIJKOPLEIDER = (
        "praktijkopleider",
        _("Een praktijkopleider die de opleiding kent en genoeg tijd en middelen heeft"),
    )
    SAMENWERKING = "samenwerking", _("Bereid om samen te werken met de school en SBB en informatie te delen")
    VERMELDING = "vermelding", _("Akkoord met vermelding op stagemarkt.nl en leerbanenmarkt.nl")
    VERZEKERING = "verzekering", _("Bedrijfsverzekering met studentendekking")


def _evidence_path(check, filename):
    return f"erkenning/{check.erkenning_id}/{uuid.uuid4().hex}{PurePath(filename).suffix.lower()}"


class ErkenningCheckQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(erkenning__leerbedrijf__in=roles_of(user).leerbedrijf_ids())


class ErkenningCheck(models.Model):
    erkenning = models.ForeignKey(Erkenning, on_delete=models.CASCADE, related_name="checks")
    item = models.CharField(_("eis"), max_length=30, choices=ChecklistItem.choices)
    done = models.BooleanField(_("geregeld"), default=False)
    note = models.TextField(_("toelichting"), blank=True)
    evidence = models.FileField(_("bewijsstuk"), upload_to=_evidence_path, blank=True)
    evidence_name = models.CharField(_("bestandsnaam"), max_length=200, blank=True)
    ticked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("afgevinkt door"),
    )
    ticked_at = models.DateTimeField(_("afgevinkt op"), null=True, blank=True)

    objects = ErkenningCheckQuerySet.as_manager()

    class Meta:
        verbose_name = _("eis voor erkenning")
        verbose_name_plural = _("eisen voor erkenning")
        constraints = [models.UniqueConstraint(fields=["erkenning", "item"], name="erkenningcheck_unique_item")]

    def __str__(self):
        return self.get_item_display()

    @property
    def position(self):
        return ChecklistItem.values.index(self.item)

    def record(self, *, done, note, by, evidence=None, evidence_name=""):
        """Save a change to this item; who ticked it and when follow the tick.

        `evidence` is stored under a name of the portal's making (its extension from the checked content);
        `evidence_name` is the user's own file name, kept only to offer the download under it.
        """
        if done and not self.done:
            self.ticked_by, self.ticked_at = by, timezone.now()
        elif not done:
            self.ticked_by, self.ticked_at = None, None
        self.done = done
        self.note = note
        replaced = ""
        with transaction.atomic():
            if evidence:
                # The file being replaced, as stored (locked: of two parallel uploads, the second replaces the first's).
                replaced = (
                    ErkenningCheck.objects.select_for_update().filter(pk=self.pk).values_list("evidence", flat=True)
                ).first()
                self.evidence_name = PurePath(evidence_name or evidence.name).name[:200]
                self.evidence = evidence
            self.save()
            if replaced:
                transaction.on_commit(
                    partial(
                        remove_unreferenced_evidence,
                        replaced,
                        check_pk=self.pk,
                        erkenning_pk=self.erkenning_id,
                        storage=self.evidence.storage,
                    )
                )


def remove_unreferenced_evidence(name, *, check_pk, erkenning_pk, storage):
    """A bewijsstuk leaves the disk unless something still refers to it: a check, or the audit trail of its check or
    its erkenning (what the history shows must stay downloadable). Called after commit, when a bewijsstuk was
    replaced and when its check was deleted (with its erkenning or leerbedrijf, in the beheer)."""
    history = Wijziging.objects.filter(
        Q(content_type=ContentType.objects.get_for_model(ErkenningCheck), object_id=check_pk)
        | Q(content_type=ContentType.objects.get_for_model(Erkenning), object_id=erkenning_pk)
    ).values_list("changes", "data")
    if name in str(list(history)) or ErkenningCheck.objects.filter(evidence=name).exists():
        return
    storage.delete(name)


@receiver(post_delete, sender=ErkenningCheck)
def _remove_evidence_of_a_deleted_check(sender, instance, **kwargs):
    """Whatever deletes a check (its erkenning, its leerbedrijf), its bewijsstuk goes too once that is committed:
    a deletion rolled back keeps it."""
    if instance.evidence:
        transaction.on_commit(
            partial(
                remove_unreferenced_evidence,
                instance.evidence.name,
                check_pk=instance.pk,
                erkenning_pk=instance.erkenning_id,
                storage=instance.evidence.storage,
            )
        )


__all__ = [
    "SBB_AANVRAAG_URL",
    "ChecklistItem",
    "Erkenning",
    "ErkenningCheck",
    "ErkenningStatus",
    "ErkenningStatusPeriode",
    "covers",
]
