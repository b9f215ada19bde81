"""Beoordelingsformulieren and beoordelingen (chapter 9 of the gids): tussenbeoordeling, bpv-beoordeling and pvb.

A Formuliersjabloon is what a form asks; a Beoordeling copies its criteria when it starts, so changing a sjabloon
never changes a form that was filled in. The life of a beoordeling is a small state machine: one method per
transition, each checking its precondition and writing to the trail (stagegids.Wijziging), so every change is
traceable to a person.
Concurrent edits are refused by a revision number that every save compares and bumps in one conditional UPDATE.
"""

from datetime import timedelta

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.db import models, transaction
from django.db.models import Exists, F, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _

from leerbedrijf.models import Erkenning, Kwalificatie, Leerbedrijf, Stage, Werkproces, on_stages, roles_of
from stagegids.concurrency import StaleEdit, save_if_current
from stagegids.models import Wijziging
from stagegids.roles import SCHOOL_SIDE, Role
from stagegids.tokens import hash_token, new_token
from stagemap.signals import document_finished
from stageplan.models import Moment, MomentKind

from ..zorgen.models import Zorg


class BeoordelingKind(models.TextChoices):
    TUSSENBEOORDELING = "tussenbeoordeling", _("tussenbeoordeling")
    BPV = "bpv", _("bpv-beoordeling")
    PVB = "pvb", _("proeve van bekwaamheid")


EIND_KINDS = (BeoordelingKind.BPV, BeoordelingKind.PVB)
# Who sees every beoordeling of a stage (BeoordelingQuerySet.visible_to); the school sees only the eindbeoordelingen.
BEOORDELING_READERS = (Role.PRAKTIJKOPLEIDER, Role.STAGIAIR, Role.PRAKTIJKBEOORDELAAR)
# The planned moment a beoordeling of each kind is held at.
MOMENT_KINDS = {
    BeoordelingKind.TUSSENBEOORDELING: MomentKind.TUSSENBEOORDELING,
    BeoordelingKind.BPV: MomentKind.EINDBEOORDELING,
    BeoordelingKind.PVB: MomentKind.EINDBEOORDELING,
}
MBO_FIELDS = ("mbo_inhoudelijke_opdracht", "mbo_eindproduct", "mbo_projectmap")


class Schaal(models.TextChoices):
    """The branch's own scale (nooit / oefenen / voldoende / goed) is what a new form starts with; the three-step one
    stays for the forms that chose it."""

    OVG = "ovg", _("onvoldoende / voldoende / goed")
    NOVG = "novg", _("nooit / oefenen / voldoende / goed")


# Per scale its steps, low to high, and whether a step counts as voldoende.
SCALES = {
    Schaal.OVG: (
        ("onvoldoende", _("onvoldoende"), False),
        ("voldoende", _("voldoende"), True),
        ("goed", _("goed"), True),
    ),
    Schaal.NOVG: (
        ("nooit", _("nooit"), False),
        ("oefenen", _("oefenen"), False),
        ("voldoende", _("voldoende"), True),
        ("goed", _("goed"), True),
    ),
}
NVT = "nvt"
# A colleague answers within days of being asked, before the beoordeling; an old link should not linger.
COLLEGA_FEEDBACK_VALID_DAYS = 10

# The beroepshouding the gids asks colleagues about and every form checks; "werkt veilig" is critical in the branch.
DEFAULT_HOUDING = (
    (_("Is op tijd en houdt zich aan afspraken"), False),
    (_("Leert van feedback"), False),
    (_("Werkt veilig"), True),
    (_("Werkt zelfstandig"), False),
    (_("Werkt goed samen met collega's en klanten"), False),
)


# What a change after a signature does: the signatures no longer cover the content, so they go.
UNSIGNED = {
    "bedrijf_signed_by": None,
    "bedrijf_signed_at": None,
    "stagiair_signed_by": None,
    "stagiair_signed_at": None,
}


SIGNED_UNCHANGEABLE = _("Deze beoordeling is ondertekend; een wijziging kan alleen in een gecorrigeerde versie.")


class TransitionNotAllowed(Exception):
    """The beoordeling is not in a state that allows this step; the message says why in Dutch."""


class AlreadyDone(TransitionNotAllowed):
    """The step was done already (a second click, or two at once): nothing changed, and the message says so."""


class FormuliersjabloonQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(leerbedrijf__in=roles_of(user).leerbedrijf_ids(Role.PRAKTIJKOPLEIDER))


