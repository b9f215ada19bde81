import operator
from datetime import timedelta
from functools import reduce

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import IntegrityError, models, transaction
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from stagegids.dates import add_days
from stagegids.models import User, Wijziging
from stagegids.roles import (
    BEGELEIDER_ROLES,
    COMPANY_SIDE,
    LEERBEDRIJF_ROLES,
    SCHOOL_ROLES,
    SCHOOL_SIDE,
    STAGE_ROLES,
    Role,
)
from stagegids.tokens import hash_token, new_token

from .kwalificatie import Kwalificatie
from .status import StopKind, status_of


class RolesOf:
    """The active memberships of one user, read once per request and kept on the user object.

    A revoked role is gone on the next request, because every request loads a fresh user. So is a role in a
    leerbedrijf that the beheerder blocked: `blocked` keeps those leerbedrijven, to say why.
    """

    def __init__(self, user):
        self.user = user
        self._collega_stage_ids = None
        # The stage roles the user holds on at least one stage, once keep_stages() asked for them.
        self._stage_roles = None
        self._keeps_stages = False
        rows = list(
            Membership.objects.active()
            .filter(user=user)
            .values_list("role", "leerbedrijf_id", "onderwijsinstelling_id", "leerbedrijf__blocked_at")
        )
        self.leerbedrijf = {}
        self.school = {}
        self.blocked = set()
        for role, leerbedrijf_id, school_id, blocked_at in rows:
            if blocked_at:
                self.blocked.add(leerbedrijf_id)
            elif leerbedrijf_id:
                self.leerbedrijf.setdefault(leerbedrijf_id, set()).add(role)
            else:
                self.school.setdefault(school_id, set()).add(role)

    def leerbedrijf_ids(self, *roles):
        roles = roles or LEERBEDRIJF_ROLES
        return {pk for pk, held in self.leerbedrijf.items() if held & set(roles)}

    def school_ids(self):
        return set(self.school)

    def held(self):
        """Every role held anywhere (a stagiair is one through their Stagiair row, not a membership)."""
        return set().union(*self.leerbedrijf.values(), *self.school.values())

    def has(self, role, leerbedrijf_id):
        return role in self.leerbedrijf.get(leerbedrijf_id, ())

    def collega_stage_ids(self):
        """The stages on which the user is a meewerkende collega today, read on first use: only a colleague of a
        stage's leerbedrijf is asked (Stage.is_meewerkende_collega), so most requests never read it."""
        if self._collega_stage_ids is None:
            self._collega_stage_ids = set(
                MeewerkendeCollega.objects.current().filter(user=self.user).values_list("stage_id", flat=True)
            )
        return self._collega_stage_ids

    def keep_stages(self):
        """Leave out of every for_roles() of this user, for the rest of the request, the roles they hold on no stage
        at all (read in one query, on first use).

        For a page made of parts that each ask for their own stages (the start page's panels). The conditions of
        the roles OR-ed together are answered by PostgreSQL with a scan of all 50,000 stages, in every query that
        repeats them; most people hold one role, whose condition alone is an index lookup (`leerbedrijf_id IN
        (...)`, `werkplekbegeleider_id = ...`). Only for a request that changes no stage (a GET), since what was
        read is not read again."""
        self._keeps_stages = True

    def stage_roles(self):
        """The stage roles the user holds on at least one stage, when keep_stages() was asked; else None."""
        if not self._keeps_stages:
            return None
        if self._stage_roles is None:
            self._stage_roles = _read_stage_roles(self.user, self)
        return self._stage_roles


def roles_of(user):
    if not user.is_authenticated:
        return None
    if not hasattr(user, "_stagegids_roles"):
        user._stagegids_roles = RolesOf(user)
    return user._stagegids_roles


class LeerbedrijfQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(pk__in=roles_of(user).leerbedrijf_ids())


validate_kvk_nummer = RegexValidator(r"^\d{8}$", _("Een KvK-nummer bestaat uit 8 cijfers."))
validate_postcode = RegexValidator(
    r"^[1-9]\d{3} [A-Z]{2}$", _("Vul de postcode in als vier cijfers en twee letters, bijvoorbeeld 3542 DB.")
)
# SBB numbers leerbedrijven with digits only (the demo's 100012345); the length is left open.
validate_sbb_leerbedrijf_id = RegexValidator(
    r"^\d{1,20}$",
    _("Een SBB leerbedrijf-ID bestaat alleen uit cijfers. U vindt het bij uw erkenning op de site van SBB."),
)


class LeerbedrijfAction(models.TextChoices):
    AANGEMELD = "leerbedrijf_aangemeld", _("Leerbedrijf aangemeld en e-mailadres bevestigd")
    GEBLOKKEERD = "leerbedrijf_geblokkeerd", _("Leerbedrijf geblokkeerd")
    DEBLOKKEERD = "leerbedrijf_gedeblokkeerd", _("Blokkade van het leerbedrijf opgeheven")
    TWEESTAPS_VERPLICHT = "tweestaps_verplicht", _("Tweestapsverificatie verplicht gemaakt voor de praktijkopleiders")
    TWEESTAPS_VRIJ = "tweestaps_vrij", _("Tweestapsverificatie niet meer verplicht voor de praktijkopleiders")


