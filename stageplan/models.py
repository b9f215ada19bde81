from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from leerbedrijf.models import Stage


class MomentKind(models.TextChoices):
    """The feedback moments the gids asks for (chapters 7, 8 and 9)."""

    VOORTGANGSGESPREK = "voortgangsgesprek", _("voortgangsgesprek")
    TUSSENBEOORDELING = "tussenbeoordeling", _("tussenbeoordeling")
    EINDBEOORDELING = "eindbeoordeling", _("eindbeoordeling")
    EVALUATIE = "evaluatie", _("evaluatiegesprek")
    STARTGESPREK = "startgesprek", _("startgesprek (school, bedrijf en stagiair)")
    MIDDENGESPREK = "middengesprek", _("middengesprek (school, bedrijf en stagiair)")
    EINDGESPREK = "eindgesprek", _("eindgesprek (school, bedrijf en stagiair)")


class MomentQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(stage__in=Stage.objects.visible_to(user))

    def planned(self):
        return self.filter(cancelled_at__isnull=True)


class Moment(models.Model):
    """A planned gesprek or beoordeling of a stage: fixed at the start and not skipped. Reminders follow these."""

    stage = models.ForeignKey(Stage, on_delete=models.CASCADE, related_name="moments")
    kind = models.CharField(_("soort"), max_length=30, choices=MomentKind.choices)
    starts_at = models.DateTimeField(_("datum en tijd"))
    location = models.CharField(_("plaats"), max_length=200, blank=True)
    cancelled_at = models.DateTimeField(_("geannuleerd op"), null=True, blank=True)
    # Bumped on every change of time or place, so a calendar invitation can be updated (iCalendar SEQUENCE).
    sequence = models.PositiveIntegerField(default=0, editable=False)

    objects = MomentQuerySet.as_manager()

    class Meta:
        verbose_name = _("gepland moment")
        verbose_name_plural = _("geplande momenten")
        ordering = ["starts_at"]
        indexes = [models.Index(fields=["starts_at"], condition=Q(cancelled_at__isnull=True), name="moment_planned")]

    def __str__(self):
        return f"{self.get_kind_display()} {self.starts_at:%d-%m-%Y}"
