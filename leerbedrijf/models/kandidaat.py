"""A candidate before the start (chapter 4): matching, the meeloopdag and the decision.

A Kandidaat is not a Stage: who is not taken keeps only what the decision needs (name, date, reason).
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _

from stagegids.roles import Role

from .kwalificatie import Kwalificatie
from .organisatie import Leerbedrijf, Onderwijsinstelling, roles_of


class Besluit(models.TextChoices):
    OPEN = "open", _("nog geen besluit")
    AANGENOMEN = "aangenomen", _("aangenomen")
    NIET_AANGENOMEN = "niet_aangenomen", _("niet aangenomen")


class KandidaatQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(leerbedrijf__in=roles_of(user).leerbedrijf_ids(Role.PRAKTIJKOPLEIDER))


class Kandidaat(models.Model):
    leerbedrijf = models.ForeignKey(Leerbedrijf, on_delete=models.CASCADE, related_name="kandidaten")
    name = models.CharField(_("naam"), max_length=150)
    email = models.EmailField(_("e-mailadres"), blank=True)
    kwalificatie = models.ForeignKey(
        Kwalificatie, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("opleiding")
    )
    onderwijsinstelling = models.ForeignKey(
        Onderwijsinstelling,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("school"),
    )
    motivatie = models.TextField(_("motivatie"), blank=True)
    leerwensen = models.TextField(_("wat wil de kandidaat leren?"), blank=True)
    leerwensen_geboden = models.BooleanField(
        _("kunnen wij dat bieden?"), null=True, blank=True, help_text=_("Leeg laten als dat nog niet duidelijk is.")
    )
    meeloopdag_on = models.DateField(_("meeloopdag"), null=True, blank=True)
    meeloopdag_met = models.CharField(_("meegelopen met"), max_length=150, blank=True)
    meeloopdag_uitkomst = models.TextField(_("uitkomst van de meeloopdag"), blank=True)
    besluit = models.CharField(_("besluit"), max_length=20, choices=Besluit.choices, default=Besluit.OPEN)
    besluit_reden = models.TextField(_("reden van het besluit"), blank=True)
    besluit_on = models.DateField(_("besluit genomen op"), null=True, blank=True)
    created_at = models.DateTimeField(_("aangemeld op"), default=timezone.now)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")

    objects = KandidaatQuerySet.as_manager()

    class Meta:
        verbose_name = _("kandidaat")
        verbose_name_plural = _("kandidaten")
        ordering = ["-created_at"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("leerbedrijf:kandidaat", args=[self.pk])

    # What a rejection erases: the company no longer needs to keep it (AVG: data minimisation).
    ERASED_ON_REJECTION = {
        "email": "",
        "motivatie": "",
        "leerwensen": "",
        "leerwensen_geboden": None,
        "meeloopdag_met": "",
        "meeloopdag_uitkomst": "",
    }

    def save_while_open(self, fields):
        """Save `fields` only while no besluit is taken: False otherwise. A rejection erases them (AVG), and an edit
        that races it must not write them back."""
        changed = Kandidaat.objects.filter(pk=self.pk, besluit=Besluit.OPEN).update(
            **{name: getattr(self, name) for name in fields}
        )
        return bool(changed)

    def decide(self, *, besluit, reden):
        """Record the decision, once: False when it was decided already (a second click, or two at once)."""
        fields = {"besluit": besluit, "besluit_reden": reden, "besluit_on": timezone.localdate()}
        if besluit == Besluit.NIET_AANGENOMEN:
            fields |= self.ERASED_ON_REJECTION
        changed = Kandidaat.objects.filter(pk=self.pk, besluit=Besluit.OPEN).update(**fields)
        self.refresh_from_db()
        return bool(changed)

    def already_decided_message(self):
        return _t("Over deze kandidaat was al besloten op %(date)s: %(besluit)s; er is niets gewijzigd.") % {
            "date": date_format(self.besluit_on, "j F Y") if self.besluit_on else "–",
            "besluit": self.get_besluit_display(),
        }