Wijziging.register_actions(dict(LeerbedrijfAction.choices))


class Leerbedrijf(models.Model):
    name = models.CharField(_("naam"), max_length=200)
    kvk_nummer = models.CharField(_("KvK-nummer"), max_length=8, unique=True, validators=[validate_kvk_nummer])
    straat = models.CharField(_("straat en huisnummer"), max_length=200, blank=True)
    postcode = models.CharField(_("postcode"), max_length=7, blank=True, validators=[validate_postcode])
    plaats = models.CharField(_("plaats"), max_length=100, blank=True)
    sbb_leerbedrijf_id = models.CharField(
        _("SBB leerbedrijf-ID"), max_length=20, blank=True, validators=[validate_sbb_leerbedrijf_id]
    )
    max_stagiairs_per_begeleider = models.PositiveSmallIntegerField(
        _("maximaal aantal stagiairs per werkplekbegeleider"),
        default=2,
        help_text=_("Boven dit aantal krijgt u een waarschuwing bij de intake."),
    )
    # Set by a praktijkopleider on the settings page: its praktijkopleiders log in with a second step
    # (stagegids/twofactor.py, the requirement in leerbedrijf/accounts.py).
    tweestaps_verplicht = models.BooleanField(
        _("tweestapsverificatie verplicht voor praktijkopleiders"),
        default=False,
        help_text=_(
            "Praktijkopleiders van dit bedrijf loggen dan in met hun wachtwoord én een code uit een app; wie nog "
            "geen app heeft, stelt hem in bij de volgende keer inloggen."
        ),
    )
    # Set by the beheerder: the leerbedrijf's people keep their accounts but lose their roles in it until lifted.
    blocked_at = models.DateTimeField(_("geblokkeerd sinds"), null=True, blank=True)

    objects = LeerbedrijfQuerySet.as_manager()

    class Meta:
        verbose_name = _("leerbedrijf")
        verbose_name_plural = _("leerbedrijven")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("leerbedrijf:detail", args=[self.pk])

    def block(self, *, by):
        """Block the leerbedrijf (the beheerder); False when it already was."""
        done = Leerbedrijf.objects.filter(pk=self.pk, blocked_at__isnull=True).update(blocked_at=timezone.now())
        if done:
            Wijziging.log(self, LeerbedrijfAction.GEBLOKKEERD, user=by)
        return bool(done)

    def require_twofactor(self, required: bool, *, by) -> bool:
        """Make the second step of the login required for the praktijkopleiders, or not; False when it already was."""
        done = (
            Leerbedrijf.objects.filter(pk=self.pk)
            .exclude(tweestaps_verplicht=required)
            .update(tweestaps_verplicht=required)
        )
        if done:
            self.tweestaps_verplicht = required
            action = LeerbedrijfAction.TWEESTAPS_VERPLICHT if required else LeerbedrijfAction.TWEESTAPS_VRIJ
            Wijziging.log(self, action, user=by, role=Role.PRAKTIJKOPLEIDER)
        return bool(done)

    def unblock(self, *, by):
        done = Leerbedrijf.objects.filter(pk=self.pk, blocked_at__isnull=False).update(blocked_at=None)
        if done:
            Wijziging.log(self, LeerbedrijfAction.DEBLOKKEERD, user=by)
        return bool(done)


# DUO's code of a school: two digits and two letters (25PZ). Stored as text and matched on the code, never on the
# name (shared/reference/README.md): names are written in many ways, the code is one.
BRIN_VALIDATOR = RegexValidator(
    r"^\d{2}[A-Z]{2}$", _("Een BRIN-code bestaat uit twee cijfers en twee letters, bijvoorbeeld 25PZ.")
)


class SchoolAction(models.TextChoices):
    ADDED = "school_added", _("school toegevoegd")


Wijziging.register_actions(dict(SchoolAction.choices))


class OnderwijsinstellingQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The schools of the stages the user sees, and the schools where they hold a role."""
        # Exists per school, like Stagiair's: the search narrows the schools by name first, then checks those few.
        return self.filter(
            Exists(Stage.objects.visible_to(user).filter(onderwijsinstelling=OuterRef("pk")))
            | Q(pk__in=roles_of(user).school_ids())
        )

    def add(self, *, name, brin, plaats="", by, role=""):
        """The school with BRIN code `brin`: the one the portal knows, or a new one, logged as added by `by`.

        Returns (school, created). Two people adding the same school at once make one: the code is unique, and
        get_or_create reads the other's row when its insert loses.
        """
        if not brin:
            raise ValueError("a school is added by its BRIN code")
        school, created = self.get_or_create(brin=brin, defaults={"name": name, "plaats": plaats})
        if created:
            school.log_added(by=by, role=role)
        return school, created


class Onderwijsinstelling(models.Model):
    name = models.CharField(_("naam"), max_length=200)
    # Blank only for schools entered before the code was asked; a school added from the intake always has one.
    brin = models.CharField(_("BRIN-code"), max_length=4, blank=True, validators=[BRIN_VALIDATOR])
    plaats = models.CharField(_("plaats"), max_length=100, blank=True)

    objects = OnderwijsinstellingQuerySet.as_manager()

    class Meta:
        verbose_name = _("onderwijsinstelling")
        verbose_name_plural = _("onderwijsinstellingen")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["brin"],
                condition=~Q(brin=""),
                name="onderwijsinstelling_unique_brin",
                violation_error_message=_("Er staat al een school met deze BRIN-code in de Stagegids."),
            )
        ]

    def __str__(self):
        return self.name

    def log_added(self, *, by, role=""):
        Wijziging.log(
            self,
            SchoolAction.ADDED,
            user=by,
            role=role,
            changes={name: [None, getattr(self, name)] for name in ("name", "brin", "plaats") if getattr(self, name)},
        )


class MembershipQuerySet(models.QuerySet):
    def active(self):
        return self.filter(ended_at__isnull=True)

    def visible_to(self, user):
        """A praktijkopleider sees the people of their leerbedrijf; everyone sees their own roles."""
        return self.filter(Q(leerbedrijf__in=roles_of(user).leerbedrijf_ids(Role.PRAKTIJKOPLEIDER)) | Q(user=user))


class Membership(models.Model):
    """A role held by a person in one leerbedrijf or one school. Ending it keeps the row for the record."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("persoon")
    )
    role = models.CharField(_("rol"), max_length=30, choices=Role.choices)
    leerbedrijf = models.ForeignKey(
        Leerbedrijf, on_delete=models.CASCADE, null=True, blank=True, related_name="memberships"
    )
    onderwijsinstelling = models.ForeignKey(
        Onderwijsinstelling, on_delete=models.CASCADE, null=True, blank=True, related_name="memberships"
    )
    created_at = models.DateTimeField(_("sinds"), default=timezone.now)
    ended_at = models.DateTimeField(_("beëindigd"), null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("beëindigd door"),
    )

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("rol in organisatie")
        verbose_name_plural = _("rollen in organisaties")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(leerbedrijf__isnull=False, onderwijsinstelling__isnull=True, role__in=LEERBEDRIJF_ROLES)
                    | Q(leerbedrijf__isnull=True, onderwijsinstelling__isnull=False, role__in=SCHOOL_ROLES)
                ),
                name="membership_role_fits_organisation",
            ),
            models.UniqueConstraint(
                fields=["user", "role", "leerbedrijf"],
                condition=Q(ended_at__isnull=True, leerbedrijf__isnull=False),
                name="membership_unique_active_leerbedrijf",
            ),
            models.UniqueConstraint(
                fields=["user", "role", "onderwijsinstelling"],
                condition=Q(ended_at__isnull=True, onderwijsinstelling__isnull=False),
                name="membership_unique_active_school",
            ),
        ]

    def __str__(self):
        return f"{self.user} – {self.get_role_display()} – {self.leerbedrijf or self.onderwijsinstelling}"

    @classmethod
    def grant(cls, *, user, role, leerbedrijf):
        """Give `user` `role` in `leerbedrijf` unless they hold it already: an accepted invitation, a confirmed
        aanmelding."""
        return cls.objects.get_or_create(user=user, role=role, leerbedrijf=leerbedrijf, ended_at=None)[0]

    def end(self, *, by):
        """End the role, once: False when it had ended already (a second click, or two at once)."""
        with transaction.atomic():
            ended = Membership.objects.filter(pk=self.pk, ended_at__isnull=True).update(
                ended_at=timezone.now(), ended_by=by
            )
            if ended:
                self._log(MembershipAction.ENDED, by=by)
        self.refresh_from_db()
        return bool(ended)

    def restore(self, *, by):
        """Undo an end: the person holds the role again. False when it holds already, or when they hold the same role
        again by a newer invitation (one active row per person, role and organisation)."""
        try:
            with transaction.atomic():
                restored = Membership.objects.filter(pk=self.pk, ended_at__isnull=False).update(
                    ended_at=None, ended_by=None
                )
                if restored:
                    self._log(MembershipAction.RESTORED, by=by, data={"ended_at": self.ended_at.isoformat()})
        except IntegrityError:
            restored = 0
        self.refresh_from_db()
        return bool(restored)

    def held_again(self):
        """Whether the person holds this role here again through another row (a new invitation after the end)."""
        return (
            Membership.objects.active()
            .filter(user_id=self.user_id, role=self.role)
            .filter(leerbedrijf_id=self.leerbedrijf_id, onderwijsinstelling_id=self.onderwijsinstelling_id)
            .exclude(pk=self.pk)
            .exists()
        )

    def _log(self, action, *, by, data=None):
        held = roles_of(by).has(Role.PRAKTIJKOPLEIDER, self.leerbedrijf_id) if self.leerbedrijf_id else False
        Wijziging.log(
            self, action, user=by, role=Role.PRAKTIJKOPLEIDER if held else "", data={"role": self.role, **(data or {})}
        )


class MembershipAction(models.TextChoices):
    ENDED = "role_ended", _("Rol %(role)s beëindigd")
    RESTORED = "role_restored", _("Rol %(role)s hersteld")


