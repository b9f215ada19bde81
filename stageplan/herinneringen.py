"""The reminders of the stageplan's chapter (ch. 7): its planned moments, with calendar invitations, and a
stageplan not yet agreed; the engine is stagegids/reminders.py. The moment helpers serve the later chapters'
kinds too (a beoordeling is held at a moment)."""

from datetime import timedelta

from django.conf import settings
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from leerbedrijf.herinneringen import is_opleider, is_opleider_at, opleiders_of
from leerbedrijf.models import Stage
from stagegids import reminders
from stagegids.models import Reminder, ReminderStatus
from stagegids.reminders import CATCH_UP, Due, Message, at_midnight, sees
from stagegids.roles import BEGELEIDER_ROLES, Role

from . import ical, overdue
from .models import WITH_SCHOOL, Moment, MomentKind, MomentVoorstel, VoorstelState, without_agreed_stageplan


def moment_participants(moment, opleiders):
    """[(user id, role)] of a moment with its stage and stagiair loaded; a person in two roles once."""
    stage = moment.stage
    people = [(user_id, Role.PRAKTIJKOPLEIDER) for user_id in opleiders.get(stage.leerbedrijf_id, [])]
    people.append((stage.werkplekbegeleider_id, Role.WERKPLEKBEGELEIDER))
    # The praktijkbeoordelaar assesses at the eindbeoordeling (ch. 9), so it is in their calendar too.
    if moment.kind == MomentKind.EINDBEOORDELING:
        people.append((stage.praktijkbeoordelaar_id, Role.PRAKTIJKBEOORDELAAR))
    people.append((stage.stagiair.user_id, Role.STAGIAIR))
    if moment.kind in WITH_SCHOOL:
        people.append((stage.mbo_begeleider_id, Role.MBO_BEGELEIDER))
    seen = {}
    for user_id, role in people:
        if user_id and user_id not in seen:
            seen[user_id] = role
    return list(seen.items())


def moment_dues(moments, people):
    """Due rows for (occasion, moment) pairs, keyed on each moment's time and sequence, to `people(moment,
    opleiders)` ([(user id, role)]), with the praktijkopleiders of all their leerbedrijven read in one query."""
    opleiders = opleiders_of({moment.stage.leerbedrijf_id for _occasion, moment in moments})
    return [
        Due(moment.pk, occasion, moment.starts_at, user_id, role, moment.sequence)
        for occasion, moment in moments
        for user_id, role in people(moment, opleiders)
    ]


def with_recipient_opleider(subjects, reminder):
    """current()'s subjects (of a stage), each knowing whether the reminder's recipient is a praktijkopleider of
    its leerbedrijf: holds() then needs no query per reminder, as due() reads the praktijkopleiders of all its
    subjects in one. Without a reminder (the engine asking only which model a kind's subjects are) there is no one
    to place."""
    if reminder is None:
        return subjects
    return subjects.annotate(
        recipient_is_opleider=is_opleider_at(reminder.recipient_id, OuterRef("stage__leerbedrijf_id"))
    )


def recipient_opleiders(reminder, subject):
    """The `opleiders` ({leerbedrijf id: [user ids]}) that people(...) needs to place the recipient: only whether
    the recipient is one counts, since a person in two roles is named in the first (the praktijkopleider's)."""
    return {subject.stage.leerbedrijf_id: [reminder.recipient_id]} if subject.recipient_is_opleider else {}


def reaches(people, moment, reminder):
    """Whether `people(moment, opleiders)` still holds the reminder's recipient in the role they were reminded in."""
    return dict(people(moment, opleiders_of({moment.stage.leerbedrijf_id}))).get(reminder.recipient_id) == reminder.role


def moment_when(moment):
    return date_format(timezone.localtime(moment.starts_at), "l j F \\o\\m H:i")


def moment_title(moment):
    return _("%(kind)s van %(stagiair)s op %(when)s") % {
        "kind": moment.get_kind_display(),
        "stagiair": moment.stage.stagiair.name,
        "when": moment_when(moment),
    }


