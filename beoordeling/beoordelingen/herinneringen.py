"""The reminders of the beoordeling (chapter 9): the zelfbeoordeling before a tussenbeoordeling, a beoordeling to
start or to sign, and collega-feedback; the engine is stagegids/reminders.py."""

from datetime import timedelta

from django.conf import settings
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from leerbedrijf.herinneringen import opleiders_of
from leerbedrijf.models import Stage
from stagegids import reminders
from stagegids.reminders import CATCH_UP, Due, Message
from stagegids.roles import Role
from stageplan.herinneringen import moment_dues, moment_title, moment_when, reaches
from stageplan.models import MomentKind

from ..gesprekken.herinneringen import Preparation, ZelfreflectieNotFilled
from .models import COMPANY_ROLES, EIND_KINDS, Beoordeling, BeoordelingState, CollegaVraag, Invulling, Party

# The states in which a beoordeling still waits for signatures.
UNSIGNED_STATES = (BeoordelingState.INVULLEN, BeoordelingState.GESPREK)
OCCASION_BEDRIJF = "ondertekenen"
OCCASION_STAGIAIR = "stagiair_tekent"  # Reminder.occasion holds 20 characters


@reminders.register
class ZelfbeoordelingNotSubmitted(Preparation):
    """A tussenbeoordeling within REMINDER_ZELFREFLECTIE_DAYS whose form the stagiair has not handed in."""

    code = "zelfbeoordeling"
    subject_type = "beoordeling"
    key_fields = ("moment__starts_at", "moment__sequence")
    preference = ZelfreflectieNotFilled.code
    label = gettext_lazy("Zelfbeoordeling voor een tussenbeoordeling")
    order = 21

    def open(self, now):
        """Beoordelingen still being filled in, at a planned tussenbeoordeling still to come, whose stagiair's form
        is not handed in."""
        open_form = Invulling.objects.filter(beoordeling=OuterRef("pk"), party=Party.STAGIAIR, submitted_at=None)
        return Beoordeling.objects.filter(
            Exists(open_form),
            state=BeoordelingState.INVULLEN,
            moment__kind=MomentKind.TUSSENBEOORDELING,
            moment__cancelled_at=None,
            moment__starts_at__gt=now,
            stage__stagiair__user__is_active=True,
        ).select_related("moment")

    def compose(self, reminder, beoordeling, *, now):
        return Message(
            title=_("Vul je zelfbeoordeling in voor de tussenbeoordeling van %(when)s")
            % {"when": moment_when(beoordeling.moment)},
            lines=[
                _(
                    "Vul voor het gesprek bij elk criterium in hoe je er volgens jezelf voor staat, en lever het "
                    "formulier in."
                ),
                _("In het gesprek leggen jullie je antwoorden naast die van je praktijkopleider."),
            ],
            path=reverse("beoordeling:fill", args=[beoordeling.pk]),
            action=_("Naar je zelfbeoordeling"),
        )


@reminders.register
class CollegaFeedbackUnanswered(reminders.Kind):
    """A colleague's feedback request unanswered REMINDER_COLLEGA_FEEDBACK_DAYS before its link expires; not one
    that was withdrawn.

    The colleague often has no account and a Reminder goes to a user; only the hash of the link's token is kept, so
    the link cannot be sent again either. So the person who asked hears it, and can ask the colleague in person or
    send a new link (a new term: key_fields holds expires_at, so a later reminder comes for it).
    """

    code = "collega_feedback"
    subject_type = "collega_vraag"
    stage_lookup = "beoordeling__stage"
    key_fields = ("expires_at",)
    recipients = frozenset({Role.PRAKTIJKOPLEIDER, Role.PRAKTIJKBEOORDELAAR})
    label = gettext_lazy("Collega-feedback nog niet gegeven")
    help_text = gettext_lazy("Een paar dagen voordat de link naar een collega verloopt, als die nog niet antwoordde.")
    order = 60

    def due(self, *, now):
        vragen = (
            CollegaVraag.objects.open(now)
            .filter(
                expires_at__lte=now + timedelta(days=settings.REMINDER_COLLEGA_FEEDBACK_DAYS),
                asked_by__is_active=True,
            )
            .filter(self.not_yet("verloopt", recipient=OuterRef("asked_by_id")))
        )
        rows = list(vragen.values_list("pk", "expires_at", "asked_by_id", "beoordeling__stage__leerbedrijf_id"))
        opleiders = opleiders_of({row[3] for row in rows})
        return [
            Due(
                pk,
                "verloopt",
                expires_at,
                user_id,
                Role.PRAKTIJKOPLEIDER if user_id in opleiders.get(leerbedrijf_id, []) else Role.PRAKTIJKBEOORDELAAR,
            )
            for pk, expires_at, user_id, leerbedrijf_id in rows
        ]

    def current(self, reminder, *, now):
        return CollegaVraag.objects.open(now).select_related("beoordeling__stage__stagiair")

    def holds(self, reminder, vraag):
        return vraag.asked_by_id == reminder.recipient_id

    def seen_through(self, vraag):
        return Beoordeling.objects, vraag.beoordeling_id

    def compose(self, reminder, vraag, *, now):
        return Message(
            title=_("%(name)s gaf nog geen feedback over %(stagiair)s")
            % {"name": vraag.name, "stagiair": vraag.beoordeling.stage.stagiair.name},
            lines=[
                _("U vroeg %(name)s (%(email)s) om feedback. De link verloopt op %(date)s.")
                % {
                    "name": vraag.name,
                    "email": vraag.email,
                    "date": date_format(timezone.localtime(vraag.expires_at), "l j F \\o\\m H:i"),
                },
                _("Deze herinnering komt bij u, niet bij de collega: vraag het persoonlijk of stuur een nieuwe link."),
            ],
            path=vraag.beoordeling.get_absolute_url(),
            action=_("Naar de beoordeling"),
        )