def _role_label(text):
    return lambda wijziging: str(text) % {"role": Role(wijziging.data["role"]).label.lower()}


Wijziging.register_actions({action: _role_label(action.label) for action in MembershipAction})


class Leerweg(models.TextChoices):
    BOL = "bol", _("bol (beroepsopleidende leerweg)")
    BBL = "bbl", _("bbl (beroepsbegeleidende leerweg)")


class Herkomst(models.TextChoices):
    VO = "vo", _("voortgezet onderwijs")
    ANDERE_MBO = "andere_mbo", _("andere mbo-opleiding")
    ZIJ_INSTROMER = "zij_instromer", _("zij-instromer")
    VMBO_G = "vmbo_g", _("vmbo gemengde leerweg (vmbo-g)")


class StagiairQuerySet(models.QuerySet):
    def visible_to(self, user):
        # Exists per stagiair, not an IN over every visible stage: PostgreSQL answers `Stage.visible_to` with a scan
        # of all stages, so a search that narrowed the stagiairs by name (trigram index) checks only those, each
        # through the stage's stagiair index.
        return self.filter(
            Exists(Stage.objects.visible_to(user).filter(stagiair=OuterRef("pk")))
            | Q(leerbedrijf__in=roles_of(user).leerbedrijf_ids(Role.PRAKTIJKOPLEIDER))
        )


class Stagiair(models.Model):
    """A student as known to one leerbedrijf; the account, if any, is how they log in."""

    leerbedrijf = models.ForeignKey(Leerbedrijf, on_delete=models.CASCADE, related_name="stagiairs")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="stagiairs",
        verbose_name=_("gebruiker"),
    )
    name = models.CharField(_("naam"), max_length=150)
    email = models.EmailField(_("e-mailadres"))

    objects = StagiairQuerySet.as_manager()

    class Meta:
        verbose_name = _("stagiair")
        verbose_name_plural = _("stagiairs")
        ordering = ["name"]

    def __str__(self):
        return self.name


class StageQuerySet(models.QuerySet):
    """Who follows a stage: the company side (its people and the stagiair) and the school side (the mbo-begeleider).

    The school side sees a stage exists, and of its documents only what the company shared (see Verslag).
    """

    def for_roles(self, user, *roles):
        """The stages on which `user` holds any of `roles` (of STAGE_ROLES): Stage.is_<role> as a query."""
        if not user.is_authenticated:
            if not roles:
                raise TypeError("for_roles() needs at least one role")
            return self.none()
        return self.filter(holds_condition(user, *roles))

    def visible_to(self, user):
        return self.for_roles(user, *STAGE_ROLES)

    def company_side(self, user):
        return self.for_roles(user, *COMPANY_SIDE)

    def school_side(self, user):
        return self.for_roles(user, *SCHOOL_SIDE)


def begeleiders_see_until(today=None):
    """The earliest end date of a stage that its werkplekbegeleider and meewerkende collega's still see: an ended
    stage is theirs for settings.BEGELEIDER_ACCESS_DAYS_AFTER_END days more, as long as the company needs them for
    it; the praktijkopleider (and the stagiair, the praktijkbeoordelaar, the school) keep it."""
    return add_days(today or timezone.localdate(), -settings.BEGELEIDER_ACCESS_DAYS_AFTER_END)


def _begeleiders_still_see():
    """Stage.begeleiders_still_see as a condition: the one place that says when a stage has ended for them. A stage
    ended early (models/stop.py) counts from the day it ended, not from its planned end date."""
    until = begeleiders_see_until()
    return Q(end_date__gte=until) & ~Q(stopped=StopKind.BEEINDIGD, stopped_on__lt=until)


# Who holds each stage role, as a condition on Stage. Like Stage.is_<role>, a person in a stage's field counts
# only while they hold the role at the stage's leerbedrijf (or school). None when the person holds the role at no
# leerbedrijf or school: then they hold it on no stage, and every condition leaves that role out (most people hold
# one or two of the six; building and planning the others was much of a page's cost).
def _holds_praktijkopleider(user, held):
    ids = held.leerbedrijf_ids(Role.PRAKTIJKOPLEIDER)
    return Q(leerbedrijf__in=ids) if ids else None


def _holds_werkplekbegeleider(user, held):
    ids = held.leerbedrijf_ids(*BEGELEIDER_ROLES)
    return Q(werkplekbegeleider=user, leerbedrijf__in=ids) & _begeleiders_still_see() if ids else None


def _holds_praktijkbeoordelaar(user, held):
    ids = held.leerbedrijf_ids(Role.PRAKTIJKBEOORDELAAR)
    return Q(praktijkbeoordelaar=user, leerbedrijf__in=ids) if ids else None


def _holds_stagiair(user, held):
    # A subquery, not a join: PostgreSQL can then answer the whole OR from the foreign-key indexes. A stagiair holds
    # no membership: their Stagiair row is asked.
    return Q(stagiair__in=Stagiair.objects.filter(user=user).values("pk"))


def _holds_mbo_begeleider(user, held):
    ids = held.school_ids()
    return Q(mbo_begeleider=user, onderwijsinstelling__in=ids) if ids else None