def calendar_invitation(moment, *, method, attendee):
    """The attachment of a reminder mail: the moment's REQUEST or CANCEL (ical.invitation)."""
    content = ical.invitation(moment, method=method, attendee=attendee)
    return ("uitnodiging.ics", content.decode(), f"text/calendar; method={method}")


@reminders.register
class MomentReminder(reminders.Kind):
    """A planned gesprek or beoordeling, a week and a day before (REMINDER_MOMENT_LEAD_DAYS), with an invitation."""

    code = "gesprek"
    subject_type = "moment"
    # A moved or changed moment is a new occasion.
    key_fields = ("starts_at", "sequence")
    recipients = frozenset(
        {Role.PRAKTIJKOPLEIDER, *BEGELEIDER_ROLES, Role.PRAKTIJKBEOORDELAAR, Role.STAGIAIR, Role.MBO_BEGELEIDER}
    )
    mandatory_for = frozenset({Role.STAGIAIR})
    label = gettext_lazy("Geplande gesprekken en beoordelingen")
    help_text = gettext_lazy("Een week en een dag van tevoren, met een agenda-uitnodiging.")
    title = gettext_lazy("Herinnering: %(title)s")
    order = 10

    def due(self, *, now):
        moments, opened = [], now
        # Each lead has its own window, so a moment gets the reminder of the nearest lead only.
        for lead in sorted(settings.REMINDER_MOMENT_LEAD_DAYS):
            window = Moment.objects.planned().filter(
                starts_at__gt=opened,
                starts_at__lte=now + timedelta(days=lead),
                stage__end_date__gte=now.date(),
            )
            for moment in window.filter(self.not_yet(f"{lead}d")).select_related("stage__stagiair"):
                moments.append((f"{lead}d", moment))
            opened = now + timedelta(days=lead)
        return moment_dues(moments, moment_participants)

    def current(self, reminder, *, now):
        moments = Moment.objects.planned().filter(starts_at__gt=now).select_related("stage__stagiair")
        return with_recipient_opleider(moments, reminder)

    def holds(self, reminder, moment):
        return reminder.recipient_id in dict(moment_participants(moment, recipient_opleiders(reminder, moment)))

    def compose(self, reminder, moment, *, now):
        lines = [_("Gepland: %(title)s.") % {"title": moment_title(moment)}]
        if moment.location:
            lines.append(_("Plaats: %(location)s.") % {"location": moment.location})
        lines.append(_("In de bijlage staat de uitnodiging voor uw agenda."))
        return Message(
            title=self.title % {"title": moment_title(moment)},
            lines=lines,
            path=moment.stage.get_absolute_url(),
            action=_("Bekijk de stage"),
            attachments=(calendar_invitation(moment, method="REQUEST", attendee=reminder.recipient),),
        )


@reminders.register
class MomentChanged(MomentReminder):
    """A moment moved or changed after its invitation went out, to beyond the reminder windows: the calendars get
    the new time at once (inside a window the moment's own reminder carries it)."""

    code = "gesprek_gewijzigd"
    preference = MomentReminder.code
    label = gettext_lazy("Gewijzigde gesprekken")
    title = gettext_lazy("Gewijzigd: %(title)s")
    order = 11

    def due(self, *, now):
        # Moments whose invitation went out lately (for a time not long past): the few that can have moved.
        informed = Reminder.objects.filter(
            subject_type=self.subject_type,
            kind__in=[MomentReminder.code, self.code],
            status=ReminderStatus.SENT,
            occasion_at__gt=now - CATCH_UP,
        ).values("subject_id")
        current = Reminder.objects.filter(
            subject_type=self.subject_type,
            subject_id=OuterRef("pk"),
            kind__in=[MomentReminder.code, self.code],
            occasion_at=OuterRef("starts_at"),
            sequence=OuterRef("sequence"),
        )
        moments = (
            Moment.objects.planned()
            .filter(starts_at__gt=now + timedelta(days=max(settings.REMINDER_MOMENT_LEAD_DAYS)))
            .filter(pk__in=informed)
            .filter(~Exists(current))
            .select_related("stage__stagiair")
        )
        return moment_dues([("gewijzigd", moment) for moment in moments], moment_participants)


