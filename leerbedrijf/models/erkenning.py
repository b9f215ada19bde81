"""SBB-erkenning of a leerbedrijf, per kwalificatie (chapter 3 of the gids)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from .kwalificatie import Kwalificatie, Werkproces
from .organisatie import Leerbedrijf, roles_of


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
