"""Herinneringen: what is due, for whom, and sending each reminder exactly once.

How "exactly once" holds
------------------------
1. The scan (beat task, every REMINDER_SCAN_SECONDS) derives from the database what is due and inserts one
   Reminder row per (subject, kind, occasion, recipient), ignoring rows that already exist. A beat that fires
   twice, or a second beat, inserts nothing new.
2. In the same transaction the scan stamps the pending rows it enqueues; after commit it enqueues one send task
   per row. A message that never reached a worker (broker away, enqueue raised, message lost) leaves its row
   pending: a failed enqueue clears the stamp so the next scan enqueues it again, a silently lost message is
   enqueued again REMINDER_REENQUEUE_MINUTES after the last time.
3. The send task claims its row with a conditional update (pending -> sending, with a fresh claim id). One worker
   wins; a duplicate message finds nothing to claim and ends.
4. Right before sending it checks the reminder still holds: the moment not cancelled and not moved (the key holds
   its time and sequence), the recipient still a participant and still able to see the thing through the policy
   querysets. If not, the row is skipped and nothing is sent.
5. It sends, then marks the row sent, conditional on its claim.

A worker killed between 3 and 5 leaves the row in "sending". Celery redelivers the message (acks_late,
reject_on_worker_lost) but the redelivery finds the row claimed and leaves it; after REMINDER_CLAIM_TIMEOUT_MINUTES
(longer than any send can take) the scan returns the row to pending and enqueues it: it is sent once.
The one window no design closes: the mail server accepted the message and the worker died before the row was
marked sent, since mail and database share no transaction. Then the reminder goes out a second time after the
timeout: at least once rather than lost. Each reminder's mail carries a stable Message-ID, so mail systems that
de-duplicate on it show it once.

Adding a kind: subclass Kind with `code`, `label`, `due(now=...)` (candidates in a fixed number of queries) and
`message(reminder, now=...)` (re-checks and words it, or None), and append it to KINDS.
"""

import abc
import logging
import smtplib
import uuid
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from functools import partial

from django.conf import settings
from django.db import transaction
from django.db.models import Case, Exists, F, OuterRef, Q, Value, When
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from leerbedrijf.models import Erkenning, ErkenningStatus, Membership, OnboardingItem, Stage
from stagegids.mail import send_templated
from stagegids.models import Delivery
from stagegids.notifications import deliveries_of, notify
from stagegids.policy import visible
from stagegids.roles import BEGELEIDER_ROLES, LEERBEDRIJF_ROLES, Role
from stagemap.models import Verslag
from stageplan.models import Moment, MomentKind, without_agreed_stageplan

from .models import (
    EIND_KINDS,
    Beoordeling,
    BeoordelingState,
    CollegaVraag,
    Invulling,
    Party,
    Reminder,
    ReminderStatus,
)
from .models.gesprek import awaiting_zelfreflectie

logger = logging.getLogger(__name__)

# Errors worth trying again: the mail server is away or refuses for now.
TRANSIENT_MAIL_ERRORS = (smtplib.SMTPException, OSError)
# A Moment has a start and no end; calendars get an hour.
MOMENT_DURATION = timedelta(hours=1)
# How late a reminder for a fixed date (two weeks after the start) may still come, after an outage; older
# occasions are not news any more and would flood a new installation.
CATCH_UP = timedelta(weeks=4)
# Gesprekken with the school: the mbo-begeleider takes part too.
WITH_SCHOOL = {
    MomentKind.TUSSENBEOORDELING,
    MomentKind.EINDBEOORDELING,
    MomentKind.STARTGESPREK,
    MomentKind.MIDDENGESPREK,
    MomentKind.EINDGESPREK,
}


@dataclass(frozen=True)
class Due:
    subject_id: int
    occasion: str
    occasion_at: datetime
    recipient_id: int
    role: str
    sequence: int = 0


@dataclass
class Message:
    """What a reminder says: a title, a few lines and one link to the thing to do."""

    title: str
    lines: list
    path: str
    action: str
    attachments: tuple = ()

    @property
    def url(self):
        return settings.SITE_URL + self.path


def at_midnight(day):
    return timezone.make_aware(datetime.combine(day, time()))


def add_months(day, months):
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return day.replace(year=year, month=month, day=min(day.day, last))
        except ValueError:
            continue
    raise ValueError(day)


def opleiders_of(leerbedrijf_ids):
    """{leerbedrijf id: [user ids]} of the active praktijkopleiders, in one query."""
    found = defaultdict(list)
    rows = Membership.objects.active().filter(
        role=Role.PRAKTIJKOPLEIDER, leerbedrijf_id__in=leerbedrijf_ids, user__is_active=True
    )
    for user_id, leerbedrijf_id in rows.values_list("user_id", "leerbedrijf_id").order_by("pk"):
        found[leerbedrijf_id].append(user_id)
    return found


def sees(user, queryset, pk):
    """Whether `user` still sees row `pk` through the policy."""
    return visible(user, queryset).filter(pk=pk).exists()


class Kind(abc.ABC):
    code = ""
    label = ""
    help_text = ""
    subject_type = ""
    # The preference a person sets for this kind (kinds that belong together share one).
    preference = None
    # Roles for whom this reminder cannot be switched off (delivery "off" becomes "immediately").
    mandatory_for = frozenset()
    # The roles it can reach: the preferences page offers a person only the kinds of the roles they hold.
    recipients = frozenset()

    @property
    def preference_code(self):
        return self.preference or self.code

    def not_yet(self, **key):
        """Whether there is no reminder yet of this kind for the subject (OuterRef("pk")) with this key."""
        return ~Exists(
            Reminder.objects.filter(subject_type=self.subject_type, subject_id=OuterRef("pk"), kind=self.code, **key)
        )

    @abc.abstractmethod
    def due(self, *, now):
        """The (subject, recipient, key) that are due now, as Due rows."""

    @abc.abstractmethod
    def message(self, reminder, *, now):
        """The Message for one reminder, or None when it is no longer due (checked right before sending)."""


