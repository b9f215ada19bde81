from collections.abc import Callable, Mapping
from typing import Any, ClassVar

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist, ImproperlyConfigured
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import queued
from .roles import Role


class UserManager(BaseUserManager):
    use_in_migrations = True

    def get_by_natural_key(self, email):
        return self.get(email__iexact=email)

    def create_user(self, email, password=None, **fields):
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email, password=None, **fields):
        return self.create_user(email, password, is_staff=True, is_superuser=True, **fields)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who logs in with their e-mail address; what they may do comes from their memberships."""

    email = models.EmailField(_("e-mailadres"), unique=True)
    name = models.CharField(_("naam"), max_length=150)
    is_active = models.BooleanField(_("actief"), default=True)
    is_staff = models.BooleanField(_("beheerder"), default=False)
    date_joined = models.DateTimeField(_("aangemaakt"), default=timezone.now)
    # Erasure (issue 17, stagegids/erasure.py): asked on this day, by the person or for them; the account is
    # deactivated at once and anonymised once settings.RETENTION_DAYS["account_verwijderd"] have passed.
    erasure_requested_at = models.DateTimeField(_("verwijdering gevraagd op"), null=True, blank=True, editable=False)
    erasure_requested_by = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", editable=False
    )
    anonymised_at = models.DateTimeField(_("geanonimiseerd op"), null=True, blank=True, editable=False)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["name"]

    class Meta:
        verbose_name = _("gebruiker")
        verbose_name_plural = _("gebruikers")
        constraints = [models.UniqueConstraint(Lower("email"), name="user_email_unique_ci")]

    def __str__(self):
        return self.display_name or self.email

    @property
    def display_name(self):
        """The name colleagues see: an account that was deactivated says so, wherever its name still stands."""
        if self.anonymised_at:
            return str(_("voormalig gebruiker"))
        if self.is_active:
            return self.name
        return _("%(name)s (gedeactiveerd)") % {"name": self.name}

    def signed_as(self, role) -> str:
        """The name under a signature, or for an anonymised account the role it signed in ("voormalig
        praktijkopleider"): what was signed keeps its meaning without the person's data."""
        if self.anonymised_at:
            return _("voormalig %(role)s") % {"role": role}
        return self.display_name

    def clean(self):
        super().clean()
        self.email = self.__class__.objects.normalize_email(self.email).lower()

    def get_full_name(self):
        return self.name

    def get_short_name(self):
        return self.name.split(" ")[0] if self.name else self.email


class NotificationQuerySet(models.QuerySet):
    def unread(self):
        return self.filter(read_at__isnull=True)

    def mark_read(self, *, now=None):
        """Mark the unread ones of this queryset read: a conditional update, so a second call (another tab, a
        second click) changes nothing and keeps the first time. Returns how many were marked."""
        return self.unread().update(read_at=now or timezone.now())

    def visible_to(self, user):
        return self.filter(user=user)


class Notification(models.Model):
    """A message on a person's start page; `key` makes posting the same thing twice a no-op."""

    user = models.ForeignKey("stagegids.User", on_delete=models.CASCADE, related_name="notifications")
    key = models.CharField(max_length=100)
    title = models.CharField(_("titel"), max_length=200)
    text = models.TextField(_("tekst"), blank=True)
    url = models.CharField(_("link"), max_length=300)
    created_at = models.DateTimeField(_("aangemaakt"), default=timezone.now)
    read_at = models.DateTimeField(_("gelezen"), null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("melding")
        verbose_name_plural = _("meldingen")
        ordering = ["-created_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="notification_unique_key")]
        indexes = [models.Index(fields=["user", "-created_at"], condition=Q(read_at__isnull=True), name="unread")]

    def __str__(self):
        return self.title


class Delivery(models.TextChoices):
    IMMEDIATELY = "direct", _("direct per e-mail")
    DIGEST = "dagelijks", _("één e-mail per dag (dagoverzicht)")
    OFF = "uit", _("geen e-mail, alleen op de startpagina")


class NotificationPreference(models.Model):
    """How one person wants one kind of reminder; no row means the kind's default (immediately)."""

    user = models.ForeignKey("stagegids.User", on_delete=models.CASCADE, related_name="notification_preferences")
    kind = models.CharField(max_length=50)
    delivery = models.CharField(_("bezorging"), max_length=10, choices=Delivery.choices)

    class Meta:
        verbose_name = _("voorkeur voor herinneringen")
        verbose_name_plural = _("voorkeuren voor herinneringen")
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="notification_preference_unique")]

    def __str__(self):
        return f"{self.kind}: {self.get_delivery_display()}"


# The label of an action: a text, formatted with the entry's data when it names %(key)s, or a function of the entry.
ActionLabel = str | Callable[["Wijziging"], str]
# What changed, per field (or other name a reader knows, such as a criterium): [old, new]; None where there was none.
Changes = dict[str, list[Any]]


class WijzigingQuerySet(models.QuerySet):
    def for_object(self, obj: models.Model) -> "WijzigingQuerySet":
        return self.filter(content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk)

    def for_stage(self, stage) -> "WijzigingQuerySet":
        """Everything logged on the objects of one stage (a Stage or its id)."""
        return self.filter(stage_id=getattr(stage, "pk", stage))

    def newest_first(self) -> "WijzigingQuerySet":
        return self.order_by("-at", "-pk")


class Wijziging(models.Model):
    """One entry of the audit trail: who changed what, when, and in which role; the one log of every app.

    Each app registers its action codes with their Dutch labels (`register_actions`) and writes with
    `Wijziging.log(obj, action, user=..., ...)`; pages read with `Wijziging.objects.for_object(obj)` or `for_stage`.
    The stage is a plain integer: the core imports no app, so it cannot point a foreign key at leerbedrijf.Stage.
    An account that is removed leaves its entries, without a name but with the role it acted in.
    Changes and data may hold what not everyone on the stage may read (a draft zelfreflectie, one party's answers
    before the reveal): a page shows an entry's details only where the object's own page would show them.
    """

    at = models.DateTimeField(_("op"), default=timezone.now)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("door"),
    )
    role = models.CharField(_("als"), max_length=30, choices=Role.choices, blank=True)
    content_type = models.ForeignKey(
        ContentType, on_delete=models.CASCADE, related_name="+", verbose_name=_("soort object")
    )
    object_id = models.PositiveBigIntegerField(verbose_name=_("object-id"))
    content_object = GenericForeignKey("content_type", "object_id")
    stage_id = models.PositiveBigIntegerField(_("stage"), null=True, blank=True)
    action = models.CharField(_("actie"), max_length=40)
    changes = models.JSONField(_("wijzigingen"), default=dict, blank=True)
    # What the label and the reader need besides the changes: a reason, a party, the text of a refused save, ...
    data = models.JSONField(default=dict, blank=True, verbose_name=_("gegevens"))

    objects = WijzigingQuerySet.as_manager()

    _actions: ClassVar[dict[str, ActionLabel]] = {}

    class Meta:
        verbose_name = _("wijziging")
        verbose_name_plural = _("wijzigingen")
        ordering = ["at", "pk"]
        indexes = [
            models.Index(fields=["content_type", "object_id", "at"], name="wijziging_object"),
            models.Index(fields=["stage_id", "at"], name="wijziging_stage"),
        ]

    def __str__(self):
        return f"{timezone.localtime(self.at):%d-%m-%Y %H:%M} {self.label}"

    @classmethod
    def register_actions(cls, labels: Mapping[str, ActionLabel]) -> None:
        """Called by each app for its own actions; a code used twice with another meaning is a mistake."""
        for code, label in labels.items():
            if code in cls._actions and cls._actions[code] != label:
                raise ImproperlyConfigured(f"Wijziging action {code!r} is registered twice")
            cls._actions[code] = label

    @classmethod
    def log(
        cls,
        obj: models.Model,
        action: str,
        *,
        user,
        role: str = "",
        changes: Changes | None = None,
        data: dict[str, Any] | None = None,
        stage_id: int | None = None,
    ) -> "Wijziging":
        """Write one entry about `obj`; the stage defaults to `obj.stage_id` where the object has one."""
        if action not in cls._actions:
            raise ValueError(f"Unregistered Wijziging action {action!r}")
        return cls.objects.create(
            content_type=ContentType.objects.get_for_model(obj),
            object_id=obj.pk,
            stage_id=stage_id if stage_id is not None else getattr(obj, "stage_id", None),
            user=user,
            role=role or "",
            action=action,
            changes=changes or {},
            data=data or {},
        )

    @property
    def label(self) -> str:
        label = self._actions.get(self.action)
        if label is None:
            return self.data.get("message") or self.action
        if callable(label):
            return label(self)
        try:
            return str(label) % self.data if "%(" in str(label) else str(label)
        except (KeyError, TypeError):
            return str(label)

    def before(self, name: str):
        return self.changes.get(name, [None, None])[0]

    def after(self, name: str):
        return self.changes.get(name, [None, None])[1]

    def details(self) -> list[str]:
        """What the entry says beyond its label: 'field: old → new' per change (named as the object's field where it
        is one), then its lines of text (data["lines"]) and its reason (data["reason"])."""
        model = ContentType.objects.get_for_id(self.content_type_id).model_class()
        lines = []
        for name, (old, new) in self.changes.items():
            try:
                label = model._meta.get_field(name).verbose_name if model else name
            except FieldDoesNotExist:
                label = name
            lines.append(f"{label}: {old or '–'} → {new or '–'}")
        lines += self.data.get("lines", [])
        if self.data.get("reason"):
            lines.append(self.data["reason"])
        return lines


