from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ReminderStatus(models.TextChoices):
    PENDING = "pending", _("klaar om te versturen")
    DIGEST = "digest", _("wacht op het dagoverzicht")
    SENDING = "sending", _("wordt verstuurd")
    SENT = "sent", _("verstuurd")
    SKIPPED = "skipped", _("niet meer nodig")
    FAILED = "failed", _("mislukt")


class Reminder(models.Model):
    """One reminder to one person about one thing at one occasion; the unique key makes it exist once.

    `subject_type` and `subject_id` name the thing (a moment, a stage, an erkenning); `occasion` (such as "7d", the
    week before), `occasion_at` (the moment's time, the due date) and `sequence` (the moment's) say which occasion
    it is for. A moment that moves or changes gets a new key, so a new reminder, while the one that went out stays
    sent. How a row is sent exactly once: beoordeling/herinneringen.py.
    """

    subject_type = models.CharField(max_length=50)
    subject_id = models.PositiveBigIntegerField()
    kind = models.CharField(_("soort"), max_length=50)
    occasion = models.CharField(max_length=20)
    occasion_at = models.DateTimeField()
    sequence = models.PositiveIntegerField(default=0)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminders", verbose_name=_("ontvanger")
    )
    role = models.CharField(_("als"), max_length=30)
    status = models.CharField(
        _("status"), max_length=10, choices=ReminderStatus.choices, default=ReminderStatus.PENDING
    )
    # Set when the person chose the daily digest, so a digest claim that was lost returns to the digest.
    digest = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)
    enqueued_at = models.DateTimeField(null=True, blank=True)
    claim = models.UUIDField(null=True, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    sent_at = models.DateTimeField(_("verstuurd op"), null=True, blank=True)
    last_error = models.CharField(max_length=300, blank=True)

    class Meta:
        verbose_name = _("herinnering")
        verbose_name_plural = _("herinneringen")
        constraints = [
            models.UniqueConstraint(
                fields=["subject_type", "subject_id", "kind", "occasion", "occasion_at", "sequence", "recipient"],
                name="reminder_unique_key",
            )
        ]
        indexes = [
            models.Index(
                fields=["status", "enqueued_at"],
                condition=Q(status__in=["pending", "sending", "digest"]),
                name="reminder_open",
            ),
            models.Index(fields=["subject_type", "subject_id", "kind"], name="reminder_subject"),
            models.Index(fields=["occasion_at"], name="reminder_occasion_at"),
        ]

    def __str__(self):
        return f"{self.kind} {self.subject_type}#{self.subject_id} {self.occasion} → {self.recipient_id}"