def moment_participants(moment, opleiders):
    """[(user id, role)] of a moment with its stage and stagiair loaded; a person in two roles once."""
    stage = moment.stage
    people = [(user_id, Role.PRAKTIJKOPLEIDER) for user_id in opleiders.get(stage.leerbedrijf_id, [])]
    people.append((stage.werkplekbegeleider_id, Role.WERKPLEKBEGELEIDER))
    people.append((stage.stagiair.user_id, Role.STAGIAIR))
    if moment.kind in WITH_SCHOOL:
        people.append((stage.mbo_begeleider_id, Role.MBO_BEGELEIDER))
    seen = {}
    for user_id, role in people:
        if user_id and user_id not in seen:
            seen[user_id] = role
    return list(seen.items())


def moment_title(moment):
    return _("%(kind)s van %(stagiair)s op %(when)s") % {
        "kind": moment.get_kind_display(),
        "stagiair": moment.stage.stagiair.name,
        "when": date_format(timezone.localtime(moment.starts_at), "l j F \\o\\m H:i"),
    }


def calendar_invitation(moment, *, method, attendee):
    """An iCalendar REQUEST (new or changed) or CANCEL for a moment: one UID per moment, SEQUENCE its sequence."""
    from icalendar import Calendar, Event, vCalAddress

    calendar = Calendar()
    calendar.add("prodid", "-//Stagegids//herinneringen//NL")
    calendar.add("version", "2.0")
    calendar.add("method", method)
    event = Event()
    event.add("uid", f"moment-{moment.pk}@stagegids")
    event.add("sequence", moment.sequence)
    event.add("dtstamp", timezone.now())
    event.add("dtstart", moment.starts_at.astimezone(UTC))
    event.add("dtend", (moment.starts_at + MOMENT_DURATION).astimezone(UTC))
    event.add("summary", f"{moment.get_kind_display()} – {moment.stage.stagiair.name}")
    if moment.location:
        event.add("location", moment.location)
    event.add("status", "CANCELLED" if method == "CANCEL" else "CONFIRMED")
    event.add("organizer", vCalAddress(f"mailto:{settings.DEFAULT_FROM_EMAIL.split('<')[-1].rstrip('>')}"))
    event.add("attendee", vCalAddress(f"mailto:{attendee.email}"))
    calendar.add_component(event)
    return ("uitnodiging.ics", calendar.to_ical().decode(), f"text/calendar; method={method}")


class MomentReminder(Kind):
    """A planned gesprek or beoordeling, a week and a day before (REMINDER_MOMENT_LEAD_DAYS), with an invitation."""

    code = "gesprek"
    label = gettext_lazy("Geplande gesprekken en beoordelingen")
    help_text = gettext_lazy("Een week en een dag van tevoren, met een agenda-uitnodiging.")
    subject_type = "moment"
    mandatory_for = frozenset({Role.STAGIAIR})
    title = gettext_lazy("Herinnering: %(title)s")
    recipients = frozenset({Role.PRAKTIJKOPLEIDER, *BEGELEIDER_ROLES, Role.STAGIAIR, Role.MBO_BEGELEIDER})

    def due(self, *, now):
        leads = sorted(settings.REMINDER_MOMENT_LEAD_DAYS)
        moments, opened = [], now
        # Each lead has its own window, so a moment gets the reminder of the nearest lead only.
        for lead in leads:
            window = Moment.objects.planned().filter(
                starts_at__gt=opened,
                starts_at__lte=now + timedelta(days=lead),
                stage__end_date__gte=now.date(),
            )
            key = {"occasion": f"{lead}d", "occasion_at": OuterRef("starts_at"), "sequence": OuterRef("sequence")}
            for moment in window.filter(self.not_yet(**key)).select_related("stage__stagiair"):
                moments.append((f"{lead}d", moment))
            opened = now + timedelta(days=lead)
        opleiders = opleiders_of({moment.stage.leerbedrijf_id for _lead, moment in moments})
        return [
            Due(moment.pk, lead, moment.starts_at, user_id, role, moment.sequence)
            for lead, moment in moments
            for user_id, role in moment_participants(moment, opleiders)
        ]

    def message(self, reminder, *, now):
        moment = Moment.objects.select_related("stage__stagiair").filter(pk=reminder.subject_id).first()
        if (
            moment is None
            or moment.cancelled_at is not None
            or moment.starts_at <= now
            or moment.starts_at != reminder.occasion_at
            or moment.sequence != reminder.sequence
        ):
            return None
        participants = dict(moment_participants(moment, opleiders_of({moment.stage.leerbedrijf_id})))
        if reminder.recipient_id not in participants or not sees(reminder.recipient, Moment.objects, moment.pk):
            return None
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


class MomentChanged(MomentReminder):
    """A moment moved or changed after its invitation went out, to beyond the reminder windows: the calendars get
    the new time at once (inside a window the moment's own reminder carries it)."""

    code = "gesprek_gewijzigd"
    label = gettext_lazy("Gewijzigde gesprekken")
    preference = MomentReminder.code
    title = gettext_lazy("Gewijzigd: %(title)s")

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
        moments = list(
            Moment.objects.planned()
            .filter(starts_at__gt=now + timedelta(days=max(settings.REMINDER_MOMENT_LEAD_DAYS)))
            .filter(pk__in=informed)
            .filter(~Exists(current))
            .select_related("stage__stagiair")
        )
        opleiders = opleiders_of({moment.stage.leerbedrijf_id for moment in moments})
        return [
            Due(moment.pk, "gewijzigd", moment.starts_at, user_id, role, moment.sequence)
            for moment in moments
            for user_id, role in moment_participants(moment, opleiders)
        ]


