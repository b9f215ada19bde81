"""Herinneringen: the engine that finds what is due, for whom, and sends each reminder exactly once.

The engine is core; the kinds of reminder belong to the chapter that owns their subject (`leerbedrijf`,
`stagemap`, `stageplan`, `beoordeling`, each in its `herinneringen.py`). The engine knows a kind only through the
registry.

Adding a kind
-------------
A class in the app's own `herinneringen.py` and one register call; the app's AppConfig.ready() imports that
module (once per app)::

    from stagegids import reminders

    @reminders.register
    class UrenNotApproved(reminders.Kind):
        # The hours of a week not approved a week after they were handed in: to the praktijkopleiders.
        code = "uren_akkoord"  # unique; kept in Reminder.kind and, as the preference, in NotificationPreference
        subject_type = "urenweek"  # with the Due's subject id, names the subject in Reminder
        key_fields = ("submitted_at",)  # the subject's time the key holds: submitted again is a new occasion
        recipients = frozenset({Role.PRAKTIJKOPLEIDER})  # the preferences page offers it to these roles
        label = gettext_lazy("Uren nog niet akkoord")
        help_text = gettext_lazy("Een week nadat de stagiair de uren van een week indiende.")
        order = 75  # its place on the preferences page and in the scan, among the other chapters' kinds

        def due(self, *, now): ...  # the Due rows of what is due now, in a fixed number of queries
        def current(self, reminder, *, now): ...  # the subjects (a queryset) for which it still holds
        def holds(self, reminder, subject): ...  # whether the recipient still has their part in it
        def compose(self, reminder, subject, *, now): ...  # its Message

A kind's subject belongs to a stage through `stage_lookup` ("stage" unless said otherwise): the reminders of a
stage that was interrupted or ended stop, for every kind alike, here in the engine (see "A stage that stops").

Kinds that share one choice on the preferences page set `preference` to the code of the kind that offers it;
`mandatory_for` names the roles that cannot switch a kind off. Right before sending, message() takes the
reminder's subject from current() at the key's time and sequence, asks holds() and whether the recipient still
sees the subject through the policy (seen_through), and only then compose().

How "exactly once" holds
------------------------
A Reminder is a queued row (stagegids/queued.py: stamp and enqueue after commit, claim, finish on the claim,
release after a mail error, re-enqueue what was lost, take back the claims of dead workers). What reminders add:

1. The scan (beat task, every REMINDER_SCAN_SECONDS) derives from the database what is due and inserts one
   Reminder row per (subject, kind, occasion, recipient), ignoring rows that already exist. A beat that fires
   twice, or a second beat, inserts nothing new. In the same transaction it takes back the claims older than
   REMINDER_CLAIM_TIMEOUT_MINUTES (to the digest when the row waited for it) and enqueues the pending rows, again
   after REMINDER_REENQUEUE_MINUTES.
2. Right before sending, the worker checks the reminder still holds: the moment not cancelled and not moved (the
   key holds its time and sequence), the recipient still a participant and still able to see the thing through
   the policy querysets. If not, the row is skipped and nothing is sent.
3. A person who chose the daily digest gets the reminder's notification now and the mail with the others of the
   day: the row waits in "digest" and the digest task claims all of a person's rows at once.

A stage that stops
------------------
The app that owns the stage registers the condition under which a stage still gets reminders
(`register_stage_filter`). The scan makes no reminder for a subject of a stage outside it, and a reminder made
before is skipped right before sending: its subject is looked up through the same condition. A kind whose
reminder must still go out after the end (the calendar CANCEL of a moment) or whose subject belongs to no stage
(an erkenning) sets `stage_lookup = None`.

The engine does not know the queue: the tasks (stagegids/tasks.py) pass it the function that queues one send, so
the tasks import the engine and not the other way round.
"""

import abc
import logging
import smtplib
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from functools import partial, reduce

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.db.models import Case, Exists, OuterRef, Q, Value, When
from django.utils import timezone, translation