def _holds_meewerkende_collega(user, held):
    # A colleague of the leerbedrijf (any role there), during the period, on exactly that stage.
    ids = held.leerbedrijf_ids()
    if not ids:
        return None
    return (
        Q(pk__in=MeewerkendeCollega.objects.current().filter(user=user).values("stage"), leerbedrijf__in=ids)
        & _begeleiders_still_see()
    )


_HOLDS = {
    Role.PRAKTIJKOPLEIDER: _holds_praktijkopleider,
    Role.WERKPLEKBEGELEIDER: _holds_werkplekbegeleider,
    Role.PRAKTIJKBEOORDELAAR: _holds_praktijkbeoordelaar,
    Role.STAGIAIR: _holds_stagiair,
    Role.MBO_BEGELEIDER: _holds_mbo_begeleider,
    Role.MEEWERKENDE_COLLEGA: _holds_meewerkende_collega,
}


def holds_condition(user, *roles):
    """for_roles() as a condition on a Stage row, for a query that already has the stage in hand: a column of a list
    of stages asks it of each row instead of looking the row up in a subquery of all stages."""
    if not roles:
        raise TypeError("holds_condition() needs at least one role")
    if not user.is_authenticated:
        return Q(pk__in=[])
    held = roles_of(user)
    asked = (_HOLDS[role](user, held) for role in roles_to_ask(user, roles))
    conditions = [condition for condition in asked if condition is not None]
    return reduce(operator.or_, conditions) if conditions else Q(pk__in=[])


def on_stages(user, roles, **condition):
    """A condition on rows that belong to a stage (a `stage` field): of the stages where `user` holds any of `roles`,
    and `condition`. Matches nothing, without building the subquery, when the user may hold none of them
    (roles_to_ask): a visible_to that ORs a part per role then builds and plans only the parts of roles held."""
    if not roles_to_ask(user, roles):
        return Q(pk__in=[])
    return Q(stage__in=Stage.objects.for_roles(user, *roles), **condition)


def holds_any(user, *roles):
    """Whether `user` holds any of `roles` on some stage: a panel that shows only what such a role is asked returns
    at once without building its queries. Free once keep_stages() read the roles, else one query."""
    kept = roles_of(user).stage_roles() if user.is_authenticated else set()
    if kept is not None:
        return bool(kept & set(roles))
    return Stage.objects.for_roles(user, *roles).exists()


def roles_to_ask(user, roles=STAGE_ROLES):
    """Of `roles`, those `user` may hold on some stage, for a condition OR-ed per role: once keep_stages() read them,
    only the held ones; else all of them (no query)."""
    kept = roles_of(user).stage_roles() if user.is_authenticated else None
    return [role for role in roles if kept is None or role in kept]


def _read_stage_roles(user, held):
    """The stage roles `user` holds on at least one stage, in one query: an EXISTS per role they hold at some
    leerbedrijf or school (and the stagiair's), each found through the index of its own column (on SQLite too, which
    allows no LIMIT inside a UNION)."""
    conditions = {role: _HOLDS[role](user, held) for role in STAGE_ROLES}
    holds = {
        f"holds_{role}": Exists(Stage.objects.filter(condition).order_by())
        for role, condition in conditions.items()
        if condition is not None
    }
    row = User.objects.filter(pk=user.pk).values(**holds).get()
    return {role for role in STAGE_ROLES if row.get(f"holds_{role}")}