class Formuliersjabloon(models.Model):
    """What a beoordelingsformulier asks, per kind and kwalificatie; without a leerbedrijf, the portal's default."""

    kind = models.CharField(_("soort"), max_length=20, choices=BeoordelingKind.choices)
    kwalificatie = models.ForeignKey(Kwalificatie, on_delete=models.CASCADE, related_name="+")
    leerbedrijf = models.ForeignKey(
        Leerbedrijf, on_delete=models.CASCADE, null=True, blank=True, related_name="formuliersjablonen"
    )
    scale = models.CharField(_("schaal"), max_length=10, choices=Schaal.choices, default=Schaal.NOVG)
    updated_at = models.DateTimeField(_("gewijzigd op"), default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("bijgewerkt door"),
    )

    objects = FormuliersjabloonQuerySet.as_manager()

    class Meta:
        verbose_name = _("formuliersjabloon")
        verbose_name_plural = _("formuliersjablonen")
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "kwalificatie", "leerbedrijf"],
                condition=Q(leerbedrijf__isnull=False),
                name="sjabloon_unique_per_leerbedrijf",
            ),
            models.UniqueConstraint(
                fields=["kind", "kwalificatie"], condition=Q(leerbedrijf__isnull=True), name="sjabloon_unique_default"
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} – {self.kwalificatie.name}"

    @classmethod
    def default_for(cls, *, kind, kwalificatie):
        """The portal's default sjabloon, generated from the kwalificatie's werkprocessen when first needed."""
        with transaction.atomic():
            sjabloon, created = cls.objects.get_or_create(kind=kind, kwalificatie=kwalificatie, leerbedrijf=None)
            if created:
                sjabloon.criteria.bulk_create(cls._default_criteria(sjabloon, kwalificatie))
        return sjabloon

    @staticmethod
    def _default_criteria(sjabloon, kwalificatie):
        rows = []
        for werkproces in Werkproces.objects.for_kwalificatie(kwalificatie).order_by("kerntaak__code", "code"):
            rows.append(
                Sjablooncriterium(
                    sjabloon=sjabloon,
                    werkproces=werkproces,
                    text=werkproces.resultaat or _t("Voert het werkproces zelfstandig en volgens de opdracht uit"),
                    critical=True,
                    order=len(rows),
                )
            )
            rows.append(
                Sjablooncriterium(
                    sjabloon=sjabloon,
                    werkproces=werkproces,
                    text=werkproces.gedrag or _t("Werkt nauwkeurig en controleert het eigen werk"),
                    order=len(rows),
                )
            )
        for text, critical in DEFAULT_HOUDING:
            rows.append(Sjablooncriterium(sjabloon=sjabloon, text=str(text), critical=critical, order=len(rows)))
        return rows

    @classmethod
    def for_stage(cls, *, kind, stage):
        own = cls.objects.filter(kind=kind, kwalificatie_id=stage.kwalificatie_id, leerbedrijf_id=stage.leerbedrijf_id)
        return own.first() or cls.default_for(kind=kind, kwalificatie=stage.kwalificatie)

    @classmethod
    def for_leerbedrijf(cls, *, kind, kwalificatie, leerbedrijf):
        """The leerbedrijf's own sjabloon and [], or, until it first adjusts one, an unsaved copy of the default and
        the default's criteria: opening the form writes nothing; saving it makes the leerbedrijf's own copy."""
        own = cls.objects.filter(kind=kind, kwalificatie=kwalificatie, leerbedrijf=leerbedrijf).first()
        if own is not None:
            return own, []
        draft = cls(kind=kind, kwalificatie=kwalificatie, leerbedrijf=leerbedrijf)
        default = cls.objects.filter(kind=kind, kwalificatie=kwalificatie, leerbedrijf=None).first()
        if default is None:
            return draft, cls._default_criteria(draft, kwalificatie)
        draft.scale = default.scale
        return draft, list(default.criteria.all())


class Sjablooncriterium(models.Model):
    sjabloon = models.ForeignKey(Formuliersjabloon, on_delete=models.CASCADE, related_name="criteria")
    werkproces = models.ForeignKey(
        Werkproces,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("werkproces"),
        help_text=_("Leeg voor beroepshouding."),
    )
    text = models.CharField(_("criterium"), max_length=500)
    critical = models.BooleanField(
        _("kritisch"), default=False, help_text=_("Eén onvoldoende maakt het werkproces onvoldoende.")
    )
    order = models.PositiveSmallIntegerField(_("volgorde"), default=0)

    class Meta:
        verbose_name = _("criterium")
        verbose_name_plural = _("criteria")
        ordering = ["order", "pk"]

    def __str__(self):
        return self.text


class BeoordelingState(models.TextChoices):
    INVULLEN = "invullen", _("wordt ingevuld")
    GESPREK = "gesprek", _("in gesprek")
    ONDERTEKEND = "ondertekend", _("ondertekend")
    VERVANGEN = "vervangen", _("vervangen door een correctie")


class Party(models.TextChoices):
    """A part of the form, filled in by one side; the company's part of a bpv-beoordeling is the leerbedrijf's, since
    the praktijkopleider or the stage's praktijkbeoordelaar fills it in."""

    PRAKTIJKOPLEIDER = "praktijkopleider", _("praktijkopleider")
    STAGIAIR = "stagiair", _("stagiair")
    PRAKTIJKBEOORDELAAR = "praktijkbeoordelaar", _("praktijkbeoordelaar")
    LEERBEDRIJF = "leerbedrijf", _("leerbedrijf")


# Per kind the parts of its form, the company's first.
PARTIES = {
    BeoordelingKind.TUSSENBEOORDELING: (Party.PRAKTIJKOPLEIDER, Party.STAGIAIR),
    BeoordelingKind.BPV: (Party.LEERBEDRIJF,),
    BeoordelingKind.PVB: (Party.PRAKTIJKBEOORDELAAR,),
}
# Per kind who fills in the company's part, concludes and signs for the company (gids ch. 9), in the order in which a
# person holding both acts: the tussenbeoordeling the praktijkopleider; the bpv-beoordeling the praktijkopleider or
# the beoordelaar assigned to the stage (its praktijkbeoordelaar); the pvb, an exam, the praktijkbeoordelaar alone.
COMPANY_ROLES = {
    BeoordelingKind.TUSSENBEOORDELING: (Role.PRAKTIJKOPLEIDER,),
    BeoordelingKind.BPV: (Role.PRAKTIJKOPLEIDER, Role.PRAKTIJKBEOORDELAAR),
    BeoordelingKind.PVB: (Role.PRAKTIJKBEOORDELAAR,),
}