@reminders.register
class BeoordelingNotStarted(reminders.Kind):
    """A planned tussen- or eindbeoordeling REMINDER_BEOORDELING_START_DAYS ahead without a beoordeling: whoever
    starts it (the praktijkopleiders; at an eindbeoordeling the praktijkbeoordelaar, if the stage has one), so the
    forms exist in time for the stagiair's zelfbeoordeling and the moment is not skipped."""

    code = "beoordeling_starten"
    subject_type = "moment"
    key_fields = ("starts_at", "sequence")
    recipients = frozenset({Role.PRAKTIJKOPLEIDER, Role.PRAKTIJKBEOORDELAAR})
    label = gettext_lazy("Beoordeling nog niet gestart")
    help_text = gettext_lazy("Een week voor een geplande beoordeling waarvoor nog geen formulier is gestart.")
    order = 70

    @staticmethod
    def open_moments(now):
        return Beoordeling.open_moments().filter(starts_at__gt=now)

    @staticmethod
    def starters(moment, opleiders):
        """[(user id, role)]: who is reminded to start the beoordeling of `moment`."""
        stage = moment.stage
        if moment.kind == MomentKind.EINDBEOORDELING and stage.praktijkbeoordelaar_id:
            return [(stage.praktijkbeoordelaar_id, Role.PRAKTIJKBEOORDELAAR)]
        return [(user_id, Role.PRAKTIJKOPLEIDER) for user_id in opleiders.get(stage.leerbedrijf_id, [])]

    def due(self, *, now):
        moments = (
            self.open_moments(now)
            .filter(
                self.not_yet("starten"),
                starts_at__lte=now + timedelta(days=settings.REMINDER_BEOORDELING_START_DAYS),
                stage__end_date__gte=timezone.localdate(now),
            )
            .select_related("stage")
        )
        return moment_dues([("starten", moment) for moment in moments], self.starters)

    def current(self, reminder, *, now):
        return self.open_moments(now).select_related("stage__stagiair")

    def holds(self, reminder, moment):
        return reaches(self.starters, moment, reminder)

    def seen_through(self, moment):
        return Stage.objects, moment.stage_id

    def compose(self, reminder, moment, *, now):
        return Message(
            title=_("Start de %(title)s") % {"title": moment_title(moment)},
            lines=[
                _("Voor deze beoordeling is nog geen formulier gestart."),
                _(
                    "Start het nu, dan kan de stagiair de zelfbeoordeling voor het gesprek invullen en vraagt u zo "
                    "nodig collega's om feedback."
                )
                if moment.kind == MomentKind.TUSSENBEOORDELING
                else _("Start het nu en kies bpv-beoordeling of proeve van bekwaamheid.")
                if moment.stage.praktijkbeoordelaar_id
                else _(
                    "Start nu de bpv-beoordeling. Een proeve van bekwaamheid vult de praktijkbeoordelaar in: wijs die "
                    "de stage eerst toe."
                ),
            ],
            path=reverse("beoordeling:stage", args=[moment.stage_id]),
            action=_("Naar de beoordelingen"),
        )


def waits_for_company_form(kind, state):
    """An eindbeoordeling has one form, the company's: until it is handed in, the stagiair has nothing to sign."""
    return kind in EIND_KINDS and state == BeoordelingState.INVULLEN