# An entry kept from before its action had a code (copied from the old logs): its text is its label.
Wijziging.register_actions({"note": lambda wijziging: wijziging.data.get("message", "")})


class Queued(models.Model):
    """A row that a worker sends exactly once; how: stagegids/queued.py.

    A subclass adds its `status`, with at least the values "pending", "sending" and "failed".
    """

    enqueued_at = models.DateTimeField(null=True, blank=True, verbose_name=_("in de wachtrij gezet op"))
    claim = models.UUIDField(null=True, blank=True, verbose_name=_("claim van de werker"))
    claimed_at = models.DateTimeField(null=True, blank=True, verbose_name=_("opgepakt op"))
    attempts = models.PositiveSmallIntegerField(_("pogingen"), default=0)
    last_error = models.CharField(_("laatste fout"), max_length=300, blank=True)

    class Meta:
        abstract = True


class OutgoingMailStatus(models.TextChoices):
    PENDING = "pending", _("klaar om te versturen")
    SENDING = "sending", _("wordt verstuurd")
    SENT = "sent", _("verstuurd")
    CANCELLED = "cancelled", _("niet meer nodig")
    FAILED = "failed", _("mislukt")


class OutgoingMail(Queued):
    """One mail that a request asked for, written in the same transaction as what it is about.

    A worker sends it after commit; how it is sent once, and why its context is emptied: stagegids/outbox.py.
    """

    template = models.CharField(_("sjabloon"), max_length=50)
    recipient = models.EmailField(_("aan"))
    # JSON values and references to rows ({"__model__": "app.model", "pk": 1}), resolved when the mail is sent.
    context = models.JSONField(default=dict, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=OutgoingMailStatus.choices, default=OutgoingMailStatus.PENDING
    )
    created_at = models.DateTimeField(_("aangemaakt"), default=timezone.now)
    sent_at = models.DateTimeField(_("verstuurd op"), null=True, blank=True)

    class Meta:
        verbose_name = _("uitgaande e-mail")
        verbose_name_plural = _("uitgaande e-mails")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(
                fields=["status", "enqueued_at"],
                condition=Q(status__in=["pending", "sending"]),
                name="outgoing_mail_open",
            )
        ]

    def __str__(self):
        return f"{self.template} → {self.recipient}"

    @property
    def message_id(self):
        """Stable across attempts, so a mail sent twice (worker killed after the send) is shown once."""
        return queued.message_id("mail", self)