class BeoordelingAction(models.TextChoices):
    """What the trail says about a beoordeling; a label names the data it is formatted with."""

    STARTED = "beoordeling_started", _("Beoordeling gestart")
    OPENED = "gesprek_geopend", _("Gesprek geopend: beide ingevulde formulieren zijn zichtbaar")
    CONCLUSIE_SAVED = "conclusie_saved", _("Conclusie gewijzigd")
    SCHOOL_PART_SAVED = "school_part_saved", _("Deel van de school opgeslagen")
    SIGNATURES_WITHDRAWN = "signatures_withdrawn", _("Handtekeningen vervallen door de wijziging")
    SIGNED = "signed", _("Ondertekend door %(side)s")
    SIGNED_BY_BOTH = "signed_by_both", _("Door beide partijen ondertekend")
    REPLACED = "replaced", _("Vervangen door versie %(version)s")
    CORRECTED = "corrected", _("Correctie van versie %(version)s")
    ANSWERS_SAVED = "answers_saved", _("Antwoorden %(party)s opgeslagen")
    FORM_SUBMITTED = "form_submitted", _("Formulier %(party)s ingeleverd")
    ANSWERS_REFUSED = "answers_refused", _("Antwoorden %(party)s níet opgeslagen: iemand anders sloeg intussen op")
    COLLEGA_ASKED = "collega_asked", _("Collega-feedback gevraagd aan %(name)s")
    COLLEGA_RESENT = "collega_resent", _("Nieuwe link voor collega-feedback gestuurd aan %(name)s")
    COLLEGA_REVOKED = "collega_revoked", _("Vraag om collega-feedback aan %(name)s ingetrokken")


def _party_label(text):
    """The label of an action about one party's form names that party in words."""
    return lambda wijziging: str(text) % {"party": Party(wijziging.data["party"]).label}


Wijziging.register_actions(
    {
        **dict(BeoordelingAction.choices),
        BeoordelingAction.ANSWERS_SAVED: _party_label(BeoordelingAction.ANSWERS_SAVED.label),
        BeoordelingAction.FORM_SUBMITTED: _party_label(BeoordelingAction.FORM_SUBMITTED.label),
        BeoordelingAction.ANSWERS_REFUSED: _party_label(BeoordelingAction.ANSWERS_REFUSED.label),
    }
)


class Conclusie(models.TextChoices):
    JA = "ja", _("ja, op weg naar het eindniveau")
    TWIJFEL = "twijfel", _("twijfel: extra aandacht nodig")
    NEE = "nee", _("nee, nog niet op weg naar het eindniveau")


# The conclusions of a tussenbeoordeling that call for extra attention.
CONCERNING = frozenset({Conclusie.TWIJFEL, Conclusie.NEE})


class Uitkomst(models.TextChoices):
    BEHAALD = "behaald", _("behaald")
    NIET_BEHAALD = "niet_behaald", _("niet behaald")


class BeoordelingQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The praktijkopleider, the stagiair and the stage's praktijkbeoordelaar; the stage's mbo-begeleider sees
        the eindbeoordelingen, in which the school has a part of its own (a tussenbeoordeling reaches the school
        through a shared verslag)."""
        return self.filter(on_stages(user, BEOORDELING_READERS) | on_stages(user, SCHOOL_SIDE, kind__in=EIND_KINDS))

    def current(self):
        return self.exclude(state=BeoordelingState.VERVANGEN)


class Beoordeling(models.Model):
    stage = models.ForeignKey(Stage, on_delete=models.CASCADE, related_name="beoordelingen")
    kind = models.CharField(_("soort"), max_length=20, choices=BeoordelingKind.choices)
    state = models.CharField(
        _("status"), max_length=20, choices=BeoordelingState.choices, default=BeoordelingState.INVULLEN
    )
    scale = models.CharField(_("schaal"), max_length=10, choices=Schaal.choices)
    sjabloon = models.ForeignKey(Formuliersjabloon, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    # The planned moment (stageplan) it is held at; a correction keeps it. Empty when started without a plan.
    moment = models.ForeignKey(
        Moment,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="beoordelingen",
        verbose_name=_("gepland moment"),
    )
    version = models.PositiveSmallIntegerField(_("versie"), default=1)
    previous = models.OneToOneField("self", on_delete=models.PROTECT, null=True, blank=True, related_name="correction")
    correction_reason = models.TextField(_("reden van de correctie"), blank=True)
    # Compared and bumped by every save: a save based on an older revision is refused (stagegids.concurrency).
    revision = models.PositiveIntegerField(default=0, editable=False)

    conclusie = models.CharField(
        _("ontwikkelt de stagiair zich voldoende richting het beoogde eindniveau?"),
        max_length=10,
        choices=Conclusie.choices,
        blank=True,
    )
    conclusie_toelichting = models.TextField(_("toelichting"), blank=True)
    afspraken = models.TextField(_("afspraken"), blank=True)
    uitkomst = models.CharField(_("uitkomst"), max_length=15, choices=Uitkomst.choices, blank=True)
    observaties_beoordelaar = models.TextField(_("observaties van de praktijkbeoordelaar"), blank=True)
    mbo_inhoudelijke_opdracht = models.TextField(_("inhoudelijke opdracht (mbo-begeleider)"), blank=True)
    mbo_eindproduct = models.TextField(_("eindproduct (mbo-begeleider)"), blank=True)
    mbo_projectmap = models.TextField(_("projectmap (mbo-begeleider)"), blank=True)
    mbo_updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    mbo_updated_at = models.DateTimeField(null=True, blank=True)

    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    opened_at = models.DateTimeField(null=True, blank=True)
    bedrijf_signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    bedrijf_signed_at = models.DateTimeField(null=True, blank=True)
    stagiair_signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    stagiair_signed_at = models.DateTimeField(null=True, blank=True)

    # The same rows as Wijziging.objects.for_object(beoordeling); declared so that deleting it deletes its trail.
    wijzigingen = GenericRelation(Wijziging, related_query_name="beoordeling")

    objects = BeoordelingQuerySet.as_manager()

    class Meta:
        verbose_name = _("beoordeling")
        verbose_name_plural = _("beoordelingen")
        ordering = ["-created_at"]

    def __str__(self):
        return _t("%(kind)s van %(stagiair)s (versie %(version)s)") % {
            "kind": self.get_kind_display(),
            "stagiair": self.stage.stagiair.name,
            "version": self.version,
        }

    def get_absolute_url(self):
        return reverse("beoordeling:detail", args=[self.pk])

    @property
    def is_eind(self):
        return self.kind in EIND_KINDS

    @property
    def parties(self):
        return PARTIES[self.kind]

    @property
    def observaties_label(self):
        """The observaties of an eindbeoordeling are those of whoever filled it in for the company."""
        if self.kind == BeoordelingKind.PVB:
            return _t("Observaties van de praktijkbeoordelaar")
        return _t("Observaties van het leerbedrijf")

    def signed_as(self, side):
        """The role the current signature of `side` was given in, as the trail recorded it when it was given."""
        signed = (
            Wijziging.objects.for_object(self)
            .filter(action=BeoordelingAction.SIGNED, data__side=side)
            .newest_first()
            .first()
        )
        return signed.role if signed is not None else ""

    @property
    def bedrijf_signer(self):
        """Who signed for the company as the page shows it: an anonymised account as "voormalig <role>"."""
        user = self.bedrijf_signed_by
        if user is None or not user.anonymised_at:
            return user.display_name if user else ""
        role = self.signed_as("bedrijf")
        return user.signed_as(Role(role).label.lower() if role else _("praktijkopleider"))

    @property
    def stagiair_signer(self):
        user = self.stagiair_signed_by
        return user.signed_as(_("stagiair")) if user else ""

    @property
    def revealed(self):
        return self.state != BeoordelingState.INVULLEN

    def scale_steps(self):
        return SCALES[self.scale]

    # --- who is who on this beoordeling -----------------------------------------------------------------------

    def company_role(self, user):
        """The role in which `user` fills in, concludes and signs this beoordeling for the company, or ""."""
        return next((role for role in COMPANY_ROLES[self.kind] if self.stage.holds(user, role)), "")

    def party_of(self, user):
        """The part of the form this user fills in, or None."""
        if self.company_role(user):
            return self.parties[0]
        if Party.STAGIAIR in self.parties and self.stage.is_stagiair(user):
            return Party.STAGIAIR
        return None

    def signer_side(self, user):
        """'bedrijf' or 'stagiair': the signature this user gives, or None."""
        if self.stage.is_stagiair(user):
            return "stagiair"
        if self.company_role(user):
            return "bedrijf"
        return None

    def may_see_answers_of(self, user, invulling):
        return self.revealed or invulling.party == self.party_of(user)

    @property
    def proposes_zorg(self):
        """A tussenbeoordeling concluding twijfel or nee proposes to record a concern and plan an extra gesprek
        (issue 15), until one is recorded from it (or from the version it corrects)."""
        return (
            self.kind == BeoordelingKind.TUSSENBEOORDELING and self.conclusie in CONCERNING and not self.zorg_recorded()
        )

    def zorg_recorded(self):
        """The concern recorded from this beoordeling (or the version it corrects), or None."""
        versions = [self.pk, self.previous_id] if self.previous_id else [self.pk]
        return Zorg.objects.filter(beoordeling__in=versions).order_by("pk").first()

    # --- transitions ------------------------------------------------------------------------------------------

    @classmethod
    def open_moments(cls, stage=None):
        """The planned beoordelingsmomenten (of `stage`) that have no beoordeling yet, first one first."""
        started = cls.objects.current().filter(moment=OuterRef("pk"))
        moments = Moment.objects.planned().filter(~Exists(started), kind__in=set(MOMENT_KINDS.values()))
        if stage is not None:
            moments = moments.filter(stage=stage)
        return moments.order_by("starts_at")

    @classmethod
    def started_count(cls, stage):
        """How many beoordelingen `stage` has: the page that offers a start without a planned moment names it, so
        that a second click (or a colleague who started one meanwhile) starts nothing."""
        return cls.objects.filter(stage=stage).count()

    @classmethod
    def start(cls, *, stage, kind, by, moment=None, seen=None):
        """Start a beoordeling on a planned `moment`, or without one when the stage still has the `seen` number of
        beoordelingen its page showed. The stage's row is locked first, so two starts at once are one after the
        other: the second finds the moment taken or the number changed (TransitionNotAllowed)."""
        sjabloon = Formuliersjabloon.for_stage(kind=kind, stage=stage)
        with transaction.atomic():
            Stage.objects.select_for_update().filter(pk=stage.pk).first()
            if moment is not None and (
                moment.stage_id != stage.pk
                or moment.kind != MOMENT_KINDS[kind]
                or not cls.open_moments(stage).filter(pk=moment.pk).exists()
            ):
                raise TransitionNotAllowed(
                    _t("Voor dit geplande moment is al een beoordeling gestart, of het past niet bij deze soort.")
                )
            if moment is None and seen is not None and cls.started_count(stage) != seen:
                raise TransitionNotAllowed(
                    _t(
                        "Er is intussen al een beoordeling gestart. Kijk hieronder of het de beoordeling is die u "
                        "wilde starten."
                    )
                )
            beoordeling = cls.objects.create(
                stage=stage, kind=kind, moment=moment, scale=sjabloon.scale, sjabloon=sjabloon, created_by=by
            )
            beoordeling.criteria.bulk_create(
                Criterium(
                    beoordeling=beoordeling,
                    werkproces=c.werkproces,
                    werkproces_label=str(c.werkproces) if c.werkproces else "",
                    text=c.text,
                    critical=c.critical,
                    order=c.order,
                )
                for c in sjabloon.criteria.select_related("werkproces")
            )
            beoordeling.invullingen.bulk_create(
                Invulling(beoordeling=beoordeling, party=p) for p in beoordeling.parties
            )
            beoordeling.log_action(BeoordelingAction.STARTED, by=by)
        return beoordeling

    def _transition(self, *, expected, by, action, data=None, where=None, **fields):
        """Move to a new state with one conditional UPDATE, so two people clicking at once cannot both succeed: the
        row must be in one of the `expected` states and meet the conditions `where`."""
        changed = Beoordeling.objects.filter(pk=self.pk, state__in=expected, **(where or {})).update(
            revision=F("revision") + 1, **fields
        )
        if not changed:
            raise TransitionNotAllowed(_t("Deze stap kan niet meer: de beoordeling is intussen gewijzigd."))
        self.log_action(action, by=by, data=data)
        self.refresh_from_db()

    def open_gesprek(self, *, by):
        """The praktijkopleider opens the gesprek: both parts become visible, submitted or not. An eindbeoordeling has
        one form, whose filler hands it in to start the gesprek: a pvb is the praktijkbeoordelaar's alone."""
        if self.is_eind:
            raise TransitionNotAllowed(
                _t("Het gesprek over een eindbeoordeling begint zodra het formulier is ingeleverd.")
            )
        if self.state != BeoordelingState.INVULLEN:
            raise TransitionNotAllowed(_t("Het gesprek is al geopend."))
        self._transition(
            expected=[BeoordelingState.INVULLEN],
            by=by,
            action=BeoordelingAction.OPENED,
            state=BeoordelingState.GESPREK,
            opened_by=by,
            opened_at=timezone.now(),
        )

    def _reveal_when_all_submitted(self, *, by):
        if not self.invullingen.filter(submitted_at__isnull=True).exists():
            Beoordeling.objects.filter(pk=self.pk, state=BeoordelingState.INVULLEN).update(
                state=BeoordelingState.GESPREK, opened_at=timezone.now(), revision=F("revision") + 1
            )
            self.refresh_from_db()

    def save_conclusie(self, *, by, revision, **fields):
        if self.state != BeoordelingState.GESPREK:
            raise TransitionNotAllowed(_t("De conclusie kan alleen tijdens het gesprek worden ingevuld."))
        self._save_fields(
            by=by,
            revision=revision,
            states=[BeoordelingState.GESPREK],
            action=BeoordelingAction.CONCLUSIE_SAVED,
            fields=fields,
        )

    @property
    def school_part_open(self):
        return self.is_eind and self.state in (BeoordelingState.INVULLEN, BeoordelingState.GESPREK)

    def save_mbo_deel(self, *, by, revision, **fields):
        """The mbo-begeleider's part of an eindbeoordeling: the school's judgement of opdracht, eindproduct and map."""
        if not self.is_eind:
            raise TransitionNotAllowed(_t("Alleen een eindbeoordeling heeft een deel van de school."))
        if not self.school_part_open:
            raise TransitionNotAllowed(SIGNED_UNCHANGEABLE)
        self._save_fields(
            by=by,
            revision=revision,
            states=[BeoordelingState.INVULLEN, BeoordelingState.GESPREK],
            action=BeoordelingAction.SCHOOL_PART_SAVED,
            fields=fields,
            on_change={"mbo_updated_by": by, "mbo_updated_at": timezone.now()},
        )

    def _save_fields(self, *, by, revision, states, action, fields, on_change=None):
        """Store `fields` if the row is still at `revision` (else StaleEdit) and in one of `states`.

        A change withdraws the signatures already given: they covered the old text. Compared with the stored row,
        since a ModelForm has already written the new values onto this instance."""
        stored = Beoordeling.objects.values(*fields).get(pk=self.pk)
        changes = {name: [stored[name], value] for name, value in fields.items() if stored[name] != value}
        changed = {**(on_change or {}), **UNSIGNED} if changes else {}
        with transaction.atomic():
            save_if_current(
                Beoordeling.objects.filter(pk=self.pk, state__in=states),
                field="revision",
                seen=revision,
                **fields,
                **changed,
            )
            if changes:
                self.log_action(action, by=by, changes=changes)
                self._log_withdrawn(by)
        self.refresh_from_db()

    def _log_withdrawn(self, by):
        if self.bedrijf_signed_at or self.stagiair_signed_at:
            self.log_action(BeoordelingAction.SIGNATURES_WITHDRAWN, by=by)

    def already_signed_message(self, side):
        signed_by, signed_at = getattr(self, f"{side}_signed_by"), getattr(self, f"{side}_signed_at")
        return _t("Al ondertekend door %(name)s op %(when)s; er is niets gewijzigd.") % {
            "name": signed_by.name if signed_by else "–",
            "when": date_format(timezone.localtime(signed_at), "j F Y H:i"),
        }

    @property
    def has_signature(self):
        """Signed by either side: a change to the answers would withdraw it, so the form is not saved by itself."""
        return bool(self.bedrijf_signed_at or self.stagiair_signed_at)

    def missing_for_signing(self):
        if self.is_eind:
            return [] if self.uitkomst else [_t("Vul eerst de uitkomst in.")]
        return [] if self.conclusie else [_t("Vul eerst de conclusie in.")]

    def sign(self, *, by):
        """One side's signature, given once: of two clicks at once one signs and the other is told it was done.

        The second signature makes the beoordeling final. That step is conditional on both signatures being stored,
        so of two people signing at once, whoever's update comes second (PostgreSQL makes it wait for the row)
        sees both and finishes it."""
        side = self.signer_side(by)
        if getattr(self, f"{side}_signed_at"):
            raise AlreadyDone(self.already_signed_message(side))
        if self.state != BeoordelingState.GESPREK:
            raise TransitionNotAllowed(_t("Alleen een beoordeling in gesprek kan worden ondertekend."))
        if missing := self.missing_for_signing():
            raise TransitionNotAllowed(" ".join(missing))
        with transaction.atomic():
            try:
                self._transition(
                    expected=[BeoordelingState.GESPREK],
                    where={f"{side}_signed_at__isnull": True},
                    by=by,
                    action=BeoordelingAction.SIGNED,
                    data={"side": side},
                    **{f"{side}_signed_by": by, f"{side}_signed_at": timezone.now()},
                )
            except TransitionNotAllowed:
                self.refresh_from_db()
                if getattr(self, f"{side}_signed_at"):
                    raise AlreadyDone(self.already_signed_message(side)) from None
                raise
            if self.bedrijf_signed_at and self.stagiair_signed_at:
                self._transition(
                    expected=[BeoordelingState.GESPREK],
                    where={"bedrijf_signed_at__isnull": False, "stagiair_signed_at__isnull": False},
                    by=by,
                    action=BeoordelingAction.SIGNED_BY_BOTH,
                    state=BeoordelingState.ONDERTEKEND,
                )
                # Signed by both: the stagemap makes its verslag after the commit.
                document_finished.send(sender=Beoordeling, stage_id=self.stage_id, by=by)

    def correct(self, *, by, reason):
        """A signed beoordeling does not change: a correction is a new version, without the signatures."""
        if self.state != BeoordelingState.ONDERTEKEND:
            raise TransitionNotAllowed(
                _t("Alleen een ondertekende beoordeling wordt gecorrigeerd met een nieuwe versie.")
            )
        with transaction.atomic():
            self._transition(
                expected=[BeoordelingState.ONDERTEKEND],
                by=by,
                action=BeoordelingAction.REPLACED,
                data={"version": self.version + 1},
                state=BeoordelingState.VERVANGEN,
            )
            copy_fields = [
                "stage_id", "kind", "moment_id", "scale", "sjabloon_id", "conclusie", "conclusie_toelichting",
                "afspraken", "uitkomst", "observaties_beoordelaar", *MBO_FIELDS, "mbo_updated_by_id", "mbo_updated_at",
                "opened_by_id", "opened_at",
            ]  # fmt: skip
            new = Beoordeling.objects.create(
                **{name: getattr(self, name) for name in copy_fields},
                state=BeoordelingState.GESPREK,
                version=self.version + 1,
                previous=self,
                correction_reason=reason,
                created_by=by,
            )
            criteria = {}
            for old in self.criteria.all():
                criteria[old.pk] = Criterium.objects.create(
                    beoordeling=new,
                    **{f: getattr(old, f) for f in ["werkproces_id", "werkproces_label", "text", "critical", "order"]},
                )
            # The corrector's own part opens again so the scores can be corrected; the other part stays handed in.
            reopen = self.party_of(by)
            for invulling in self.invullingen.prefetch_related("antwoorden"):
                copy = Invulling.objects.create(
                    beoordeling=new,
                    party=invulling.party,
                    submitted_at=None if invulling.party == reopen else invulling.submitted_at,
                    submitted_by=None if invulling.party == reopen else invulling.submitted_by,
                )
                Antwoord.objects.bulk_create(
                    Antwoord(
                        invulling=copy, criterium=criteria[a.criterium_id], score=a.score, toelichting=a.toelichting
                    )
                    for a in invulling.antwoorden.all()
                )
            CollegaVraag.objects.filter(beoordeling=self).update(beoordeling=new)
            new.log_action(BeoordelingAction.CORRECTED, by=by, data={"version": self.version, "reason": reason})
        return new

    def log_action(self, action, *, by, changes=None, data=None):
        # The role that counts on a beoordeling is the one its form is filled in as: a praktijkopleider who is also
        # the stage's praktijkbeoordelaar fills in a pvb as its praktijkbeoordelaar.
        role = self.company_role(by) or self.stage.role_of(by)
        return Wijziging.log(self, action, user=by, role=role, changes=changes, data=data)

    # --- reading ----------------------------------------------------------------------------------------------

    def nvt_werkproces_ids(self):
        """Werkprocessen the leerbedrijf declared it cannot offer: only there is "n.v.t." an answer."""
        return set(
            Erkenning.unavailable_werkprocessen.through.objects.filter(
                erkenning__leerbedrijf_id=self.stage.leerbedrijf_id,
                erkenning__kwalificatie_id=self.stage.kwalificatie_id,
            ).values_list("werkproces_id", flat=True)
        )