from . import queued
from .mail import send_templated
from .models import Delivery, Reminder, ReminderStatus
from .notifications import deliveries_of, notify
from .policy import visible
from .roles import Role

logger = logging.getLogger(__name__)

# Errors worth trying again: the mail server is away or refuses for now.
TRANSIENT_MAIL_ERRORS = (smtplib.SMTPException, OSError)
# How late a reminder for a fixed date (two weeks after the start) may still come, after an outage; older
# occasions are not news any more and would flood a new installation.
CATCH_UP = timedelta(weeks=4)


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


def sees(user, queryset, pk):
    """Whether `user` still sees row `pk` through the policy."""
    return visible(user, queryset).filter(pk=pk).exists()


class Kind(abc.ABC):
    """One kind of reminder: what is due (due) and, right before sending, whether it still holds and its words
    (message, made of current, holds, still_seen and compose)."""

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
    # Its place on the preferences page and in the scan, lowest first: the chapters' kinds interleave.
    order = 100
    # The subject's fields whose values the key holds as its time (and sequence): when they change (a moment
    # moves), it is a new occasion and the reminder made for the old one no longer holds.
    key_fields = ()
    # The lookup from the subject to its stage (none is needed when the subject is the stage): a stage that
    # stopped gets no more reminders of this kind. None: the subject belongs to no stage, or its reminder still
    # goes out after the stage stopped.
    stage_lookup = "stage"

    @property
    def preference_code(self):
        return self.preference or self.code

    def not_yet(self, occasion, **key):
        """Whether there is no reminder yet of this kind for the subject (OuterRef("pk")) at `occasion`, with the
        subject's current time and sequence and any further `key`."""
        for name, field in zip(("occasion_at", "sequence"), self.key_fields, strict=False):
            key.setdefault(name, OuterRef(field))
        return ~Exists(
            Reminder.objects.filter(
                subject_type=self.subject_type, subject_id=OuterRef("pk"), kind=self.code, occasion=occasion, **key
            )
        )

    def not_yet_made(self, dues, *also):
        """The `dues` that have no reminder of this kind yet at their subject and time (and the Due fields named in
        `also`): for kinds whose key's time is computed (a due date at midnight), so the query cannot compare it."""
        made = set(
            Reminder.objects.filter(
                subject_type=self.subject_type, kind=self.code, subject_id__in={due.subject_id for due in dues}
            ).values_list("subject_id", "occasion_at", *also)
        )
        return [due for due in dues if (due.subject_id, due.occasion_at, *(getattr(due, f) for f in also)) not in made]

    def unchanged(self, reminder):
        """Lookups: the subject still at the time and sequence the reminder was made for."""
        return dict(zip(self.key_fields, (reminder.occasion_at, reminder.sequence), strict=False))

    def to_one(self, subjects, *, occasion, recipient, role, per_recipient=False):
        """Due rows for the `subjects` (a queryset) without a reminder yet at `occasion`: one each, to the user
        whose id is in the field `recipient`, as `role`, at the time in key_fields. With `per_recipient` the key
        holds the recipient too, so someone who takes over the subject is reminded again."""
        key = {"recipient": OuterRef(recipient)} if per_recipient else {}
        at_field, sequence_field = self.key_fields if len(self.key_fields) == 2 else (*self.key_fields, Value(0))
        rows = subjects.filter(self.not_yet(occasion, **key)).values_list("pk", at_field, sequence_field, recipient)
        return [Due(pk, occasion, at, user_id, role, sequence) for pk, at, sequence, user_id in rows]

    @abc.abstractmethod
    def due(self, *, now):
        """The (subject, recipient, key) that are due now, as Due rows, in a fixed number of queries."""

    def message(self, reminder, *, now):
        """The Message for one reminder, or None when it no longer holds (checked right before sending)."""
        subjects = self.current(reminder, now=now)
        subject = (
            subjects.filter(running(self, subjects.model))
            .filter(pk=reminder.subject_id, **self.unchanged(reminder))
            .first()
        )
        if subject is None or not self.holds(reminder, subject) or not self.still_seen(reminder, subject):
            return None
        return self.compose(reminder, subject, now=now)

    @abc.abstractmethod
    def current(self, reminder, *, now):
        """The subjects (a queryset) for which a reminder of this kind still holds; message() picks the one of
        the reminder, at its time and sequence."""

    def holds(self, reminder, subject):
        """Whether the recipient still has the part in the subject they were reminded for."""
        return True

    def seen_through(self, subject):
        """(policy queryset, pk): the recipient must still see this to be reminded."""
        return type(subject).objects, subject.pk

    def still_seen(self, reminder, subject):
        return sees(reminder.recipient, *self.seen_through(subject))

    @abc.abstractmethod
    def compose(self, reminder, subject, *, now):
        """The Message."""