class ReminderStatus(models.TextChoices):
    PENDING = "pending", _("klaar om te versturen")
    DIGEST = "digest", _("wacht op het dagoverzicht")
    SENDING = "sending", _("wordt verstuurd")
    SENT = "sent", _("verstuurd")
    SKIPPED = "skipped", _("niet meer nodig")
    FAILED = "failed", _("mislukt")


class Reminder(Queued):
    """One reminder to one person about one thing at one occasion; the unique key makes it exist once.

    `subject_type` and `subject_id` name the thing (a moment, a stage, an erkenning); `occasion` (such as "7d", the
    week before), `occasion_at` (the moment's time, the due date) and `sequence` (the moment's) say which occasion
    it is for. A moment that moves or changes gets a new key, so a new reminder, while the one that went out stays
    sent. How a row is sent exactly once: stagegids/reminders.py.
    """

    subject_type = models.CharField(max_length=50, verbose_name=_("soort onderwerp"))
    subject_id = models.PositiveBigIntegerField(verbose_name=_("onderwerp-id"))
    kind = models.CharField(_("soort"), max_length=50)
    occasion = models.CharField(max_length=20, verbose_name=_("aanleiding"))
    occasion_at = models.DateTimeField(verbose_name=_("tijdstip van de aanleiding"))
    sequence = models.PositiveIntegerField(default=0, verbose_name=_("volgnummer"))
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminders", verbose_name=_("ontvanger")
    )
    role = models.CharField(_("als"), max_length=30)
    status = models.CharField(
        _("status"), max_length=10, choices=ReminderStatus.choices, default=ReminderStatus.PENDING
    )
    # Set when the person chose the daily digest, so a digest claim that was lost returns to the digest.
    digest = models.BooleanField(default=False, verbose_name=_("in het dagoverzicht"))
    created_at = models.DateTimeField(default=timezone.now, verbose_name=_("aangemaakt op"))
    sent_at = models.DateTimeField(_("verstuurd op"), null=True, blank=True)

    class Meta:
        # The table it had when it lived in beoordeling: moving the model kept the rows (migration 0005).
        db_table = "beoordeling_reminder"
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