class Criterium(models.Model):
    """A criterium copied from the sjabloon when the beoordeling started: the filled form keeps its own questions."""

    beoordeling = models.ForeignKey(Beoordeling, on_delete=models.CASCADE, related_name="criteria")
    werkproces = models.ForeignKey(Werkproces, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    werkproces_label = models.CharField(max_length=350, blank=True)
    text = models.CharField(_("criterium"), max_length=500)
    critical = models.BooleanField(_("kritisch"), default=False)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "pk"]

    def __str__(self):
        return self.text


class Invulling(models.Model):
    """One party's answers on a beoordeling; hidden from the other party until the beoordeling is revealed."""

    beoordeling = models.ForeignKey(Beoordeling, on_delete=models.CASCADE, related_name="invullingen")
    party = models.CharField(max_length=20, choices=Party.choices)
    revision = models.PositiveIntegerField(default=0, editable=False)
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        constraints = [models.UniqueConstraint(fields=["beoordeling", "party"], name="invulling_unique_party")]

    def __str__(self):
        return f"{self.beoordeling_id} {self.party}"

    def already_submitted_message(self):
        return _t("Dit formulier was al ingeleverd door %(name)s op %(when)s; er is niets gewijzigd.") % {
            "name": self.submitted_by.name if self.submitted_by else "–",
            "when": date_format(timezone.localtime(self.submitted_at), "j F Y H:i"),
        }

    def save_answers(self, *, by, revision, answers, submit=False):
        """Store {criterium: (score, toelichting)}; refused with StaleEdit when someone saved in between, and with
        AlreadyDone when the form was handed in meanwhile (a second click, or two at once).

        A refused version is kept in the trail (what differed from the stored one), as the page keeps it in the form:
        neither of two people saving at once loses what they wrote."""
        beoordeling = self.beoordeling
        if beoordeling.state not in (BeoordelingState.INVULLEN, BeoordelingState.GESPREK) or self.submitted_at:
            raise TransitionNotAllowed(_t("Dit formulier is al ingeleverd en kan niet meer worden gewijzigd."))
        existing = {a.criterium_id: a for a in self.antwoorden.all()}
        changes, create, update, differing = [], [], [], []
        for criterium, (score, toelichting) in answers.items():
            old = existing.get(criterium.pk)
            if old is None or (old.score, old.toelichting) != (score, toelichting):
                differing.append(f"{criterium.text}: {score or '–'}" + (f" – {toelichting}" if toelichting else ""))
            if old is None:
                create.append(Antwoord(invulling=self, criterium=criterium, score=score, toelichting=toelichting))
                changes.append(f"{criterium.text}: {score or '–'}")
            elif (old.score, old.toelichting) != (score, toelichting):
                if old.score != score:
                    changes.append(f"{criterium.text}: {old.score or '–'} → {score or '–'}")
                else:
                    changes.append(_t("%(criterium)s: toelichting gewijzigd") % {"criterium": criterium.text})
                old.score, old.toelichting = score, toelichting
                update.append(old)
        now = timezone.now()
        extra = {"submitted_at": now, "submitted_by": by} if submit else {}
        try:
            self._save_answers(by=by, revision=revision, extra=extra, create=create, update=update, changes=changes)
        except StaleEdit:
            # After the rollback: the refused version stays in the trail.
            beoordeling.log_action(
                BeoordelingAction.ANSWERS_REFUSED, by=by, data={"party": self.party, "lines": differing}
            )
            raise
        self.refresh_from_db()

    @transaction.atomic
    def _save_answers(self, *, by, revision, extra, create, update, changes):
        beoordeling = self.beoordeling
        # Conditional on the beoordeling still being open, read under its row lock: a signature or a correction waits
        # for this save or this save for it, so a late save (a background save sent before the signatures) changes
        # nothing. (A join in the UPDATE below would put its conditions in a subquery that PostgreSQL does not
        # read again after waiting for a parallel save's row lock: both would pass.)
        still_open = (
            Beoordeling.objects.select_for_update()
            .filter(pk=beoordeling.pk, state__in=[BeoordelingState.INVULLEN, BeoordelingState.GESPREK])
            .values_list("pk", flat=True)
        )
        if still_open.first() is None:
            raise TransitionNotAllowed(
                _t("Deze beoordeling is intussen afgerond; het formulier kan niet meer worden gewijzigd.")
            )
        try:
            save_if_current(
                Invulling.objects.filter(pk=self.pk, submitted_at__isnull=True),
                field="revision",
                seen=revision,
                **extra,
            )
        except StaleEdit:
            self.refresh_from_db()
            if self.submitted_at:
                raise AlreadyDone(self.already_submitted_message()) from None
            raise
        Antwoord.objects.bulk_create(create)
        Antwoord.objects.bulk_update(update, ["score", "toelichting"])
        if changes and beoordeling.state == BeoordelingState.GESPREK:
            Beoordeling.objects.filter(pk=beoordeling.pk).update(revision=F("revision") + 1, **UNSIGNED)
            beoordeling._log_withdrawn(by)
        if changes:
            # One line per answer, not a dict per criterium: two criteria may have the same text.
            beoordeling.log_action(BeoordelingAction.ANSWERS_SAVED, by=by, data={"party": self.party, "lines": changes})
        if extra:
            beoordeling.log_action(BeoordelingAction.FORM_SUBMITTED, by=by, data={"party": self.party})
            beoordeling._reveal_when_all_submitted(by=by)


