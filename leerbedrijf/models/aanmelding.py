"""A leerbedrijf that registers itself (issue 12): its praktijkopleider fills in the company and himself, and only
when he confirms his e-mail address through the single-use link do the leerbedrijf, his account and his role
exist. Until then the aanmelding is all there is, and it expires like an invitation."""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import IntegrityError, models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from stagegids.models import Wijziging
from stagegids.roles import Role
from stagegids.tokens import hash_token, new_token

from .organisatie import (
    Leerbedrijf,
    LeerbedrijfAction,
    Membership,
    validate_kvk_nummer,
    validate_postcode,
    validate_sbb_leerbedrijf_id,
)


class AanmeldingQuerySet(models.QuerySet):
    def open(self):
        return self.filter(confirmed_at__isnull=True, expires_at__gt=timezone.now())


class Bevestiging(models.TextChoices):
    """What a click on the confirmation link did."""

    BEVESTIGD = "bevestigd"
    AL_BEVESTIGD = "al_bevestigd"
    VERLOPEN = "verlopen"
    # The KvK-nummer or the e-mail address came into use after the aanmelding (another aanmelding, an invitation).
    BEZET = "bezet"


class Aanmelding(models.Model):
    # The leerbedrijf as it will be made
    name = models.CharField(_("naam van het bedrijf"), max_length=200)
    kvk_nummer = models.CharField(_("KvK-nummer"), max_length=8, validators=[validate_kvk_nummer])
    sbb_leerbedrijf_id = models.CharField(
        _("SBB leerbedrijf-ID"), max_length=20, blank=True, validators=[validate_sbb_leerbedrijf_id]
    )
    straat = models.CharField(_("straat en huisnummer"), max_length=200)
    postcode = models.CharField(_("postcode"), max_length=7, validators=[validate_postcode])
    plaats = models.CharField(_("plaats"), max_length=100)
    # Its first praktijkopleider; the password is kept hashed until the account is made, then forgotten here.
    contact_name = models.CharField(_("naam praktijkopleider"), max_length=150)
    email = models.EmailField(_("e-mailadres"))
    password = models.CharField(max_length=128, editable=False, verbose_name=_("wachtwoord (versleuteld)"))
    token_hash = models.CharField(max_length=64, unique=True, editable=False, verbose_name=_("hash van de link"))
    created_at = models.DateTimeField(_("aangemeld op"), default=timezone.now)
    expires_at = models.DateTimeField(_("verloopt op"))
    confirmed_at = models.DateTimeField(_("bevestigd op"), null=True, blank=True)
    leerbedrijf = models.ForeignKey(
        Leerbedrijf, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("leerbedrijf")
    )

    objects = AanmeldingQuerySet.as_manager()

    class Meta:
        verbose_name = _("aanmelding van een leerbedrijf")
        verbose_name_plural = _("aanmeldingen van leerbedrijven")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.name} ({self.kvk_nummer})"

    @classmethod
    def create(cls, *, password, **fields):
        """Record an aanmelding; returns it with the plain token, which exists only in the e-mail."""
        token, token_hash = new_token()
        aanmelding = cls.objects.create(
            password=make_password(password),
            token_hash=token_hash,
            expires_at=timezone.now() + timedelta(days=settings.INVITATION_VALID_DAYS),
            **fields,
        )
        return aanmelding, token

    @classmethod
    def for_token(cls, token):
        """The aanmelding of a link, whatever its state (a second click must find the first)."""
        return cls.objects.filter(token_hash=hash_token(token)).select_related("leerbedrijf").first()

    @property
    def is_open(self):
        return self.confirmed_at is None and self.expires_at > timezone.now()

    @property
    def status(self):
        if self.confirmed_at:
            return _("bevestigd")
        return _("wacht op bevestiging") if self.is_open else _("verlopen")

    def confirm(self):
        """Make the leerbedrijf, the account and the praktijkopleider's role; returns (Bevestiging, user).

        Claimed with a conditional update: a second click, or a parallel one, makes nothing. Once the leerbedrijf
        exists, other open aanmeldingen for its KvK-nummer or this address can no longer be confirmed and expire.
        """
        now = timezone.now()
        with transaction.atomic():
            if not Aanmelding.objects.open().filter(pk=self.pk).update(confirmed_at=now, password=""):
                return self._why_not(), None
            User = get_user_model()
            if (
                Leerbedrijf.objects.filter(kvk_nummer=self.kvk_nummer).exists()
                or User.objects.filter(email__iexact=self.email).exists()
            ):
                transaction.set_rollback(True)
                return Bevestiging.BEZET, None
            try:
                # A savepoint: two aanmeldingen for one KvK-nummer confirmed at once meet at the unique index.
                with transaction.atomic():
                    leerbedrijf = Leerbedrijf.objects.create(
                        name=self.name,
                        kvk_nummer=self.kvk_nummer,
                        sbb_leerbedrijf_id=self.sbb_leerbedrijf_id,
                        straat=self.straat,
                        postcode=self.postcode,
                        plaats=self.plaats,
                    )
                    user = User(email=self.email, name=self.contact_name, password=self.password)
                    user.save()
            except IntegrityError:
                transaction.set_rollback(True)
                return Bevestiging.BEZET, None
            Membership.grant(user=user, role=Role.PRAKTIJKOPLEIDER, leerbedrijf=leerbedrijf)
            Aanmelding.objects.filter(pk=self.pk).update(leerbedrijf=leerbedrijf)
            # Skipping the rows another confirmation holds: waiting for them could deadlock with it, and that one
            # meets the unique index after this commit anyway.
            siblings = (
                Aanmelding.objects.open()
                .filter(Q(kvk_nummer=self.kvk_nummer) | Q(email=self.email))
                .select_for_update(skip_locked=True)
                .values_list("pk", flat=True)
            )
            Aanmelding.objects.filter(pk__in=list(siblings)).update(expires_at=now, password="")
            Wijziging.log(leerbedrijf, LeerbedrijfAction.AANGEMELD, user=user, role=Role.PRAKTIJKOPLEIDER)
        self.confirmed_at, self.leerbedrijf, self.password = now, leerbedrijf, ""
        return Bevestiging.BEVESTIGD, user

    def _why_not(self):
        current = Aanmelding.objects.filter(pk=self.pk).values_list("confirmed_at", flat=True).first()
        return Bevestiging.AL_BEVESTIGD if current else Bevestiging.VERLOPEN
