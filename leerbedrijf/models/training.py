"""The training a praktijkopleider records on his own profile, which the erkenning asks for (chapter 3 of the gids).

SBB erkent a leerbedrijf with "een praktijkopleider die de eisen van de opleiding kent en genoeg tijd en middelen
heeft"; a course such as a training praktijkopleider, and when it was completed, is how he shows it. The training
belongs to the person, not to one leerbedrijf: a praktijkopleider of two companies records it once.
"""

import uuid
from datetime import date
from pathlib import PurePath

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import models, transaction
from django.db.models import Prefetch, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from stagegids.roles import Role

from .organisatie import Membership, roles_of

# No training of a working praktijkopleider was completed before this day; an earlier date is a typing error.
EARLIEST_COMPLETED_ON = date(1950, 1, 1)


def _certificate_path(training, filename):
    return f"training/{training.user_id}/{uuid.uuid4().hex}{PurePath(filename).suffix.lower()}"


def _praktijkopleiders_of(leerbedrijf_ids):
    return Membership.objects.active().filter(role=Role.PRAKTIJKOPLEIDER, leerbedrijf__in=leerbedrijf_ids)


class TrainingQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Your own trainings, and those of the praktijkopleiders of a company you work at: the checklist of its
        erkenning shows them to every colleague, as it shows the other evidence."""
        colleagues = _praktijkopleiders_of(roles_of(user).leerbedrijf_ids()).values("user")
        return self.filter(Q(user=user) | Q(user__in=colleagues))


class Training(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="trainingen")
    name = models.CharField(_("naam van de training of cursus"), max_length=200)
    provider = models.CharField(_("aanbieder"), max_length=200)
    completed_on = models.DateField(_("afgerond op"))
    certificate = models.FileField(_("certificaat"), upload_to=_certificate_path, blank=True)
    certificate_name = models.CharField(_("bestandsnaam"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = TrainingQuerySet.as_manager()

    class Meta:
        verbose_name = _("training")
        verbose_name_plural = _("trainingen")
        ordering = ["-completed_on", "-pk"]

    def __str__(self):
        return f"{self.name} ({self.provider}, {self.completed_on:%d-%m-%Y})"

    def get_certificate_url(self):
        return reverse("leerbedrijf:training_certificate", args=[self.pk]) if self.certificate else ""


def training_save(training, *, certificate=None, certificate_name=""):
    """Save a training made or changed on the profile page; `certificate` replaces the stored one.

    The file is stored under a name of the portal's making (its extension from the checked content);
    `certificate_name` is the person's own file name, kept only to offer the download under it. A replaced file
    is removed once the new one is committed: nothing refers to it any more.
    """
    replaced = ""
    if certificate:
        if training.pk:
            replaced = Training.objects.filter(pk=training.pk).values_list("certificate", flat=True).get()
        training.certificate_name = PurePath(certificate_name or certificate.name).name[:200]
        training.certificate = certificate
    training.save()
    if replaced:
        storage = training.certificate.storage
        transaction.on_commit(lambda: storage.delete(replaced))
    return training


def praktijkopleiders_with_training(leerbedrijf):
    """The leerbedrijf's praktijkopleiders by name, each with `.recorded` (their trainings, newest first): two
    queries, however many praktijkopleiders and trainings there are."""
    return list(
        get_user_model()
        .objects.filter(pk__in=_praktijkopleiders_of([leerbedrijf.pk]).values("user"))
        .order_by("name", "pk")
        .prefetch_related(Prefetch("trainingen", queryset=Training.objects.all(), to_attr="recorded"))
    )