class Antwoord(models.Model):
    invulling = models.ForeignKey(Invulling, on_delete=models.CASCADE, related_name="antwoorden")
    criterium = models.ForeignKey(Criterium, on_delete=models.CASCADE, related_name="antwoorden")
    score = models.CharField(_("score"), max_length=20, blank=True)
    toelichting = models.TextField(_("toelichting"), blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["invulling", "criterium"], name="antwoord_unique")]

    def __str__(self):
        return f"{self.criterium_id}: {self.score}"


class CollegaVraagQuerySet(models.QuerySet):
    def open(self, now=None):
        """Unanswered, not withdrawn and not expired: its link works."""
        return self.filter(answered_at__isnull=True, revoked_at__isnull=True, expires_at__gt=now or timezone.now())


class CollegaVraag(models.Model):
    """A colleague's feedback before a beoordeling, through a link that works once and expires (chapter 9).

    Only the hash of the token is stored; the answer claims the row with a conditional update.
    """

    beoordeling = models.ForeignKey(Beoordeling, on_delete=models.CASCADE, related_name="collega_vragen")
    name = models.CharField(_("naam collega"), max_length=150)
    email = models.EmailField(_("e-mailadres collega"))
    asked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    answered_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    zelfstandigheid = models.TextField(_("Hoe zelfstandig werkt de stagiair?"), blank=True)
    houding = models.TextField(_("Hoe is de houding van de stagiair?"), blank=True)
    resultaten = models.TextField(_("Wat vindt u van de resultaten van het werk?"), blank=True)

    objects = CollegaVraagQuerySet.as_manager()

    class Meta:
        verbose_name = _("vraag om collega-feedback")
        verbose_name_plural = _("vragen om collega-feedback")
        ordering = ["created_at"]

    def __str__(self):
        return self.name

    @classmethod
    def create(cls, *, beoordeling, name, email, asked_by):
        token, token_hash = new_token()
        vraag = cls.objects.create(
            beoordeling=beoordeling,
            name=name,
            email=email.lower(),
            asked_by=asked_by,
            token_hash=token_hash,
            expires_at=timezone.now() + timedelta(days=COLLEGA_FEEDBACK_VALID_DAYS),
        )
        beoordeling.log_action(BeoordelingAction.COLLEGA_ASKED, by=asked_by, data={"name": name})
        return vraag, token

    @classmethod
    def open_for_token(cls, token):
        return (
            cls.objects.open()
            .select_related("beoordeling__stage__stagiair")
            .filter(token_hash=hash_token(token))
            .first()
        )

    @classmethod
    def for_token(cls, token):
        """The request of a link in any state: a withdrawn link says so."""
        return cls.objects.filter(token_hash=hash_token(token)).first()

    @property
    def is_open(self):
        return self.answered_at is None and self.revoked_at is None and self.expires_at > timezone.now()

    def renew(self, *, by, replaces):
        """A new link with a full term for an open request whose link still expires at `replaces` (the one the user
        saw); the old link stops working. Returns the plain token, or None when the request was no longer open
        (answered, withdrawn or expired meanwhile) or its link was renewed since (a second click).

        A new link rather than the same one again: only the old token's hash is kept, and whoever resends wants a
        link that works for the full term, not one that expires in a day or two."""
        token, token_hash = new_token()
        now = timezone.now()
        with transaction.atomic():
            renewed = (
                CollegaVraag.objects.open(now)
                .filter(pk=self.pk, expires_at=replaces)
                .update(token_hash=token_hash, expires_at=now + timedelta(days=COLLEGA_FEEDBACK_VALID_DAYS))
            )
            if renewed:
                self.beoordeling.log_action(BeoordelingAction.COLLEGA_RESENT, by=by, data={"name": self.name})
        self.refresh_from_db()
        return token if renewed else None

    def revoke(self, *, by):
        """Withdraw an open request, once: its link stops working. False when it was no longer open."""
        with transaction.atomic():
            revoked = CollegaVraag.objects.open().filter(pk=self.pk).update(revoked_at=timezone.now())
            if revoked:
                self.beoordeling.log_action(BeoordelingAction.COLLEGA_REVOKED, by=by, data={"name": self.name})
        self.refresh_from_db()
        return bool(revoked)

    def answer(self, *, zelfstandigheid, houding, resultaten):
        """Store the answers once: a second submit, or one after expiry, changes nothing and returns False."""
        return bool(
            CollegaVraag.objects.open()
            .filter(pk=self.pk)
            .update(answered_at=timezone.now(), zelfstandigheid=zelfstandigheid, houding=houding, resultaten=resultaten)
        )