@reminders.register
class BeoordelingNotSigned(reminders.Kind):
    """A beoordeling not signed by both sides REMINDER_BEOORDELING_SIGN_DAYS after its moment: to each side whose
    signature is missing. For the company, whoever signs its kind (models.COMPANY_ROLES): the praktijkopleiders at a
    tussenbeoordeling; the praktijkopleiders and the stage's praktijkbeoordelaar at a bpv-beoordeling; the
    praktijkbeoordelaar at a pvb. And the stagiair.

    Once per occasion, to whoever was missing then. A correction is a new beoordeling, so it is reminded again.
    """

    code = "ondertekenen"
    subject_type = "beoordeling"
    key_fields = ("moment__starts_at", "moment__sequence")
    recipients = frozenset({Role.PRAKTIJKOPLEIDER, Role.PRAKTIJKBEOORDELAAR, Role.STAGIAIR})
    label = gettext_lazy("Beoordeling nog niet ondertekend")
    help_text = gettext_lazy("Een week na een beoordeling, zolang er een handtekening ontbreekt.")
    order = 80

    def due(self, *, now):
        since = now - timedelta(days=settings.REMINDER_BEOORDELING_SIGN_DAYS)
        # One occasion per side: the stagiair of an eindbeoordeling can only sign once the company's form is handed
        # in, which may be after the company side was reminded.
        beoordelingen = (
            Beoordeling.objects.filter(
                state__in=UNSIGNED_STATES,
                moment__cancelled_at=None,
                moment__starts_at__lte=since,
                moment__starts_at__gt=since - CATCH_UP,
            )
            .annotate(bedrijf_open=self.not_yet(OCCASION_BEDRIJF), stagiair_open=self.not_yet(OCCASION_STAGIAIR))
            .filter(Q(bedrijf_open=True) | Q(stagiair_open=True))
        )
        rows = list(
            beoordelingen.values_list(
                "pk",
                "kind",
                "state",
                "moment__starts_at",
                "moment__sequence",
                "stage__leerbedrijf_id",
                "stage__praktijkbeoordelaar_id",
                "stage__stagiair__user_id",
                "bedrijf_signed_at",
                "stagiair_signed_at",
                "bedrijf_open",
                "stagiair_open",
            )
        )
        opleiders = opleiders_of({row[5] for row in rows if Role.PRAKTIJKOPLEIDER in COMPANY_ROLES[row[1]]})
        due = []
        for (
            pk, kind, state, starts_at, sequence, leerbedrijf_id, beoordelaar_id, stagiair_id, bedrijf_at, stagiair_at,
            bedrijf_open, stagiair_open,
        ) in rows:  # fmt: skip
            if bedrijf_open and bedrijf_at is None:
                company = {}
                for role in COMPANY_ROLES[kind]:
                    holders = opleiders.get(leerbedrijf_id, []) if role == Role.PRAKTIJKOPLEIDER else [beoordelaar_id]
                    for user_id in holders:
                        # One reminder per person, in the role they sign in (COMPANY_ROLES lists it first).
                        if user_id:
                            company.setdefault(user_id, role)
                due += [
                    Due(pk, OCCASION_BEDRIJF, starts_at, user_id, role, sequence) for user_id, role in company.items()
                ]
            if stagiair_open and stagiair_at is None and stagiair_id and not waits_for_company_form(kind, state):
                due.append(Due(pk, OCCASION_STAGIAIR, starts_at, stagiair_id, Role.STAGIAIR, sequence))
        return due

    def current(self, reminder, *, now):
        return Beoordeling.objects.filter(state__in=UNSIGNED_STATES, moment__cancelled_at=None).select_related(
            "moment", "stage__stagiair"
        )

    def holds(self, reminder, beoordeling):
        # The side the recipient was reminded for, which they must still sign for (signer_side checks the role).
        side = "stagiair" if reminder.role == Role.STAGIAIR else "bedrijf"
        return (
            beoordeling.signer_side(reminder.recipient) == side
            and getattr(beoordeling, f"{side}_signed_at") is None
            and not (side == "stagiair" and waits_for_company_form(beoordeling.kind, beoordeling.state))
        )

    def compose(self, reminder, beoordeling, *, now):
        held = {
            "kind": beoordeling.get_kind_display(),
            "date": date_format(timezone.localtime(beoordeling.moment.starts_at), "j F Y"),
        }
        if reminder.role == Role.STAGIAIR:
            lines = [_("De %(kind)s was op %(date)s en jouw handtekening ontbreekt nog.") % held]
        else:
            lines = [_("De %(kind)s was op %(date)s en uw handtekening ontbreekt nog.") % held]
        if beoordeling.state == BeoordelingState.INVULLEN:
            lines.append(_("Ondertekenen kan zodra de formulieren zijn ingeleverd of het gesprek is geopend."))
        else:
            lines.append(_("Lees de beoordeling na en onderteken die."))
        return Message(
            title=_("De %(kind)s van %(stagiair)s is nog niet ondertekend")
            % {"kind": beoordeling.get_kind_display(), "stagiair": beoordeling.stage.stagiair.name},
            lines=lines,
            path=beoordeling.get_absolute_url(),
            action=_("Naar de beoordeling"),
        )
