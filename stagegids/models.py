from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


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

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["name"]

    class Meta:
        verbose_name = _("gebruiker")
        verbose_name_plural = _("gebruikers")
        constraints = [models.UniqueConstraint(Lower("email"), name="user_email_unique_ci")]

    def __str__(self):
        return self.name or self.email

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