# A stage that stops ------------------------------------------------------------------------------------------

_stage_filters = []
_stage_models = set()


def register_stage_filter(condition, *, model):
    """`condition(prefix)`: a Q that holds for the stages (the lookup `prefix` away, "" or ending in "__") that
    still get reminders; registered by the app that owns the stage, with the stage's `model` (a kind whose subject
    is the stage itself needs no lookup)."""
    _stage_filters.append(condition)
    _stage_models.add(model)
    return condition


def running(kind, model):
    """The condition on the subjects (of `model`) of `kind` whose stage still gets reminders; all of them for a
    kind of no stage."""
    if kind.stage_lookup is None or not _stage_filters:
        return Q()
    prefix = "" if model in _stage_models or not kind.stage_lookup else f"{kind.stage_lookup}__"
    return reduce(lambda a, b: a & b, (condition(prefix) for condition in _stage_filters))


def on_running_stages(kind, dues, *, now):
    """The `dues` whose subject's stage still gets reminders, in one query for the kind."""
    if kind.stage_lookup is None or not dues or not _stage_filters:
        return dues
    # The subjects' model is that of the kind's current() queryset.
    model = kind.current(None, now=now).model
    ids = {due.subject_id for due in dues}
    kept = set(model._default_manager.filter(running(kind, model), pk__in=ids).values_list("pk", flat=True))
    return [due for due in dues if due.subject_id in kept]


# The registry --------------------------------------------------------------------------------------------------

_kinds = {}


def register(kind_class):
    """Add a kind of reminder (a Kind subclass), as a decorator or a call in its app's herinneringen module."""
    kind = kind_class()
    if not kind.code:
        raise ImproperlyConfigured(f"{kind_class.__name__} has no code")
    known = _kinds.get(kind.code)
    if known is not None and type(known) is not kind_class:
        raise ImproperlyConfigured(f"Two kinds of reminder with code {kind.code!r}: {known!r}, {kind_class!r}")
    _kinds[kind.code] = kind
    return kind_class


def kinds():
    """Every registered kind, by order (then by code, so that the order never depends on import order)."""
    return sorted(_kinds.values(), key=lambda kind: (kind.order, kind.code))


def kind_of(code):
    return _kinds.get(code)


def preference_kinds(roles=None):
    """The kinds a person chooses a delivery for (kinds sharing a preference appear once); with `roles`, only
    those that can reach someone holding them."""
    return [kind for kind in kinds() if kind.preference is None and (roles is None or kind.recipients & roles)]


def delivery_for(reminder, kind, choices):
    delivery = choices.get(kind.preference_code, Delivery.IMMEDIATELY)
    if delivery == Delivery.OFF and reminder.role in kind.mandatory_for:
        return Delivery.IMMEDIATELY
    return delivery


# The scan -----------------------------------------------------------------------------------------------------


