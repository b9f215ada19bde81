"""Reference data: kwalificatiedossiers, their kwalificaties (crebo), kerntaken and werkprocessen.

Codes are text and are what an import matches on; every row says which source edition it came from, because SBB
revises the crebolijst every year.
"""

from django.db import models
from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _


def example_label(text, is_example):
    """Invented demo rows say so wherever they appear as text: in forms, in copied labels, in the verslagen (pdf)."""
    return _t("%(text)s (voorbeelddata)") % {"text": text} if is_example else text


class SoortOpleiding(models.TextChoices):
    ENTREE = "entreeopleiding", _("entreeopleiding")
    BASISBEROEPS = "basisberoepsopleiding", _("basisberoepsopleiding")
    VAK = "vakopleiding", _("vakopleiding")
    MIDDENKADER = "middenkaderopleiding", _("middenkaderopleiding")
    SPECIALIST = "specialistenopleiding", _("specialistenopleiding")


class Kwalificatiedossier(models.Model):
    crebo = models.CharField(_("crebo"), max_length=10, unique=True)
    name = models.CharField(_("naam"), max_length=200)
    source = models.CharField(_("bron"), max_length=200)

    class Meta:
        verbose_name = _("kwalificatiedossier")
        verbose_name_plural = _("kwalificatiedossiers")
        ordering = ["name"]

    def __str__(self):
        return f"{self.name} ({self.crebo})"


class Kwalificatie(models.Model):
    dossier = models.ForeignKey(Kwalificatiedossier, on_delete=models.PROTECT, related_name="kwalificaties")
    crebo = models.CharField(_("crebo"), max_length=10, unique=True)
    name = models.CharField(_("naam"), max_length=200)
    niveau = models.PositiveSmallIntegerField(_("niveau"), choices=[(n, str(n)) for n in range(1, 5)])
    soort = models.CharField(_("soort opleiding"), max_length=30, choices=SoortOpleiding.choices)
    source = models.CharField(_("bron"), max_length=200)

    class Meta:
        verbose_name = _("kwalificatie")
        verbose_name_plural = _("kwalificaties")
        ordering = ["name"]

    def __str__(self):
        return _("%(name)s (crebo %(crebo)s, niveau %(niveau)s)") % {
            "name": self.name,
            "crebo": self.crebo,
            "niveau": self.niveau,
        }


class Kerntaak(models.Model):
    """A kerntaak of a dossier; basisdeel kerntaken belong to the dossier, profieldeel ones to a kwalificatie."""

    dossier = models.ForeignKey(Kwalificatiedossier, on_delete=models.CASCADE, related_name="kerntaken")
    kwalificatie = models.ForeignKey(
        Kwalificatie, on_delete=models.CASCADE, null=True, blank=True, related_name="profielkerntaken"
    )
    code = models.CharField(_("code"), max_length=20)
    title = models.CharField(_("titel"), max_length=300)
    source = models.CharField(_("bron"), max_length=200)
    is_example = models.BooleanField(
        _("voorbeelddata"), default=False, help_text=_("Niet uit een echte bron: alleen voor de demo.")
    )

    class Meta:
        verbose_name = _("kerntaak")
        verbose_name_plural = _("kerntaken")
        ordering = ["code"]
        constraints = [models.UniqueConstraint(fields=["dossier", "kwalificatie", "code"], name="kerntaak_code_unique")]

    def __str__(self):
        return example_label(f"{self.code} {self.title}", self.is_example)


class WerkprocesQuerySet(models.QuerySet):
    def for_kwalificatie(self, kwalificatie):
        """The basisdeel werkprocessen of its dossier plus the profieldeel ones of this kwalificatie."""
        return self.filter(
            models.Q(kerntaak__dossier_id=kwalificatie.dossier_id, kerntaak__kwalificatie__isnull=True)
            | models.Q(kerntaak__kwalificatie=kwalificatie)
        ).select_related("kerntaak")


class Werkproces(models.Model):
    kerntaak = models.ForeignKey(Kerntaak, on_delete=models.CASCADE, related_name="werkprocessen")
    code = models.CharField(_("code"), max_length=20)
    title = models.CharField(_("titel"), max_length=300)
    omschrijving = models.TextField(_("omschrijving"), blank=True)
    resultaat = models.TextField(_("resultaat"), blank=True)
    gedrag = models.TextField(_("gedrag"), blank=True)
    source = models.CharField(_("bron"), max_length=200)
    is_example = models.BooleanField(
        _("voorbeelddata"), default=False, help_text=_("Niet uit een echte bron: alleen voor de demo.")
    )

    objects = WerkprocesQuerySet.as_manager()

    class Meta:
        verbose_name = _("werkproces")
        verbose_name_plural = _("werkprocessen")
        ordering = ["code"]
        constraints = [models.UniqueConstraint(fields=["kerntaak", "code"], name="werkproces_code_unique")]

    def __str__(self):
        return example_label(f"{self.code} {self.title}", self.is_example)