class Stage(models.Model):
    """The placement of one stagiair at one leerbedrijf for one period (a leerbaan for bbl)."""

    leerbedrijf = models.ForeignKey(Leerbedrijf, on_delete=models.CASCADE, related_name="stages")
    stagiair = models.ForeignKey(Stagiair, on_delete=models.CASCADE, related_name="stages")
    kwalificatie = models.ForeignKey(Kwalificatie, on_delete=models.PROTECT, related_name="stages")
    leerweg = models.CharField(_("leerweg"), max_length=3, choices=Leerweg.choices)
    start_date = models.DateField(_("startdatum"))
    end_date = models.DateField(_("einddatum"))
    onderwijsinstelling = models.ForeignKey(
        Onderwijsinstelling, on_delete=models.PROTECT, related_name="stages", verbose_name=_("school")
    )
    mbo_begeleider = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("mbo-begeleider"),
    )
    werkplekbegeleider = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("werkplekbegeleider"),
    )
    praktijkbeoordelaar = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("praktijkbeoordelaar"),
    )
    # What the praktijkovereenkomst holds (chapters 1 and 4); a BSN is deliberately absent.
    niveau = models.PositiveSmallIntegerField(_("niveau"), choices=[(n, str(n)) for n in range(1, 5)], null=True)
    leerjaar = models.PositiveSmallIntegerField(_("leerjaar"), null=True)
    pok_signed_on = models.DateField(_("pok ondertekend op"), null=True, blank=True)
    bpv_overeenkomst_signed_on = models.DateField(_("bpv-overeenkomst ondertekend op"), null=True, blank=True)
    stagevergoeding = models.DecimalField(
        _("stagevergoeding per maand"), max_digits=7, decimal_places=2, null=True, blank=True
    )
    salaris = models.DecimalField(_("salaris per maand"), max_digits=8, decimal_places=2, null=True, blank=True)
    bpv_coordinator_name = models.CharField(_("bpv-coördinator"), max_length=150, blank=True)
    bpv_coordinator_email = models.EmailField(_("e-mailadres bpv-coördinator"), blank=True)
    days_per_week = models.DecimalField(_("dagen per week"), max_digits=2, decimal_places=1, null=True)
    hours_per_week = models.DecimalField(_("uren per week"), max_digits=4, decimal_places=1, null=True)
    herkomst = models.CharField(_("komt van"), max_length=20, choices=Herkomst.choices, blank=True)
    # Interrupted or ended by the praktijkopleider, and from which day (models/stop.py keeps each step and why);
    # empty while the stage follows its dates.
    stopped = models.CharField(
        _("onderbroken of beëindigd"),
        max_length=12,
        choices=StopKind.choices,
        blank=True,
        editable=False,
    )
    stopped_on = models.DateField(_("met ingang van"), null=True, blank=True, editable=False)

    objects = StageQuerySet.as_manager()

    class Meta:
        verbose_name = _("stage")
        verbose_name_plural = _("stages")
        ordering = ["-start_date"]
        constraints = [
            models.CheckConstraint(condition=Q(end_date__gt=models.F("start_date")), name="stage_end_after_start")
        ]

    def __str__(self):
        return _("%(stagiair)s bij %(leerbedrijf)s") % {
            "stagiair": self.stagiair,
            "leerbedrijf": self.leerbedrijf,
        }

    def get_absolute_url(self):
        return reverse("leerbedrijf:stage", args=[self.pk])

    @property
    def current_status(self):
        """Its StageStatus today (a list annotates the same with status.with_status)."""
        return status_of(self)

    # Who is who on this stage, for one stage; StageQuerySet.for_roles() is the same as a query, and
    # leerbedrijf/predicates.py makes rules predicates of it. A person in the stage's field counts only while they
    # hold the role at the leerbedrijf (or school); a role ended is gone.

    def holds(self, user, role):
        """Whether `user` holds `role` (of STAGE_ROLES) on this stage."""
        if role not in STAGE_ROLES:
            raise ValueError(f"{role} is not a role on a stage")
        return getattr(self, f"is_{role}")(user)

    def is_praktijkopleider(self, user):
        return user.is_authenticated and roles_of(user).has(Role.PRAKTIJKOPLEIDER, self.leerbedrijf_id)

    def is_werkplekbegeleider(self, user):
        """The stage's (eerste) werkplekbegeleider, in a begeleider role (also hybride and informele begeleider),
        while they still see it (begeleiders_still_see)."""
        return (
            user.is_authenticated
            and self.werkplekbegeleider_id == user.pk
            and self.leerbedrijf_id in roles_of(user).leerbedrijf_ids(*BEGELEIDER_ROLES)
            and self.begeleiders_still_see()
        )

    def is_meewerkende_collega(self, user):
        """A colleague of the leerbedrijf who helps on this stage today (MeewerkendeCollega.current), and like the
        werkplekbegeleider only while the begeleiders still see it (begeleiders_still_see)."""
        if not user.is_authenticated:
            return False
        held = roles_of(user)
        return (
            self.leerbedrijf_id in held.leerbedrijf_ids()
            and self.begeleiders_still_see()
            and self.pk in held.collega_stage_ids()
        )

    def begeleiders_still_see(self):
        """Whether the stage is still its werkplekbegeleider's and collega's: until
        settings.BEGELEIDER_ACCESS_DAYS_AFTER_END days after its end date, or after the day it was ended early."""
        until = begeleiders_see_until()
        ended_early = self.stopped == StopKind.BEEINDIGD and self.stopped_on is not None
        return self.end_date >= until and not (ended_early and self.stopped_on < until)

    def is_praktijkbeoordelaar(self, user):
        return (
            user.is_authenticated
            and self.praktijkbeoordelaar_id == user.pk
            and roles_of(user).has(Role.PRAKTIJKBEOORDELAAR, self.leerbedrijf_id)
        )

    def is_stagiair(self, user):
        return user.is_authenticated and self.stagiair.user_id == user.pk

    def is_mbo_begeleider(self, user):
        return (
            user.is_authenticated
            and self.mbo_begeleider_id == user.pk
            and self.onderwijsinstelling_id in roles_of(user).school_ids()
        )

    def role_of(self, user):
        """The role `user` acts in on this stage, for the audit trail; the first that applies, or ""."""
        if self.is_stagiair(user):
            return Role.STAGIAIR
        if self.is_praktijkopleider(user):
            return Role.PRAKTIJKOPLEIDER
        if self.is_praktijkbeoordelaar(user):
            return Role.PRAKTIJKBEOORDELAAR
        if self.is_werkplekbegeleider(user):
            # The begeleider role they hold here: a hybride techniekopleider is named as one.
            return next(role for role in BEGELEIDER_ROLES if roles_of(user).has(role, self.leerbedrijf_id))
        if self.is_mbo_begeleider(user):
            return Role.MBO_BEGELEIDER
        if self.is_meewerkende_collega(user):
            return Role.MEEWERKENDE_COLLEGA
        return ""


