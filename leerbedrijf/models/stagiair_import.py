"""A CSV of stagiairs sent by a school, parsed and kept between preview and confirmation."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .organisatie import Leerbedrijf, Onderwijsinstelling


class StagiairImport(models.Model):
    """The parsed rows of the last upload; one per leerbedrijf, so a new upload replaces the previous one."""

    leerbedrijf = models.OneToOneField(Leerbedrijf, on_delete=models.CASCADE, related_name="stagiair_import")
    onderwijsinstelling = models.ForeignKey(
        Onderwijsinstelling, on_delete=models.CASCADE, related_name="+", verbose_name=_("school")
    )
    filename = models.CharField(_("bestandsnaam"), max_length=255)
    # The SHA-256 of the uploaded file: the confirmation names it, so it imports the file that was looked at.
    digest = models.CharField(_("SHA-256"), max_length=64, blank=True)
    rows = models.JSONField(_("regels"), default=list)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("import van stagiairs")
        verbose_name_plural = _("imports van stagiairs")

    def __str__(self):
        return self.filename

    @property
    def token(self):
        """What the preview's confirmation sends back: this upload, of this file."""
        return f"{self.pk}:{self.digest}"