# The kinds whose mail carries a calendar invitation: who got one of these gets the cancellation.
INVITING = [MomentReminder.code, MomentChanged.code]


class MomentCancelled(Kind):
    """A moment cancelled after its invitation went out: a CANCEL for the calendars of those who got it."""

    code = "gesprek_geannuleerd"
    label = gettext_lazy("Geannuleerde gesprekken")
    subject_type = "moment"
    preference = MomentReminder.code
    mandatory_for = MomentReminder.mandatory_for

    def due(self, *, now):
        invited = Reminder.objects.filter(
            subject_type=self.subject_type,
            subject_id=OuterRef("pk"),
            kind__in=INVITING,
            status=ReminderStatus.SENT,
        )
        cancelled = dict(
            Moment.objects.filter(cancelled_at__isnull=False, starts_at__gt=now)
            .filter(Exists(invited), self.not_yet(occasion_at=OuterRef("cancelled_at")))
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

    def message(self, reminder, *, now):
        moment = Moment.objects.select_related("stage__stagiair").filter(pk=reminder.subject_id).first()
        if moment is None or moment.cancelled_at != reminder.occasion_at:
            return None
        # Whoever got the invitation gets the cancellation, even after losing their role: it only clears their
        # calendar. The link goes to the stage only for who still sees it.
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


class StageplanNotAgreed(Kind):
    """A stageplan without an agreed version REMINDER_STAGEPLAN_AGREED_DAYS after the start of the stage."""

    code = "stageplan_akkoord"
    label = gettext_lazy("Stageplan nog niet akkoord")
    help_text = gettext_lazy("Twee weken na de start, als er nog geen akkoord stageplan is.")
    subject_type = "stage"
    recipients = frozenset({Role.PRAKTIJKOPLEIDER, Role.STAGIAIR})

    def due(self, *, now):
        today = timezone.localdate(now)
        due_since = today - timedelta(days=settings.REMINDER_STAGEPLAN_AGREED_DAYS)
        stages = without_agreed_stageplan(
            Stage.objects.filter(start_date__lte=due_since, start_date__gt=due_since - CATCH_UP, end_date__gte=today)
        )
        rows = list(
            stages.filter(self.not_yet(occasion="akkoord")).values_list(
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

    def message(self, reminder, *, now):
        stage = (
            without_agreed_stageplan(
                Stage.objects.filter(pk=reminder.subject_id, end_date__gte=timezone.localdate(now))
            )
            .select_related("stagiair")
            .first()
        )
        if stage is None or not self.still_involved(reminder, stage):
            return None
        return Message(
            title=_("Het stageplan van %(stagiair)s is nog niet akkoord") % {"stagiair": stage.stagiair.name},
            lines=[
                _("De stage begon op %(date)s. Maak het stageplan samen af en geef akkoord.")
                % {"date": date_format(stage.start_date, "j F Y")}
            ],
            path=stage.get_absolute_url(),
            action=_("Naar de stage"),
        )

    def still_involved(self, reminder, stage):
        if reminder.role == Role.STAGIAIR:
            involved = stage.stagiair.user_id == reminder.recipient_id
        else:
            involved = reminder.recipient_id in opleiders_of({stage.leerbedrijf_id}).get(stage.leerbedrijf_id, [])
        return involved and sees(reminder.recipient, Stage.objects, stage.pk)


class OnboardingDue(Kind):
    """An open onboarding item, to its responsible person REMINDER_ONBOARDING_LEAD_DAYS before its due date."""

    code = "onboarding"
    label = gettext_lazy("Onboarding-acties")
    help_text = gettext_lazy("Op of vlak voor de dag dat een onboarding-actie van u af moet zijn.")
    subject_type = "onboarding_item"
    # An item whose due date passed this long ago during an outage is still reminded; older ones are not news.
    catch_up = timedelta(weeks=1)
    recipients = frozenset(LEERBEDRIJF_ROLES)

    def due(self, *, now):
        today = timezone.localdate(now)
        items = OnboardingItem.objects.open().filter(
            due_date__lte=today + timedelta(days=settings.REMINDER_ONBOARDING_LEAD_DAYS),
            due_date__gt=today - self.catch_up,
            stage__end_date__gte=today,
            responsible__is_active=True,
        )
        rows = list(items.values_list("pk", "due_date", "responsible_id", "stage__werkplekbegeleider_id"))
        # The key holds the due date and the recipient: a new date or a new responsible person is a new reminder.
        done = set(
            Reminder.objects.filter(
                subject_type=self.subject_type, kind=self.code, subject_id__in=[row[0] for row in rows]
            ).values_list("subject_id", "occasion_at", "recipient_id")
        )
        due = [
            Due(pk, "uiterlijk", at_midnight(day), user_id, self.role_of(user_id, werkplekbegeleider_id))
            for pk, day, user_id, werkplekbegeleider_id in rows
        ]
        return [d for d in due if (d.subject_id, d.occasion_at, d.recipient_id) not in done]

    @staticmethod
    def role_of(user_id, werkplekbegeleider_id):
        return Role.WERKPLEKBEGELEIDER if user_id == werkplekbegeleider_id else Role.PRAKTIJKOPLEIDER

    def message(self, reminder, *, now):
        item = (
            OnboardingItem.objects.open()
            .filter(pk=reminder.subject_id, stage__end_date__gte=timezone.localdate(now))
            .select_related("stage__stagiair")
            .first()
        )
        if (
            item is None
            or item.responsible_id != reminder.recipient_id
            or at_midnight(item.due_date) != reminder.occasion_at
            or not sees(reminder.recipient, OnboardingItem.objects, item.pk)
        ):
            return None
        return Message(
            title=_("Onboarding van %(stagiair)s: uiterlijk %(date)s")
            % {"stagiair": item.stage.stagiair.name, "date": date_format(item.due_date, "l j F")},
            lines=[
                _("U bent verantwoordelijk voor: %(text)s") % {"text": item.text},
                _("Vink de actie af als die klaar is."),
            ],
            path=reverse("leerbedrijf:onboarding", kwargs={"pk": item.stage_id}) + f"#actie-{item.pk}",
            action=_("Naar de onboarding"),
        )


class VerslagReviewWaiting(Kind):
    """A verslag shared with the school and not yet reviewed REMINDER_VERSLAG_REVIEW_DAYS later: to the
    mbo-begeleider of the stage."""

    code = "verslag_oordeel"
    label = gettext_lazy("Gedeelde verslagen zonder oordeel")
    help_text = gettext_lazy("Vijf dagen nadat een verslag met de school is gedeeld, als er nog geen oordeel is.")
    subject_type = "verslag"
    recipients = frozenset({Role.MBO_BEGELEIDER})

    def due(self, *, now):
        since = now - timedelta(days=settings.REMINDER_VERSLAG_REVIEW_DAYS)
        # The key holds the time of sharing: a verslag shared again after unsharing is a new occasion.
        verslagen = Verslag.objects.filter(
            shared_at__lte=since,
            shared_at__gt=since - CATCH_UP,
            review="",
            stage__mbo_begeleider__is_active=True,
        ).filter(
            self.not_yet(
                occasion="oordeel", occasion_at=OuterRef("shared_at"), recipient=OuterRef("stage__mbo_begeleider_id")
            )
        )
        return [
            Due(pk, "oordeel", shared_at, user_id, Role.MBO_BEGELEIDER)
            for pk, shared_at, user_id in verslagen.values_list("pk", "shared_at", "stage__mbo_begeleider_id")
        ]

    def message(self, reminder, *, now):
        verslag = (
            Verslag.objects.filter(pk=reminder.subject_id, review="", shared_at=reminder.occasion_at)
            .select_related("stage__stagiair")
            .first()
        )
        if (
            verslag is None
            or verslag.stage.mbo_begeleider_id != reminder.recipient_id
            or not sees(reminder.recipient, Verslag.objects, verslag.pk)
        ):
            return None
        return Message(
            title=_("Verslag van %(stagiair)s wacht op uw oordeel") % {"stagiair": verslag.stage.stagiair.name},
            lines=[
                _("%(title)s is op %(date)s met de school gedeeld en heeft nog geen oordeel.")
                % {"title": verslag.title, "date": date_format(timezone.localtime(verslag.shared_at), "j F Y")},
            ],
            path=reverse("stagemap:stagemap", kwargs={"pk": verslag.stage_id}) + f"#verslag-{verslag.pk}",
            action=_("Naar het verslag"),
        )


class CollegaFeedbackUnanswered(Kind):
    """A colleague's feedback request unanswered REMINDER_COLLEGA_FEEDBACK_DAYS before its link expires.

    The colleague often has no account and a Reminder goes to a user; only the hash of the link's token is kept, so
    the link cannot be sent again either. So the person who asked hears it, and can ask the colleague in person or
    send a new request.
    """

    code = "collega_feedback"
    label = gettext_lazy("Collega-feedback nog niet gegeven")
    help_text = gettext_lazy("Een paar dagen voordat de link naar een collega verloopt, als die nog niet antwoordde.")
    subject_type = "collega_vraag"
    recipients = frozenset({Role.PRAKTIJKOPLEIDER, Role.PRAKTIJKBEOORDELAAR})

    def due(self, *, now):
        vragen = CollegaVraag.objects.filter(
            answered_at__isnull=True,
            expires_at__gt=now,
            expires_at__lte=now + timedelta(days=settings.REMINDER_COLLEGA_FEEDBACK_DAYS),
            asked_by__is_active=True,
        ).filter(
            self.not_yet(occasion="verloopt", occasion_at=OuterRef("expires_at"), recipient=OuterRef("asked_by_id"))
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

    def message(self, reminder, *, now):
        vraag = (
            CollegaVraag.objects.filter(
                pk=reminder.subject_id, answered_at__isnull=True, expires_at=reminder.occasion_at, expires_at__gt=now
            )
            .select_related("beoordeling__stage__stagiair")
            .first()
        )
        if (
            vraag is None
            or vraag.asked_by_id != reminder.recipient_id
            or not sees(reminder.recipient, Beoordeling.objects, vraag.beoordeling_id)
        ):
            return None
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


class ZelfreflectieNotFilled(Kind):
    """A voortgangsgesprek within REMINDER_ZELFREFLECTIE_DAYS whose zelfreflectie the stagiair has not handed in."""

    code = "zelfreflectie"
    # The preference of both kinds that prepare a gesprek (see ZelfbeoordelingNotSubmitted), so it names both.
    label = gettext_lazy("Zelfreflectie en zelfbeoordeling voor een gesprek")
    help_text = gettext_lazy(
        "Twee dagen voor een voortgangsgesprek of tussenbeoordeling, aan de stagiair die de zelfreflectie of "
        "zelfbeoordeling nog niet heeft ingeleverd."
    )
    subject_type = "moment"
    # Unlike the gesprek itself this can be switched off, also by the stagiair: what may not be skipped is the
    # gesprek, and its own reminder (mandatory) already reaches them; preparing is a task, like the stageplan's
    # akkoord, and task reminders are each person's choice.
    recipients = frozenset({Role.STAGIAIR})

    @staticmethod
    def open_moments(now):
        return awaiting_zelfreflectie(now).filter(stage__stagiair__user__is_active=True)

    def due(self, *, now):
        moments = self.open_moments(now).filter(
            starts_at__lte=now + timedelta(days=settings.REMINDER_ZELFREFLECTIE_DAYS),
            stage__end_date__gte=timezone.localdate(now),
        )
        # A moved moment (new time and sequence) is a new occasion.
        key = {"occasion": "zelfreflectie", "occasion_at": OuterRef("starts_at"), "sequence": OuterRef("sequence")}
        rows = moments.filter(self.not_yet(**key)).values_list(
            "pk", "starts_at", "sequence", "stage__stagiair__user_id"
        )
        return [
            Due(pk, "zelfreflectie", starts_at, user_id, Role.STAGIAIR, sequence)
            for pk, starts_at, sequence, user_id in rows
        ]

    def message(self, reminder, *, now):
        moment = (
            self.open_moments(now)
            .filter(pk=reminder.subject_id, starts_at=reminder.occasion_at, sequence=reminder.sequence)
            .select_related("stage__stagiair")
            .first()
        )
        if (
            moment is None
            or moment.stage.stagiair.user_id != reminder.recipient_id
            or not sees(reminder.recipient, Moment.objects, moment.pk)
        ):
            return None
        when = date_format(timezone.localtime(moment.starts_at), "l j F \\o\\m H:i")
        return Message(
            title=_("Vul je zelfreflectie in voor het voortgangsgesprek van %(when)s") % {"when": when},
            lines=[
                _(
                    "Schrijf voor het gesprek op wat goed ging, wat je moeilijk vond en wat je hierna wilt leren, "
                    "en dien je zelfreflectie in. Je begeleider leest hem ter voorbereiding."
                ),
            ],
            path=reverse("beoordeling:zelfreflectie", args=[moment.pk]),
            action=_("Naar je zelfreflectie"),
        )


class ZelfbeoordelingNotSubmitted(Kind):
    """A tussenbeoordeling within REMINDER_ZELFREFLECTIE_DAYS whose form the stagiair has not handed in."""

    code = "zelfbeoordeling"
    label = gettext_lazy("Zelfbeoordeling voor een tussenbeoordeling")
    subject_type = "beoordeling"
    preference = ZelfreflectieNotFilled.code

    @staticmethod
    def open_beoordelingen(now):
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
        )

    def due(self, *, now):
        beoordelingen = self.open_beoordelingen(now).filter(
            moment__starts_at__lte=now + timedelta(days=settings.REMINDER_ZELFREFLECTIE_DAYS),
            stage__end_date__gte=timezone.localdate(now),
        )
        key = {
            "occasion": "zelfbeoordeling",
            "occasion_at": OuterRef("moment__starts_at"),
            "sequence": OuterRef("moment__sequence"),
        }
        rows = beoordelingen.filter(self.not_yet(**key)).values_list(
            "pk", "moment__starts_at", "moment__sequence", "stage__stagiair__user_id"
        )
        return [
            Due(pk, "zelfbeoordeling", starts_at, user_id, Role.STAGIAIR, sequence)
            for pk, starts_at, sequence, user_id in rows
        ]

    def message(self, reminder, *, now):
        beoordeling = (
            self.open_beoordelingen(now)
            .filter(pk=reminder.subject_id, moment__starts_at=reminder.occasion_at, moment__sequence=reminder.sequence)
            .select_related("moment", "stage__stagiair")
            .first()
        )
        if (
            beoordeling is None
            or not beoordeling.stage.is_stagiair(reminder.recipient)
            or not sees(reminder.recipient, Beoordeling.objects, beoordeling.pk)
        ):
            return None
        when = date_format(timezone.localtime(beoordeling.moment.starts_at), "l j F \\o\\m H:i")
        return Message(
            title=_("Vul je zelfbeoordeling in voor de tussenbeoordeling van %(when)s") % {"when": when},
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


class BeoordelingNotStarted(Kind):
    """A planned tussen- or eindbeoordeling REMINDER_BEOORDELING_START_DAYS ahead without a beoordeling: whoever
    starts it (the praktijkopleiders; at an eindbeoordeling the praktijkbeoordelaar, if the stage has one), so the
    forms exist in time for the stagiair's zelfbeoordeling and the moment is not skipped."""

    code = "beoordeling_starten"
    label = gettext_lazy("Beoordeling nog niet gestart")
    help_text = gettext_lazy("Een week voor een geplande beoordeling waarvoor nog geen formulier is gestart.")
    subject_type = "moment"
    recipients = frozenset({Role.PRAKTIJKOPLEIDER, Role.PRAKTIJKBEOORDELAAR})

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
        key = {"occasion": "starten", "occasion_at": OuterRef("starts_at"), "sequence": OuterRef("sequence")}
        moments = list(
            self.open_moments(now)
            .filter(
                self.not_yet(**key),
                starts_at__lte=now + timedelta(days=settings.REMINDER_BEOORDELING_START_DAYS),
                stage__end_date__gte=timezone.localdate(now),
            )
            .select_related("stage")
        )
        opleiders = opleiders_of({moment.stage.leerbedrijf_id for moment in moments})
        return [
            Due(moment.pk, "starten", moment.starts_at, user_id, role, moment.sequence)
            for moment in moments
            for user_id, role in self.starters(moment, opleiders)
        ]

    def message(self, reminder, *, now):
        moment = (
            self.open_moments(now)
            .filter(pk=reminder.subject_id, starts_at=reminder.occasion_at, sequence=reminder.sequence)
            .select_related("stage__stagiair")
            .first()
        )
        if moment is None:
            return None
        starters = dict(self.starters(moment, opleiders_of({moment.stage.leerbedrijf_id})))
        if starters.get(reminder.recipient_id) != reminder.role or not sees(
            reminder.recipient, Stage.objects, moment.stage_id
        ):
            return None
        return Message(
            title=_("Start de %(title)s") % {"title": moment_title(moment)},
            lines=[
                _("Voor deze beoordeling is nog geen formulier gestart."),
                _(
                    "Start het nu, dan kan de stagiair de zelfbeoordeling voor het gesprek invullen en vraagt u zo "
                    "nodig collega's om feedback."
                )
                if moment.kind == MomentKind.TUSSENBEOORDELING
                else _("Start het nu en kies bpv-beoordeling of proeve van bekwaamheid."),
            ],
            path=reverse("beoordeling:stage", args=[moment.stage_id]),
            action=_("Naar de beoordelingen"),
        )


# The states in which a beoordeling still waits for signatures.
UNSIGNED_STATES = (BeoordelingState.INVULLEN, BeoordelingState.GESPREK)
OCCASION_BEDRIJF = "ondertekenen"
OCCASION_STAGIAIR = "stagiair_tekent"  # Reminder.occasion holds 20 characters


def waits_for_beoordelaar(kind, state):
    """An eindbeoordeling is filled by the praktijkbeoordelaar alone: until it is handed in, the stagiair has
    nothing to sign."""
    return kind in EIND_KINDS and state == BeoordelingState.INVULLEN


class BeoordelingNotSigned(Kind):
    """A beoordeling not signed by both sides REMINDER_BEOORDELING_SIGN_DAYS after its moment: to each side whose
    signature is missing (the praktijkopleiders, or at an eindbeoordeling the praktijkbeoordelaar; the stagiair).

    Once per occasion, to whoever was missing then. A correction is a new beoordeling, so it is reminded again.
    """

    code = "ondertekenen"
    label = gettext_lazy("Beoordeling nog niet ondertekend")
    help_text = gettext_lazy("Een week na een beoordeling, zolang er een handtekening ontbreekt.")
    subject_type = "beoordeling"
    recipients = frozenset({Role.PRAKTIJKOPLEIDER, Role.PRAKTIJKBEOORDELAAR, Role.STAGIAIR})

    def due(self, *, now):
        since = now - timedelta(days=settings.REMINDER_BEOORDELING_SIGN_DAYS)
        # One occasion per side: the stagiair of an eindbeoordeling can only sign once the praktijkbeoordelaar has
        # handed in, which may be after the company side was reminded.
        at = {"occasion_at": OuterRef("moment__starts_at"), "sequence": OuterRef("moment__sequence")}
        beoordelingen = (
            Beoordeling.objects.filter(
                state__in=UNSIGNED_STATES,
                moment__cancelled_at=None,
                moment__starts_at__lte=since,
                moment__starts_at__gt=since - CATCH_UP,
            )
            .annotate(
                bedrijf_open=self.not_yet(occasion=OCCASION_BEDRIJF, **at),
                stagiair_open=self.not_yet(occasion=OCCASION_STAGIAIR, **at),
            )
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
        opleiders = opleiders_of({row[5] for row in rows if row[1] not in EIND_KINDS})
        due = []
        for (
            pk, kind, state, starts_at, sequence, leerbedrijf_id, beoordelaar_id, stagiair_id, bedrijf_at, stagiair_at,
            bedrijf_open, stagiair_open,
        ) in rows:  # fmt: skip
            if bedrijf_open and bedrijf_at is None:
                if kind in EIND_KINDS:
                    company = [(beoordelaar_id, Role.PRAKTIJKBEOORDELAAR)]
                else:
                    company = [(user_id, Role.PRAKTIJKOPLEIDER) for user_id in opleiders.get(leerbedrijf_id, [])]
                due += [
                    Due(pk, OCCASION_BEDRIJF, starts_at, user_id, role, sequence)
                    for user_id, role in company
                    if user_id
                ]
            if stagiair_open and stagiair_at is None and stagiair_id and not waits_for_beoordelaar(kind, state):
                due.append(Due(pk, OCCASION_STAGIAIR, starts_at, stagiair_id, Role.STAGIAIR, sequence))
        return due

    def message(self, reminder, *, now):
        beoordeling = (
            Beoordeling.objects.filter(
                pk=reminder.subject_id,
                state__in=UNSIGNED_STATES,
                moment__cancelled_at=None,
                moment__starts_at=reminder.occasion_at,
                moment__sequence=reminder.sequence,
            )
            .select_related("moment", "stage__stagiair")
            .first()
        )
        # The side the recipient was reminded for, which they must still sign for (signer_side checks the role).
        side = "stagiair" if reminder.role == Role.STAGIAIR else "bedrijf"
        if (
            beoordeling is None
            or beoordeling.signer_side(reminder.recipient) != side
            or getattr(beoordeling, f"{side}_signed_at") is not None
            or (side == "stagiair" and waits_for_beoordelaar(beoordeling.kind, beoordeling.state))
            or not sees(reminder.recipient, Beoordeling.objects, beoordeling.pk)
        ):
            return None
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


class ErkenningHerbeoordeling(Kind):
    """An erkenning whose herbeoordeling (every ERKENNING_VALID_YEARS) falls within REMINDER_ERKENNING_MONTHS."""

    code = "erkenning_herbeoordeling"
    label = gettext_lazy("Herbeoordeling van een erkenning")
    help_text = gettext_lazy("Drie maanden voordat SBB de erkenning opnieuw beoordeelt.")
    subject_type = "erkenning"
    recipients = frozenset({Role.PRAKTIJKOPLEIDER})

    @staticmethod
    def due_on(erkenning):
        base = erkenning.last_herbeoordeling or erkenning.granted_on
        return add_months(base, 12 * settings.ERKENNING_VALID_YEARS) if base else None

    def due(self, *, now):
        today = timezone.localdate(now)
        months = 12 * settings.ERKENNING_VALID_YEARS
        # Due within the coming months, or overdue by less than a year (an older one is not news any more).
        erkenningen = [
            erkenning
            for erkenning in Erkenning.objects.erkend()
            .annotate(base=Coalesce("last_herbeoordeling", "granted_on"))
            .filter(
                base__lte=add_months(today, settings.REMINDER_ERKENNING_MONTHS - months),
                base__gt=add_months(today, -12 - months),
            )
            .only("pk", "leerbedrijf_id", "last_herbeoordeling", "granted_on")
        ]
        # A new herbeoordeling moves the due date, which is the key's time: a new reminder.
        done = set(
            Reminder.objects.filter(
                subject_type=self.subject_type, kind=self.code, subject_id__in=[e.pk for e in erkenningen]
            ).values_list("subject_id", "occasion_at")
        )
        erkenningen = [e for e in erkenningen if (e.pk, at_midnight(self.due_on(e))) not in done]
        opleiders = opleiders_of({erkenning.leerbedrijf_id for erkenning in erkenningen})
        return [
            Due(erkenning.pk, "herbeoordeling", at_midnight(self.due_on(erkenning)), user_id, Role.PRAKTIJKOPLEIDER)
            for erkenning in erkenningen
            for user_id in opleiders.get(erkenning.leerbedrijf_id, [])
        ]

    def message(self, reminder, *, now):
        erkenning = (
            Erkenning.objects.filter(pk=reminder.subject_id, status=ErkenningStatus.ERKEND)
            .select_related("leerbedrijf", "kwalificatie")
            .first()
        )
        if erkenning is None or self.due_on(erkenning) != timezone.localdate(reminder.occasion_at):
            return None
        opleiders = opleiders_of({erkenning.leerbedrijf_id}).get(erkenning.leerbedrijf_id, [])
        if reminder.recipient_id not in opleiders or not sees(reminder.recipient, Erkenning.objects, erkenning.pk):
            return None
        return Message(
            title=_("Herbeoordeling van de erkenning voor %(kwalificatie)s")
            % {"kwalificatie": erkenning.kwalificatie.name},
            lines=[
                _(
                    "SBB beoordeelt de erkenning van %(leerbedrijf)s voor %(kwalificatie)s "
                    "uiterlijk op %(date)s opnieuw."
                )
                % {
                    "leerbedrijf": erkenning.leerbedrijf.name,
                    "kwalificatie": erkenning.kwalificatie.name,
                    "date": date_format(self.due_on(erkenning), "j F Y"),
                },
                _("Zorg dat de checklist en de bewijzen op orde zijn."),
            ],
            path=erkenning.leerbedrijf.get_absolute_url(),
            action=_("Naar uw leerbedrijf"),
        )


KINDS = [
    MomentReminder(),
    MomentChanged(),
    MomentCancelled(),
    ZelfreflectieNotFilled(),
    ZelfbeoordelingNotSubmitted(),
    StageplanNotAgreed(),
    OnboardingDue(),
    VerslagReviewWaiting(),
    CollegaFeedbackUnanswered(),
    BeoordelingNotStarted(),
    BeoordelingNotSigned(),
    ErkenningHerbeoordeling(),
]
KINDS_BY_CODE = {kind.code: kind for kind in KINDS}


def preference_kinds(roles=None):
    """The kinds a person chooses a delivery for (kinds sharing a preference appear once); with `roles`, only
    those that can reach someone holding them."""
    return [kind for kind in KINDS if kind.preference is None and (roles is None or kind.recipients & roles)]


def delivery_for(reminder, kind, choices):
    delivery = choices.get(kind.preference_code, Delivery.IMMEDIATELY)
    if delivery == Delivery.OFF and reminder.role in kind.mandatory_for:
        return Delivery.IMMEDIATELY
    return delivery


# The scan -----------------------------------------------------------------------------------------------------


def scan(*, now=None):
    """Create the reminders that are due and enqueue every pending one; returns the number enqueued.

    A fixed number of queries whatever the size of the data: per kind a few, then one insert per 5,000 new rows.
    """
    now = now or timezone.now()
    with transaction.atomic():
        stale = now - timedelta(minutes=settings.REMINDER_CLAIM_TIMEOUT_MINUTES)
        # Claims of workers that died: back to where they came from.
        Reminder.objects.filter(status=ReminderStatus.SENDING, claimed_at__lt=stale).update(
            status=Case(When(digest=True, then=Value(ReminderStatus.DIGEST)), default=Value(ReminderStatus.PENDING)),
            claim=None,
            claimed_at=None,
            enqueued_at=None,
        )
        rows = [
            Reminder(
                subject_type=kind.subject_type,
                subject_id=due.subject_id,
                kind=kind.code,
                occasion=due.occasion,
                occasion_at=due.occasion_at,
                sequence=due.sequence,
                recipient_id=due.recipient_id,
                role=due.role,
                created_at=now,
            )
            for kind in KINDS
            for due in kind.due(now=now)
        ]
        Reminder.objects.bulk_create(rows, ignore_conflicts=True, batch_size=5000)
        again = now - timedelta(minutes=settings.REMINDER_REENQUEUE_MINUTES)
        ids = list(
            Reminder.objects.filter(status=ReminderStatus.PENDING)
            .filter(Q(enqueued_at__isnull=True) | Q(enqueued_at__lt=again))
            .order_by("pk")
            .values_list("pk", flat=True)[: settings.REMINDER_SCAN_BATCH]
        )
        if ids:
            Reminder.objects.filter(pk__in=ids).update(enqueued_at=now)
            transaction.on_commit(partial(enqueue, ids))
    return len(ids)


def enqueue(ids):
    from .tasks import send_reminder

    for done, pk in enumerate(ids):
        try:
            send_reminder.delay(reminder_id=pk)
        except Exception:
            # The broker is away: this row and the rest stay pending, unstamped, and the next scan enqueues them.
            logger.warning("%s reminders not enqueued; the next scan tries again", len(ids) - done, exc_info=True)
            Reminder.objects.filter(pk__in=ids[done:], status=ReminderStatus.PENDING).update(enqueued_at=None)
            return


# Sending ------------------------------------------------------------------------------------------------------


def claim(queryset, *, now):
    token = uuid.uuid4()
    count = queryset.update(status=ReminderStatus.SENDING, claim=token, claimed_at=now, attempts=F("attempts") + 1)
    return token if count else None


def finish(token, **changes):
    Reminder.objects.filter(claim=token, status=ReminderStatus.SENDING).update(claim=None, claimed_at=None, **changes)


def release_after_error(token, error, *, back_to):
    """After a mail error: back to `back_to` for a retry, or failed once REMINDER_MAX_ATTEMPTS are used."""
    rows = Reminder.objects.filter(claim=token, status=ReminderStatus.SENDING)
    rows.filter(attempts__gte=settings.REMINDER_MAX_ATTEMPTS).update(
        status=ReminderStatus.FAILED, claim=None, claimed_at=None, last_error=str(error)[:300]
    )
    return rows.update(status=back_to, claim=None, claimed_at=None, last_error=str(error)[:300])


def post_notification(reminder, message):
    notify(
        user=reminder.recipient,
        key=f"herinnering:{reminder.pk}",
        title=message.title,
        text=" ".join(message.lines),
        url=message.path,
    )


def message_id(reminder):
    return f"<herinnering-{reminder.pk}-{reminder.created_at:%Y%m%d%H%M%S}@stagegids>"


def deliver(*, reminder_id, now=None):
    """Send one reminder if it is still pending and still holds; returns its status afterwards.

    Raises a TRANSIENT_MAIL_ERRORS error when the mail server failed and a retry may help (the row is pending
    again for it).
    """
    now = now or timezone.now()
    token = claim(Reminder.objects.filter(pk=reminder_id, status=ReminderStatus.PENDING), now=now)
    if token is None:
        return None
    reminder = Reminder.objects.select_related("recipient").get(pk=reminder_id)
    kind = KINDS_BY_CODE.get(reminder.kind)
    with translation.override("nl"):
        message = kind.message(reminder, now=now) if kind and reminder.recipient.is_active else None
        if message is None:
            finish(token, status=ReminderStatus.SKIPPED)
            return ReminderStatus.SKIPPED
        delivery = delivery_for(reminder, kind, deliveries_of(reminder.recipient))
        if delivery == Delivery.DIGEST:
            with transaction.atomic():
                finish(token, status=ReminderStatus.DIGEST, digest=True)
                post_notification(reminder, message)
            return ReminderStatus.DIGEST
        if delivery == Delivery.IMMEDIATELY:
            try:
                send_templated(
                    template="herinnering",
                    to=reminder.recipient.email,
                    # The gids addresses stagiairs with "je", everyone else with "u".
                    context={
                        "recipient": reminder.recipient,
                        "message": message,
                        "informal": reminder.role == Role.STAGIAIR,
                    },
                    attachments=message.attachments,
                    headers={"Message-ID": message_id(reminder)},
                )
            except TRANSIENT_MAIL_ERRORS as error:
                if release_after_error(token, error, back_to=ReminderStatus.PENDING):
                    raise
                logger.error("reminder %s failed after %s attempts", reminder.pk, reminder.attempts)
                return ReminderStatus.FAILED
        with transaction.atomic():
            finish(token, status=ReminderStatus.SENT, sent_at=timezone.now())
            post_notification(reminder, message)
    return ReminderStatus.SENT


def users_with_digest():
    return list(
        Reminder.objects.filter(status=ReminderStatus.DIGEST)
        .order_by("recipient_id")
        .values_list("recipient_id", flat=True)
        .distinct()
    )


def deliver_digest(*, user_id, now=None):
    """One e-mail with every waiting digest reminder of a person; returns how many it held."""
    now = now or timezone.now()
    token = claim(Reminder.objects.filter(recipient_id=user_id, status=ReminderStatus.DIGEST), now=now)
    if token is None:
        return 0
    reminders = list(Reminder.objects.filter(claim=token).select_related("recipient").order_by("occasion_at", "pk"))
    recipient = reminders[0].recipient
    items, skipped = [], []
    with translation.override("nl"):
        for reminder in reminders:
            kind = KINDS_BY_CODE.get(reminder.kind)
            message = kind.message(reminder, now=now) if kind and recipient.is_active else None
            if message is None:
                skipped.append(reminder.pk)
            else:
                items.append(message)
        Reminder.objects.filter(pk__in=skipped).update(status=ReminderStatus.SKIPPED, claim=None, claimed_at=None)
        if items:
            try:
                send_templated(
                    template="dagoverzicht",
                    to=recipient.email,
                    context={"recipient": recipient, "items": items},
                    attachments=[attachment for item in items for attachment in item.attachments],
                    headers={"Message-ID": f"<dagoverzicht-{token}@stagegids>"},
                )
            except TRANSIENT_MAIL_ERRORS as error:
                if release_after_error(token, error, back_to=ReminderStatus.DIGEST):
                    raise
                return 0
    finish(token, status=ReminderStatus.SENT, sent_at=timezone.now())
    return len(items)


def enqueue_digests():
    from .tasks import send_digest

    users = users_with_digest()
    for user_id in users:
        transaction.on_commit(partial(send_digest.delay, user_id=user_id))
    return len(users)