class CollegaAction(models.TextChoices):
    ADDED = "collega_added", _("Meewerkende collega %(name)s toegevoegd als %(kind)s, %(period)s")
    ENDED = "collega_ended", _("Meewerkende collega %(name)s beëindigd")


Wijziging.register_actions(dict(CollegaAction.choices))

# The part a meewerkende collega plays on the stage: the gids's begeleiders in the company (ch. 5).
COLLEGA_KINDS = [(role.value, role.label) for role in BEGELEIDER_ROLES]


class MeewerkendeCollegaQuerySet(models.QuerySet):
    def active(self):
        return self.filter(ended_at__isnull=True)

    def current(self, today=None):
        """Those who help today: within their period (both days included) and not ended."""
        today = today or timezone.localdate()
        return self.active().filter(start_date__lte=today, end_date__gte=today)

    def overlapping(self, *, stage, user, start_date, end_date):
        return self.active().filter(stage=stage, user=user, start_date__lte=end_date, end_date__gte=start_date)

    def visible_to(self, user):
        return self.filter(stage__in=Stage.objects.visible_to(user))


class MeewerkendeCollega(models.Model):
    """A colleague who helps the stage's eerste werkplekbegeleider for a period (issue 15): in installatietechniek
    a stagiair rides along with different monteurs. During the period they see the stage and its stageplan and
    record observaties (Stage.is_meewerkende_collega); before and after it, nothing. Ending one keeps the row."""

    stage = models.ForeignKey(Stage, on_delete=models.CASCADE, related_name="collegas")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("collega")
    )
    kind = models.CharField(_("als"), max_length=30, choices=COLLEGA_KINDS)
    start_date = models.DateField(_("van"))
    end_date = models.DateField(_("tot en met"))
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("toegevoegd door"),
    )
    added_at = models.DateTimeField(default=timezone.now, verbose_name=_("toegevoegd op"))
    ended_at = models.DateTimeField(_("beëindigd"), null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("beëindigd door"),
    )

    objects = MeewerkendeCollegaQuerySet.as_manager()

    class Meta:
        verbose_name = _("meewerkende collega")
        verbose_name_plural = _("meewerkende collega's")
        ordering = ["start_date", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=models.F("start_date")), name="meewerkendecollega_end_after_start"
            )
        ]
        indexes = [models.Index(fields=["user", "end_date"], name="collega_user_end")]

    def __str__(self):
        return f"{self.user} – {self.get_kind_display()} – {self.stage}"

    @classmethod
    def add(cls, *, stage, user, kind, start_date, end_date, by):
        """Add `user` for the period, once: None when they already help on this stage in an overlapping period (a
        second click, or two at once: the stage's row is locked while we look)."""
        with transaction.atomic():
            Stage.objects.select_for_update().filter(pk=stage.pk).values_list("pk", flat=True).first()
            if cls.objects.overlapping(stage=stage, user=user, start_date=start_date, end_date=end_date).exists():
                return None
            collega = cls.objects.create(
                stage=stage, user=user, kind=kind, start_date=start_date, end_date=end_date, added_by=by
            )
            collega._log(CollegaAction.ADDED, by=by)
        return collega

    def end(self, *, by):
        """End the help from now on, once: False when it had ended already or its period was over."""
        with transaction.atomic():
            ended = MeewerkendeCollega.objects.filter(
                pk=self.pk, ended_at__isnull=True, end_date__gte=timezone.localdate()
            ).update(ended_at=timezone.now(), ended_by=by)
            if ended:
                self._log(CollegaAction.ENDED, by=by)
        self.refresh_from_db()
        return bool(ended)

    @property
    def is_over(self):
        return self.ended_at is not None or self.end_date < timezone.localdate()

    def _log(self, action, *, by):
        Wijziging.log(
            self,
            action,
            user=by,
            role=Role.PRAKTIJKOPLEIDER,
            data={
                "name": self.user.name,
                "kind": self.get_kind_display().lower(),
                "period": f"{self.start_date:%d-%m-%Y} – {self.end_date:%d-%m-%Y}",
            },
        )


class InvitationAction(models.TextChoices):
    REVOKED = "invitation_revoked", _("Uitnodiging aan %(email)s ingetrokken")
    RESENT = "invitation_resent", _("Uitnodiging aan %(email)s opnieuw verstuurd")


Wijziging.register_actions(dict(InvitationAction.choices))


class InvitationQuerySet(models.QuerySet):
    def open(self):
        return self.filter(accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now())