# The kinds whose mail carries a calendar invitation: who got one of these gets the cancellation.
INVITING = [MomentReminder.code, MomentChanged.code]


@reminders.register
class MomentCancelled(reminders.Kind):
    """A moment cancelled after its invitation went out: a CANCEL for the calendars of those who got it."""

    code = "gesprek_geannuleerd"
    subject_type = "moment"
    # The CANCEL clears the calendars also, and above all, after the stage stopped (its moments are cancelled).
    stage_lookup = None
    key_fields = ("cancelled_at",)
    mandatory_for = MomentReminder.mandatory_for
    preference = MomentReminder.code
    label = gettext_lazy("Geannuleerde gesprekken")
    order = 12

    def due(self, *, now):
        invited = Reminder.objects.filter(
            subject_type=self.subject_type,
            subject_id=OuterRef("pk"),
            kind__in=INVITING,
            status=ReminderStatus.SENT,
        )
        cancelled = dict(
            Moment.objects.filter(cancelled_at__isnull=False, starts_at__gt=now)
            .filter(Exists(invited), self.not_yet("geannuleerd"))
            .values_list("pk", "cancelled_at")
        )
        sent = (
            Reminder.objects.filter(
                subject_type=self.subject_type,
                subject_id__in=cancelled,
                kind__in=INVITING,
                status=ReminderStatus.SENT,
            )
            .values_list("subject_id", "recipient_id", "role")
            .distinct()
        )
        return [Due(moment_id, "geannuleerd", cancelled[moment_id], user_id, role) for moment_id, user_id, role in sent]

    def current(self, reminder, *, now):
        return Moment.objects.select_related("stage__stagiair")

    def still_seen(self, reminder, moment):
        # Whoever got the invitation gets the cancellation, even after losing their role: it only clears their
        # calendar. The link goes to the stage only for who still sees it (compose).
        return True

    def compose(self, reminder, moment, *, now):
        url = (
            moment.stage.get_absolute_url() if sees(reminder.recipient, Moment.objects, moment.pk) else reverse("start")
        )
        return Message(
            title=_("Geannuleerd: %(title)s") % {"title": moment_title(moment)},
            lines=[_("Dit moment gaat niet door. De afspraak in uw agenda wordt met de bijlage verwijderd.")],
            path=url,
            action=_("Naar de Stagegids"),
            attachments=(calendar_invitation(moment, method="CANCEL", attendee=reminder.recipient),),
        )


def deciders(stage, opleiders):
    """[(user id, role)]: who decides on the stagiair's proposals, the people who plan the moments
    (rules: stageplan.plan_moment), of `stage` with its praktijkopleiders `opleiders` ({leerbedrijf id: [ids]})."""
    people = {user_id: Role.PRAKTIJKOPLEIDER for user_id in opleiders.get(stage.leerbedrijf_id, [])}
    if stage.werkplekbegeleider_id:
        people.setdefault(stage.werkplekbegeleider_id, Role.WERKPLEKBEGELEIDER)
    return list(people.items())


def voorstel_title(voorstel):
    if voorstel.moment_id is None:
        return _("%(stagiair)s stelt een %(kind)s voor op %(when)s")
    return _("%(stagiair)s stelt een andere datum voor de %(kind)s voor: %(when)s")