def scan(*, send, now=None):
    """Create the reminders that are due and enqueue every pending one; returns the number enqueued.

    `send(reminder_id=...)` queues the sending of one reminder (the send_reminder task's delay); it is called after
    commit. A fixed number of queries whatever the size of the data: per kind a few, then one insert per 5,000 new
    rows.
    """
    now = now or timezone.now()
    with transaction.atomic():
        # Claims of workers that died: back to where they came from.
        queued.reclaim_stale(
            Reminder,
            now=now,
            minutes=settings.REMINDER_CLAIM_TIMEOUT_MINUTES,
            back_to=Case(When(digest=True, then=Value(ReminderStatus.DIGEST)), default=Value(ReminderStatus.PENDING)),
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
            for kind in kinds()
            for due in on_running_stages(kind, kind.due(now=now), now=now)
        ]
        Reminder.objects.bulk_create(rows, ignore_conflicts=True, batch_size=5000)
        return queued.requeue_lost(
            Reminder,
            now=now,
            minutes=settings.REMINDER_REENQUEUE_MINUTES,
            batch=settings.REMINDER_SCAN_BATCH,
            send=lambda pk: send(reminder_id=pk),
        )


# Sending ------------------------------------------------------------------------------------------------------


def finish(token, **changes):
    return queued.finish(Reminder, token, **changes)


def release_after_error(token, error, *, back_to):
    """After a mail error: back to `back_to` for a retry, or failed once REMINDER_MAX_ATTEMPTS are used."""
    return queued.release(Reminder, token, error, back_to=back_to, max_attempts=settings.REMINDER_MAX_ATTEMPTS)


def post_notification(reminder, message):
    notify(
        user=reminder.recipient,
        key=f"herinnering:{reminder.pk}",
        title=message.title,
        text=" ".join(message.lines),
        url=message.path,
    )


def message_id(reminder):
    return queued.message_id("herinnering", reminder)


def message_of(reminder, *, now):
    """The reminder's Message, or None when its kind is gone, its recipient inactive or it no longer holds."""
    kind = kind_of(reminder.kind)
    if kind is None or not reminder.recipient.is_active:
        return None
    return kind.message(reminder, now=now)


def deliver(*, reminder_id, now=None):
    """Send one reminder if it is still pending and still holds; returns its status afterwards.

    Raises a TRANSIENT_MAIL_ERRORS error when the mail server failed and a retry may help (the row is pending
    again for it).
    """
    now = now or timezone.now()
    token = queued.claim(Reminder.objects.filter(pk=reminder_id, status=ReminderStatus.PENDING), now=now)
    if token is None:
        return None
    reminder = Reminder.objects.select_related("recipient").get(pk=reminder_id)
    with translation.override("nl"):
        message = message_of(reminder, now=now)
        if message is None:
            finish(token, status=ReminderStatus.SKIPPED)
            return ReminderStatus.SKIPPED
        delivery = delivery_for(reminder, kind_of(reminder.kind), deliveries_of(reminder.recipient))
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


def deliver_digest(*, user_id, now=None):
    """One e-mail with every waiting digest reminder of a person; returns how many it held."""
    now = now or timezone.now()
    token = queued.claim(Reminder.objects.filter(recipient_id=user_id, status=ReminderStatus.DIGEST), now=now)
    if token is None:
        return 0
    reminders = list(Reminder.objects.filter(claim=token).select_related("recipient").order_by("occasion_at", "pk"))
    recipient = reminders[0].recipient
    items, skipped = [], []
    with translation.override("nl"):
        for reminder in reminders:
            message = message_of(reminder, now=now)
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
                    # Named by its first reminder: a digest sent again after its worker died holds the same ones.
                    headers={"Message-ID": queued.message_id("dagoverzicht", min(reminders, key=lambda r: r.pk))},
                )
            except TRANSIENT_MAIL_ERRORS as error:
                if release_after_error(token, error, back_to=ReminderStatus.DIGEST):
                    raise
                return 0
    finish(token, status=ReminderStatus.SENT, sent_at=timezone.now())
    return len(items)


def enqueue_digests(*, send):
    """After commit, `send(user_id=...)` (the send_digest task's delay) for each person with waiting reminders."""
    users = list(
        Reminder.objects.filter(status=ReminderStatus.DIGEST)
        .order_by("recipient_id")
        .values_list("recipient_id", flat=True)
        .distinct()
    )
    for user_id in users:
        transaction.on_commit(partial(send, user_id=user_id))
    return len(users)
