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


class StageplanQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(stage__in=Stage.objects.visible_to(user))


class Stageplan(models.Model):
    """The stagiair's plan for one stage: a dynamic document that changes during the stage (chapter 7)."""

    stage = models.OneToOneField(Stage, on_delete=models.CASCADE, related_name="stageplan")
    niveau = models.PositiveSmallIntegerField(_("niveau"), null=True, blank=True)
    leerjaar = models.PositiveSmallIntegerField(_("leerjaar"), null=True, blank=True)
    capaciteiten = models.TextField(_("capaciteiten"), blank=True)
    vorige_stage = models.TextField(_("wat deed je in een vorige stage?"), blank=True)

    objects = StageplanQuerySet.as_manager()

    class Meta:
        verbose_name = _("stageplan")
        verbose_name_plural = _("stageplannen")

    def __str__(self):
        return _("Stageplan van %(stagiair)s") % {"stagiair": self.stage.stagiair}


class LeerdoelStatus(models.TextChoices):
    GEPLAND = "gepland", _("gepland")
    BEZIG = "bezig", _("bezig")
    BEHAALD = "behaald", _("behaald")
    BIJGESTELD = "bijgesteld", _("bijgesteld")


class Skill(models.TextChoices):
    HARD = "hard", _("hard skill")
    SOFT = "soft", _("soft skill")


class LeerdoelQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(stageplan__stage__in=Stage.objects.visible_to(user))


class Leerdoel(models.Model):
    stageplan = models.ForeignKey(Stageplan, on_delete=models.CASCADE, related_name="leerdoelen")
    werkproces = models.ForeignKey(
        "leerbedrijf.Werkproces", on_delete=models.PROTECT, null=True, blank=True, related_name="leerdoelen"
    )
    title = models.CharField(_("leerdoel"), max_length=300)
    skill = models.CharField(_("soort"), max_length=4, choices=Skill.choices, default=Skill.HARD)
    activiteiten = models.TextField(_("activiteiten"), blank=True)
    benodigd = models.TextField(_("wie of wat is nodig?"), blank=True)
    target_date = models.DateField(_("wanneer behaald?"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=LeerdoelStatus.choices, default=LeerdoelStatus.GEPLAND
    )

    objects = LeerdoelQuerySet.as_manager()

    class Meta:
        verbose_name = _("leerdoel")
        verbose_name_plural = _("leerdoelen")
        ordering = ["target_date", "pk"]

    def __str__(self):
        return self.title


class ObservatieKind(models.TextChoices):
    GOED = "goed", _("wat ging goed")
    AANDACHTSPUNT = "aandachtspunt", _("aandachtspunt")


class ObservatieQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(stage__in=Stage.objects.visible_to(user))


class Observatie(models.Model):
    """What a begeleider saw at work, without judgement (chapter 8)."""

    stage = models.ForeignKey(Stage, on_delete=models.CASCADE, related_name="observaties")
    leerdoel = models.ForeignKey(Leerdoel, on_delete=models.SET_NULL, null=True, blank=True, related_name="observaties")
    author = models.ForeignKey(
        "stagegids.User", on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("door")
    )
    date = models.DateField(_("datum"))
    text = models.TextField(_("wat zag je?"))
    kind = models.CharField(_("soort"), max_length=15, choices=ObservatieKind.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ObservatieQuerySet.as_manager()

    class Meta:
        verbose_name = _("observatie")
        verbose_name_plural = _("observaties")
        ordering = ["-date", "-created_at"]

    def __str__(self):
        return f"{self.date:%d-%m-%Y} {self.get_kind_display()}"


def without_agreed_stageplan(stages):
    """The stages of the queryset `stages` whose stageplan has no agreed version (the reminders ask this).

    Nothing is agreed yet: the agreement of a stageplan version (issue of the stageplan) narrows this queryset.
    """
    return stages