@reminders.register
class VoorstelOpen(reminders.Kind):
    """The stagiair proposed a moment or a new date: at once, to whoever decides on it."""

    code = "moment_voorstel"
    subject_type = "momentvoorstel"
    key_fields = ("created_at",)
    # The stagiair hears the decision (VoorstelBesloten), which shares this choice.
    recipients = frozenset({Role.PRAKTIJKOPLEIDER, *BEGELEIDER_ROLES, Role.STAGIAIR})
    label = gettext_lazy("Voorstellen voor gesprekken")
    help_text = gettext_lazy("Een voorstel van de stagiair voor een gesprek of een andere datum, en het besluit.")
    order = 13

    def due(self, *, now):
        voorstellen = list(
            MomentVoorstel.objects.open()
            .filter(created_at__gt=now - CATCH_UP, stage__end_date__gte=now.date())
            .filter(self.not_yet("open"))
            .select_related("stage")
        )
        opleiders = opleiders_of({voorstel.stage.leerbedrijf_id for voorstel in voorstellen})
        return [
            Due(voorstel.pk, "open", voorstel.created_at, user_id, role)
            for voorstel in voorstellen
            for user_id, role in deciders(voorstel.stage, opleiders)
        ]

    def current(self, reminder, *, now):
        return with_recipient_opleider(MomentVoorstel.objects.open().select_related("stage__stagiair"), reminder)

    def holds(self, reminder, voorstel):
        people = deciders(voorstel.stage, recipient_opleiders(reminder, voorstel))
        return dict(people).get(reminder.recipient_id) == reminder.role

    def compose(self, reminder, voorstel, *, now):
        title = voorstel_title(voorstel) % {
            "stagiair": voorstel.stage.stagiair.name,
            "kind": voorstel.get_kind_display(),
            "when": moment_when(voorstel),
        }
        lines = [_("Neem het voorstel aan of wijs het af; het staat bij de gesprekken en beoordelingen.")]
        if voorstel.toelichting:
            lines.insert(0, _("Toelichting: %(text)s") % {"text": voorstel.toelichting})
        return Message(
            title=title,
            lines=lines,
            path=reverse("stageplan:moments", args=[voorstel.stage_id]),
            action=_("Naar het voorstel"),
        )


@reminders.register
class VoorstelBesloten(reminders.Kind):
    """The stagiair's proposal was accepted or declined: to the stagiair who made it."""

    code = "moment_voorstel_besluit"
    subject_type = "momentvoorstel"
    key_fields = ("decided_at",)
    preference = VoorstelOpen.code
    recipients = frozenset({Role.STAGIAIR})
    label = gettext_lazy("Besluit over je voorstel")
    order = 14

    def due(self, *, now):
        decided = MomentVoorstel.objects.exclude(state=VoorstelState.OPEN).filter(
            decided_at__gt=now - CATCH_UP, proposed_by__isnull=False
        )
        return self.to_one(decided, occasion="besluit", recipient="proposed_by", role=Role.STAGIAIR)

    def current(self, reminder, *, now):
        return MomentVoorstel.objects.exclude(state=VoorstelState.OPEN).select_related("stage__stagiair", "decided_by")

    def holds(self, reminder, voorstel):
        return voorstel.stage.stagiair.user_id == reminder.recipient_id

    def compose(self, reminder, voorstel, *, now):
        held = {"kind": voorstel.get_kind_display(), "when": moment_when(voorstel)}
        if voorstel.state == VoorstelState.AANGENOMEN:
            title = _("Je voorstel is aangenomen: %(kind)s op %(when)s") % held
            lines = [_("Het moment staat nu in de planning.")]
        else:
            title = _("Je voorstel is afgewezen: %(kind)s op %(when)s") % held
            lines = [_("Bespreek een ander moment met je praktijkopleider of werkplekbegeleider.")]
            if voorstel.reden:
                lines.insert(0, _("Reden: %(reden)s") % {"reden": voorstel.reden})
        return Message(
            title=title,
            lines=lines,
            path=reverse("stageplan:moments", args=[voorstel.stage_id]),
            action=_("Naar de planning"),
        )