class RetentionRun(models.Model):
    """One run of the retention rules (stagegids/retention.py): what it removed or anonymised, per category.

    `running` is true only inside the run's transaction; the partial unique constraint makes a second run that
    starts meanwhile wait for the first to commit (and then find nothing left)."""

    started_at = models.DateTimeField(_("gestart"))
    finished_at = models.DateTimeField(_("klaar"), null=True, blank=True)
    running = models.BooleanField(default=False)
    # {category code: rows removed or anonymised}; labels from the registry (retention.label_of).
    counts = models.JSONField(_("aantallen"), default=dict)
    files = models.PositiveIntegerField(_("bestanden verwijderd"), default=0)

    class Meta:
        verbose_name = _("opruimronde (bewaartermijnen)")
        verbose_name_plural = _("opruimrondes (bewaartermijnen)")
        ordering = ["-started_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["running"], condition=Q(running=True), name="retention_one_run_at_a_time")
        ]

    def __str__(self):
        return f"{timezone.localtime(self.started_at):%d-%m-%Y %H:%M}"

    @property
    def total(self):
        return sum(self.counts.values())


class RecoveryCode(models.Model):
    """One of a person's recovery codes for the second step of the login (stagegids/twofactor.py).

    Only an HMAC of the code is kept: the page that made them showed them once. A code is used by a conditional
    update on `used_at`, so of two requests with the same code one gets in."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="recovery_codes", verbose_name=_("gebruiker")
    )
    digest = models.CharField(_("controlewaarde"), max_length=64)
    created_at = models.DateTimeField(_("aangemaakt"), default=timezone.now)
    used_at = models.DateTimeField(_("gebruikt op"), null=True, blank=True)

    class Meta:
        verbose_name = _("herstelcode")
        verbose_name_plural = _("herstelcodes")
        constraints = [models.UniqueConstraint(fields=["user", "digest"], name="recovery_code_unique")]

    def __str__(self):
        return str(_("herstelcode"))