class Invitation(models.Model):
    """A single-use link that grants one role; only the token's hash is stored."""

    leerbedrijf = models.ForeignKey(Leerbedrijf, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(_("e-mailadres"))
    name = models.CharField(_("naam"), max_length=150)
    role = models.CharField(_("rol"), max_length=30, choices=Role.choices)
    stagiair = models.ForeignKey(Stagiair, on_delete=models.CASCADE, null=True, blank=True, related_name="invitations")
    # An mbo-begeleider is invited for one stage, by the company that takes the stagiair in: accepting makes them
    # mbo-begeleider at the school and, while it still has none, the mbo-begeleider of that stage.
    stage = models.ForeignKey("Stage", on_delete=models.CASCADE, null=True, blank=True, related_name="invitations")
    onderwijsinstelling = models.ForeignKey(
        Onderwijsinstelling, on_delete=models.CASCADE, null=True, blank=True, related_name="invitations"
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False, verbose_name=_("hash van de link"))
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("uitgenodigd door"),
    )
    created_at = models.DateTimeField(default=timezone.now, verbose_name=_("aangemaakt op"))
    expires_at = models.DateTimeField(verbose_name=_("verloopt op"))
    accepted_at = models.DateTimeField(null=True, blank=True, verbose_name=_("geaccepteerd op"))
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("geaccepteerd door"),
    )
    revoked_at = models.DateTimeField(null=True, blank=True, verbose_name=_("ingetrokken op"))

    objects = InvitationQuerySet.as_manager()

    class Meta:
        verbose_name = _("uitnodiging")
        verbose_name_plural = _("uitnodigingen")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(role=Role.MBO_BEGELEIDER, onderwijsinstelling__isnull=False, stage__isnull=False)
                    | (~Q(role=Role.MBO_BEGELEIDER) & Q(onderwijsinstelling__isnull=True, stage__isnull=True))
                ),
                name="invitation_mbo_begeleider_for_a_stage_at_a_school",
            )
        ]

    def __str__(self):
        return f"{self.email} ({self.get_role_display()})"

    @classmethod
    def create(cls, *, leerbedrijf, email, name, role, invited_by, stagiair=None, stage=None):
        """Make an invitation; returns it with the plain token, which exists only in the e-mail.

        An mbo-begeleider is invited for `stage`, at the stage's school.
        """
        token, token_hash = new_token()
        invitation = cls.objects.create(
            leerbedrijf=leerbedrijf,
            email=email.lower(),
            name=name,
            role=role,
            stagiair=stagiair,
            stage=stage,
            onderwijsinstelling=stage.onderwijsinstelling if stage is not None else None,
            invited_by=invited_by,
            token_hash=token_hash,
            expires_at=timezone.now() + timedelta(days=settings.INVITATION_VALID_DAYS),
        )
        return invitation, token

    @classmethod
    def open_for_token(cls, token):
        return (
            cls.objects.open()
            .select_related("leerbedrijf", "stagiair", "stage__stagiair", "onderwijsinstelling")
            .filter(token_hash=hash_token(token))
            .first()
        )

    @classmethod
    def for_token(cls, token):
        """The invitation of a link in any state: a used or withdrawn link says what became of it."""
        return cls.objects.filter(token_hash=hash_token(token)).first()

    def renew(self, *, by, sent=None):
        """A new token and term for an open invitation, the old link stops working; returns the plain token, or
        None when it was no longer open (accepted or withdrawn meanwhile) or, with `sent`, was sent again after the
        sending the confirm page showed (a second click)."""
        token, token_hash = new_token()
        with transaction.atomic():
            renewed = (
                Invitation.objects.open()
                .filter(pk=self.pk, **({"created_at": sent} if sent else {}))
                .update(
                    token_hash=token_hash,
                    created_at=timezone.now(),
                    expires_at=timezone.now() + timedelta(days=settings.INVITATION_VALID_DAYS),
                )
            )
            if renewed:
                self._log(InvitationAction.RESENT, by=by)
        self.refresh_from_db()
        return token if renewed else None

    def revoke(self, *, by):
        """Withdraw an open invitation, once: False when it was no longer open."""
        with transaction.atomic():
            revoked = Invitation.objects.open().filter(pk=self.pk).update(revoked_at=timezone.now())
            if revoked:
                self._log(InvitationAction.REVOKED, by=by)
        self.refresh_from_db()
        return bool(revoked)

    def _log(self, action, *, by):
        Wijziging.log(self, action, user=by, role=Role.PRAKTIJKOPLEIDER, data={"email": self.email})

    def accept(self, user):
        """Grant the role to `user`, claimed with a conditional update: the link works once, even when clicked twice."""
        claimed = Invitation.objects.open().filter(pk=self.pk).update(accepted_at=timezone.now(), accepted_by=user)
        if not claimed:
            return False
        if self.role == Role.STAGIAIR:
            Stagiair.objects.filter(pk=self.stagiair_id).update(user=user)
        elif self.role == Role.MBO_BEGELEIDER:
            Membership.objects.get_or_create(
                user=user, role=self.role, onderwijsinstelling_id=self.onderwijsinstelling_id, ended_at=None
            )
            # Only while the stage is still at this school and has no mbo-begeleider: the praktijkopleider may have
            # chosen someone else since the invitation left.
            Stage.objects.filter(
                pk=self.stage_id, onderwijsinstelling_id=self.onderwijsinstelling_id, mbo_begeleider__isnull=True
            ).update(mbo_begeleider=user)
        else:
            Membership.grant(user=user, role=self.role, leerbedrijf=self.leerbedrijf)
        return True