@reminders.register
class StageplanNotAgreed(reminders.Kind):
    """A stageplan without an agreed version REMINDER_STAGEPLAN_AGREED_DAYS after the start of the stage."""

    code = "stageplan_akkoord"
    subject_type = "stage"
    recipients = frozenset({Role.PRAKTIJKOPLEIDER, Role.STAGIAIR})
    label = gettext_lazy("Stageplan nog niet akkoord")
    help_text = gettext_lazy("Twee weken na de start, als er nog geen akkoord stageplan is.")
    order = 30

    def due(self, *, now):
        today = timezone.localdate(now)
        due_since = today - timedelta(days=settings.REMINDER_STAGEPLAN_AGREED_DAYS)
        stages = without_agreed_stageplan(
            Stage.objects.filter(start_date__lte=due_since, start_date__gt=due_since - CATCH_UP, end_date__gte=today)
        )
        rows = list(
            stages.filter(self.not_yet("akkoord")).values_list(
                "pk", "start_date", "leerbedrijf_id", "stagiair__user_id"
            )
        )
        opleiders = opleiders_of({row[2] for row in rows})
        due = []
        for pk, start, leerbedrijf_id, stagiair_user_id in rows:
            people = [(stagiair_user_id, Role.STAGIAIR)] if stagiair_user_id else []
            people += [(user_id, Role.PRAKTIJKOPLEIDER) for user_id in opleiders.get(leerbedrijf_id, [])]
            due += [Due(pk, "akkoord", at_midnight(start), user_id, role) for user_id, role in people]
        return due

    def current(self, reminder, *, now):
        stages = Stage.objects.filter(end_date__gte=timezone.localdate(now))
        return without_agreed_stageplan(stages).select_related("stagiair")

    def holds(self, reminder, stage):
        if reminder.role == Role.STAGIAIR:
            return stage.stagiair.user_id == reminder.recipient_id
        return is_opleider(reminder.recipient_id, stage.leerbedrijf_id)

    def compose(self, reminder, stage, *, now):
        return Message(
            title=_("Het stageplan van %(stagiair)s is nog niet akkoord") % {"stagiair": stage.stagiair.name},
            lines=[
                _("De stage begon op %(date)s. Maak het stageplan samen af en geef akkoord.")
                % {"date": date_format(stage.start_date, "j F Y")}
            ],
            path=stage.get_absolute_url(),
            action=_("Naar de stage"),
        )


@reminders.register
class MomentOverdue(reminders.Kind):
    """Sla ze niet over (ch. 8): a moment MOMENT_OVERDUE_DAYS past its time and not held (overdue.py), once, to whoever
    must act on it. Held, moved or cancelled with a reason before the mail goes: nothing is sent; moved to another
    past time, it is a new occasion."""

    code = "moment_overgeslagen"
    subject_type = "moment"
    key_fields = ("starts_at", "sequence")
    recipients = frozenset({Role.PRAKTIJKOPLEIDER, *BEGELEIDER_ROLES})
    # One choice with the moments' own reminders; the start page flags it whatever is chosen.
    preference = MomentReminder.code
    label = gettext_lazy("Gesprek of beoordeling niet vastgelegd")
    order = 15

    def due(self, *, now):
        moments = (
            overdue.overdue(now)
            .filter(self.not_yet("overgeslagen"), starts_at__gt=now - CATCH_UP)
            .select_related("stage")
        )
        return moment_dues([("overgeslagen", moment) for moment in moments], overdue.actors)

    def current(self, reminder, *, now):
        return overdue.overdue(now).select_related("stage__stagiair")

    def holds(self, reminder, moment):
        return reaches(overdue.actors, moment, reminder)

    def compose(self, reminder, moment, *, now):
        return Message(
            title=_("Niet vastgelegd: %(title)s") % {"title": moment_title(moment)},
            lines=[
                _("De gids zegt: sla de vaste momenten niet over. Dit moment is voorbij en nog niet vastgelegd."),
                _("Leg het gesprek of de beoordeling vast, verplaats het moment, of annuleer het met een reden."),
            ],
            path=overdue.record_url(moment),
            action=_("Vastleggen"),
        )
