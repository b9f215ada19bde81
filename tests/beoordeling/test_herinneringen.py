"""Reminders of beoordeling's kinds (beoordeling/*/herinneringen.py): zelfreflectie, zelfbeoordeling, collega-feedback,
a beoordeling not started or not signed."""

from datetime import timedelta

import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from beoordeling.beoordelingen.models import Beoordeling, BeoordelingKind, BeoordelingState, CollegaVraag, Party
from beoordeling.gesprekken.models import Voortgangsgesprek
from leerbedrijf.models import Stagiair
from stagegids.models import Delivery, Notification, Reminder, ReminderStatus
from stagegids.notifications import set_delivery
from stagegids.tasks import scan_reminders
from stageplan.models import MomentKind
from tests.confirm import CONFIRMED
from tests.factories import MomentFactory, UserFactory
from tests.herinneringen import in_hours, mails_titled, mails_to, statuses, work_off


def expire_collega_vraag(world, *, in_days):
    CollegaVraag.objects.filter(pk=world.collega_vraag.pk).update(expires_at=timezone.now() + timedelta(days=in_days))


def test_an_unanswered_collega_vraag_reminds_the_asker_once(reminders, scan):
    w = reminders
    expire_collega_vraag(w, in_days=2)
    scan()
    scan()
    [message] = mail.outbox
    assert message.to == [w.opleider.email]
    assert message.subject == "Cor Collega gaf nog geen feedback over Sam Stagiair"
    assert "niet bij de collega" in message.body
    assert f"https://stagegids.example.nl/beoordelingen/{w.beoordeling.pk}/" in message.body


def test_a_collega_vraag_answered_meanwhile_or_far_from_expiry_is_not_reminded(reminders, scan):
    w = reminders
    expire_collega_vraag(w, in_days=5)
    scan()
    assert mail.outbox == []
    expire_collega_vraag(w, in_days=2)
    scan_reminders()
    CollegaVraag.objects.filter(pk=w.collega_vraag.pk).update(answered_at=timezone.now())
    work_off()
    assert mail.outbox == []
    assert Reminder.objects.get(kind="collega_feedback").status == ReminderStatus.SKIPPED


def test_a_withdrawn_collega_vraag_is_not_reminded(reminders, scan, client):
    w = reminders
    expire_collega_vraag(w, in_days=2)
    scan_reminders()
    client.force_login(w.opleider)
    url = reverse("beoordeling:collega_revoke", args=[w.beoordeling.pk, w.collega_vraag.pk])
    assert client.post(url, CONFIRMED).status_code == 302
    work_off()
    assert mail.outbox == []
    assert Reminder.objects.get(kind="collega_feedback").status == ReminderStatus.SKIPPED
    scan()
    assert mail.outbox == [] and Reminder.objects.filter(kind="collega_feedback").count() == 1


def test_a_collega_vraag_of_an_asker_who_lost_their_role_is_not_reminded(reminders, scan):
    w = reminders
    expire_collega_vraag(w, in_days=2)
    scan_reminders()
    w.opleider.memberships.get().end(by=w.opleider)
    work_off()
    assert mail.outbox == []


ZELFREFLECTIE = "Vul je zelfreflectie in voor het voortgangsgesprek van "


def test_a_zelfreflectie_not_handed_in_two_days_before_the_gesprek_reminds_the_stagiair_once(reminders, scan):
    w = reminders
    moment = MomentFactory(stage=w.stage, kind=MomentKind.VOORTGANGSGESPREK, starts_at=in_hours(70))
    scan()
    assert mails_titled(w.stagiair, ZELFREFLECTIE) == []
    with time_machine.travel(in_hours(23)):
        scan()
        scan()
    [message] = mails_titled(w.stagiair, ZELFREFLECTIE)
    url = "https://stagegids.example.nl" + reverse("beoordeling:zelfreflectie", args=[moment.pk])
    assert url in message.body
    assert "kies je hier" in message.body and "kiest u" not in message.body, "the gids says je to a stagiair"
    assert [r.recipient for r in Reminder.objects.filter(kind="zelfreflectie")] == [w.stagiair]


def test_a_zelfreflectie_handed_in_or_a_gesprek_closed_is_not_reminded(reminders, scan):
    w = reminders
    before, after, closed = (MomentFactory(stage=w.stage, starts_at=in_hours(hours)) for hours in (20, 30, 40))
    values = {field: "Ging goed" for field in Voortgangsgesprek.REFLECTIE_FIELDS}
    gesprek = Voortgangsgesprek.for_moment(before)
    gesprek.save_reflectie(version=gesprek.reflectie_version, by=w.stagiair, values=values, submit=True)
    gesprek = Voortgangsgesprek.for_moment(closed)
    gesprek.afronden(version=gesprek.notes_version, by=w.opleider)
    # A draft alone is not handed in.
    draft = Voortgangsgesprek.for_moment(after)
    draft.save_reflectie(version=draft.reflectie_version, by=w.stagiair, values=values, submit=False)
    scan_reminders()
    assert [r.subject_id for r in Reminder.objects.filter(kind="zelfreflectie")] == [after.pk]
    draft.save_reflectie(version=draft.reflectie_version, by=w.stagiair, values=values, submit=True)
    work_off()
    assert mails_titled(w.stagiair, ZELFREFLECTIE) == []
    assert statuses("zelfreflectie") == {(w.stagiair.pk, ReminderStatus.SKIPPED)}


def test_a_voortgangsgesprek_cancelled_or_moved_is_not_reminded_and_the_new_time_is(reminders, scan):
    w = reminders
    cancelled = MomentFactory(stage=w.stage, starts_at=in_hours(20))
    moved = MomentFactory(stage=w.stage, starts_at=in_hours(30))
    scan_reminders()
    cancelled.cancel()
    moved.reschedule(starts_at=in_hours(40), location=moved.location)
    work_off()
    assert mails_titled(w.stagiair, ZELFREFLECTIE) == []
    scan()
    [message] = mails_titled(w.stagiair, ZELFREFLECTIE)
    assert reverse("beoordeling:zelfreflectie", args=[moved.pk]) in message.body
    rows = Reminder.objects.filter(kind="zelfreflectie")
    assert {(r.subject_id, r.sequence, r.status) for r in rows} == {
        (cancelled.pk, 0, ReminderStatus.SKIPPED),
        (moved.pk, 0, ReminderStatus.SKIPPED),
        (moved.pk, 1, ReminderStatus.SENT),
    }


def test_a_zelfreflectie_is_not_reminded_to_an_account_no_longer_the_stagiair(reminders, scan):
    w = reminders
    MomentFactory(stage=w.stage, starts_at=in_hours(20))
    scan_reminders()
    Stagiair.objects.filter(pk=w.stage.stagiair_id).update(user=UserFactory())
    work_off()
    assert mails_titled(w.stagiair, ZELFREFLECTIE) == []
    assert statuses("zelfreflectie") == {(w.stagiair.pk, ReminderStatus.SKIPPED)}


ZELFBEOORDELING = "Vul je zelfbeoordeling in voor de tussenbeoordeling van "


def tussenbeoordeling(world, **moment):
    moment = MomentFactory(stage=world.stage, kind=MomentKind.TUSSENBEOORDELING, **moment)
    return Beoordeling.start(
        stage=world.stage, kind=BeoordelingKind.TUSSENBEOORDELING, by=world.opleider, moment=moment
    )


def hand_in(beoordeling, party, by):
    invulling = beoordeling.invullingen.get(party=party)
    answers = {criterium: ("voldoende", "") for criterium in beoordeling.criteria.all()}
    invulling.save_answers(by=by, revision=invulling.revision, answers=answers, submit=True)
    beoordeling.refresh_from_db()


def test_a_zelfbeoordeling_not_handed_in_two_days_before_reminds_the_stagiair_once(reminders, scan):
    w = reminders
    b = tussenbeoordeling(w, starts_at=in_hours(70))
    scan()
    assert mails_titled(w.stagiair, ZELFBEOORDELING) == []
    with time_machine.travel(in_hours(23)):
        scan()
        scan()
    [message] = mails_titled(w.stagiair, ZELFBEOORDELING)
    assert "https://stagegids.example.nl" + reverse("beoordeling:fill", args=[b.pk]) in message.body
    assert statuses("zelfbeoordeling") == {(w.stagiair.pk, ReminderStatus.SENT)}


def test_a_zelfbeoordeling_handed_in_is_not_reminded(reminders, scan, client):
    w = reminders
    before = tussenbeoordeling(w, starts_at=in_hours(20))
    after = tussenbeoordeling(w, starts_at=in_hours(30))
    hand_in(before, Party.STAGIAIR, w.stagiair)
    # The praktijkopleider's form does not count: it is the stagiair's that is missing.
    hand_in(after, Party.PRAKTIJKOPLEIDER, w.opleider)
    scan_reminders()
    assert [r.subject_id for r in Reminder.objects.filter(kind="zelfbeoordeling")] == [after.pk]
    hand_in(after, Party.STAGIAIR, w.stagiair)
    work_off()
    assert mails_titled(w.stagiair, ZELFBEOORDELING) == []
    assert statuses("zelfbeoordeling") == {(w.stagiair.pk, ReminderStatus.SKIPPED)}


def test_a_tussenbeoordeling_cancelled_or_moved_is_not_reminded_and_the_new_time_is(reminders, scan):
    w = reminders
    cancelled = tussenbeoordeling(w, starts_at=in_hours(20))
    moved = tussenbeoordeling(w, starts_at=in_hours(30))
    scan_reminders()
    cancelled.moment.cancel()
    moved.moment.reschedule(starts_at=in_hours(40), location="Werkplaats")
    work_off()
    assert mails_titled(w.stagiair, ZELFBEOORDELING) == []
    scan()
    [message] = mails_titled(w.stagiair, ZELFBEOORDELING)
    assert reverse("beoordeling:fill", args=[moved.pk]) in message.body
    rows = Reminder.objects.filter(kind="zelfbeoordeling")
    assert {(r.subject_id, r.sequence, r.status) for r in rows} == {
        (cancelled.pk, 0, ReminderStatus.SKIPPED),
        (moved.pk, 0, ReminderStatus.SKIPPED),
        (moved.pk, 1, ReminderStatus.SENT),
    }


def test_a_zelfbeoordeling_is_not_reminded_to_an_account_no_longer_the_stagiair(reminders, scan):
    w = reminders
    tussenbeoordeling(w, starts_at=in_hours(20))
    scan_reminders()
    Stagiair.objects.filter(pk=w.stage.stagiair_id).update(user=UserFactory())
    work_off()
    assert mails_titled(w.stagiair, ZELFBEOORDELING) == []


def test_zelfreflectie_and_zelfbeoordeling_share_one_choice(reminders, scan):
    w = reminders
    set_delivery(user=w.stagiair, kind="zelfreflectie", delivery=Delivery.OFF)
    MomentFactory(stage=w.stage, starts_at=in_hours(20))
    tussenbeoordeling(w, starts_at=in_hours(30))
    scan()
    assert mails_titled(w.stagiair, ZELFREFLECTIE) == mails_titled(w.stagiair, ZELFBEOORDELING) == []
    titles = set(Notification.objects.filter(user=w.stagiair).values_list("title", flat=True))
    assert any(title.startswith(ZELFREFLECTIE) for title in titles)
    assert any(title.startswith(ZELFBEOORDELING) for title in titles)


NOT_SIGNED = "De tussenbeoordeling van Sam Stagiair is nog niet ondertekend"


def in_gesprek(world, beoordeling):
    hand_in(beoordeling, Party.PRAKTIJKOPLEIDER, world.opleider)
    hand_in(beoordeling, Party.STAGIAIR, world.stagiair)
    beoordeling.save_conclusie(by=world.opleider, revision=beoordeling.revision, conclusie="ja")
    assert beoordeling.state == BeoordelingState.GESPREK


def test_a_beoordeling_unsigned_a_week_after_reminds_both_sides_once(reminders, scan):
    w = reminders
    b = tussenbeoordeling(w, starts_at=timezone.now() - timedelta(days=6))
    scan()
    assert mails_titled(w.opleider, NOT_SIGNED) == []
    with time_machine.travel(timezone.now() + timedelta(days=1, hours=1)):
        scan()
        scan()
    [to_opleider] = mails_titled(w.opleider, NOT_SIGNED)
    [to_stagiair] = mails_titled(w.stagiair, NOT_SIGNED)
    assert "uw handtekening ontbreekt nog" in to_opleider.body
    assert "jouw handtekening ontbreekt nog" in to_stagiair.body
    assert f"https://stagegids.example.nl/beoordelingen/{b.pk}/" in to_stagiair.body
    assert {r.recipient for r in Reminder.objects.filter(kind="ondertekenen")} == {w.opleider, w.stagiair}


def test_only_who_has_not_signed_is_reminded(reminders, scan):
    w = reminders
    signed = tussenbeoordeling(w, starts_at=timezone.now() - timedelta(days=8))
    in_gesprek(w, signed)
    signed.sign(by=w.opleider)
    signed.sign(by=w.stagiair)
    half = tussenbeoordeling(w, starts_at=timezone.now() - timedelta(days=9))
    in_gesprek(w, half)
    half.sign(by=w.opleider)
    scan_reminders()
    assert statuses("ondertekenen") == {(w.stagiair.pk, ReminderStatus.PENDING)}
    half.sign(by=w.stagiair)
    work_off()
    assert mails_titled(w.stagiair, NOT_SIGNED) == []
    assert statuses("ondertekenen") == {(w.stagiair.pk, ReminderStatus.SKIPPED)}


def test_a_signature_after_the_scan_stops_that_sides_reminder(reminders, scan):
    w = reminders
    b = tussenbeoordeling(w, starts_at=timezone.now() - timedelta(days=8))
    in_gesprek(w, b)
    scan_reminders()
    b.sign(by=w.opleider)
    work_off()
    assert mails_titled(w.opleider, NOT_SIGNED) == []
    assert len(mails_titled(w.stagiair, NOT_SIGNED)) == 1


def test_a_corrected_beoordeling_is_a_new_one_to_sign(reminders, scan):
    w = reminders
    b = tussenbeoordeling(w, starts_at=timezone.now() - timedelta(days=8))
    in_gesprek(w, b)
    b.sign(by=w.opleider)
    b.sign(by=w.stagiair)
    correction = b.correct(by=w.opleider, reason="Verkeerde score")
    scan()
    assert {r.subject_id for r in Reminder.objects.filter(kind="ondertekenen")} == {correction.pk}
    assert len(mails_titled(w.stagiair, NOT_SIGNED)) == 1


def test_an_unsigned_beoordeling_whose_moment_was_cancelled_or_moved_is_not_reminded(reminders, scan):
    w = reminders
    cancelled = tussenbeoordeling(w, starts_at=timezone.now() - timedelta(days=8))
    moved = tussenbeoordeling(w, starts_at=timezone.now() - timedelta(days=9))
    scan_reminders()
    cancelled.moment.cancel()
    moved.moment.reschedule(starts_at=timezone.now() - timedelta(days=10), location="Werkplaats")
    work_off()
    assert mails_titled(w.stagiair, NOT_SIGNED) == []
    scan()
    assert len(mails_titled(w.stagiair, NOT_SIGNED)) == len(mails_titled(w.opleider, NOT_SIGNED)) == 1
    sent = Reminder.objects.filter(kind="ondertekenen", status=ReminderStatus.SENT)
    assert {(r.subject_id, r.sequence) for r in sent} == {(moved.pk, 1)}


def test_a_pvb_to_sign_reminds_the_praktijkbeoordelaar_not_one_who_lost_the_role(reminders, scan):
    w = reminders
    moment = MomentFactory(stage=w.stage, kind=MomentKind.EINDBEOORDELING, starts_at=timezone.now() - timedelta(days=8))
    b = Beoordeling.start(stage=w.stage, kind=BeoordelingKind.PVB, by=w.beoordelaar, moment=moment)
    scan_reminders()
    assert {(r.recipient, r.role) for r in Reminder.objects.filter(kind="ondertekenen")} == {
        (w.beoordelaar, "praktijkbeoordelaar"),
    }, "the pvb is the praktijkbeoordelaar's; the stagiair has nothing to sign before he hands in"
    invulling = b.invullingen.get()
    invulling.save_answers(
        by=w.beoordelaar,
        revision=invulling.revision,
        answers={criterium: ("voldoende", "") for criterium in b.criteria.all()},
        submit=True,
    )
    scan_reminders()
    assert {(r.recipient, r.role) for r in Reminder.objects.filter(kind="ondertekenen")} == {
        (w.beoordelaar, "praktijkbeoordelaar"),
        (w.stagiair, "stagiair"),
    }
    w.beoordelaar.memberships.get().end(by=w.opleider)
    work_off()
    assert mails_to(w.beoordelaar) == [] and mails_to(w.opleider) == []
    [message] = mails_titled(w.stagiair, "De proeve van bekwaamheid van Sam Stagiair is nog niet ondertekend")
    assert f"https://stagegids.example.nl/beoordelingen/{b.pk}/" in message.body


def test_a_bpv_beoordeling_to_sign_reminds_the_praktijkopleider_and_the_assigned_beoordelaar(reminders, scan):
    w = reminders
    moment = MomentFactory(stage=w.stage, kind=MomentKind.EINDBEOORDELING, starts_at=timezone.now() - timedelta(days=8))
    b = Beoordeling.start(stage=w.stage, kind=BeoordelingKind.BPV, by=w.opleider, moment=moment)
    scan()
    title = "De bpv-beoordeling van Sam Stagiair is nog niet ondertekend"
    assert len(mails_titled(w.opleider, title)) == len(mails_titled(w.beoordelaar, title)) == 1
    assert mails_titled(w.stagiair, title) == [], "nothing to sign before the company's form is handed in"
    assert {(r.recipient, r.role) for r in Reminder.objects.filter(kind="ondertekenen")} == {
        (w.opleider, "praktijkopleider"),
        (w.beoordelaar, "praktijkbeoordelaar"),
    }
    # Without a praktijkbeoordelaar on the stage, the praktijkopleider alone.
    Reminder.objects.all().delete()
    w.stage.__class__.objects.filter(pk=w.stage.pk).update(praktijkbeoordelaar=None)
    scan_reminders()
    assert {r.recipient for r in Reminder.objects.filter(kind="ondertekenen")} == {w.opleider}
    assert b.pk == Reminder.objects.get(kind="ondertekenen").subject_id


def test_a_praktijkopleider_who_lost_the_role_is_not_reminded_to_sign(reminders, scan):
    w = reminders
    tussenbeoordeling(w, starts_at=timezone.now() - timedelta(days=8))
    scan_reminders()
    w.opleider.memberships.get().end(by=w.opleider)
    work_off()
    assert mails_titled(w.opleider, NOT_SIGNED) == []
    assert len(mails_titled(w.stagiair, NOT_SIGNED)) == 1


NOT_STARTED = "Start de "


def test_a_beoordeling_not_started_a_week_before_its_moment_reminds_whoever_starts_it(reminders, scan):
    w = reminders
    tussen = MomentFactory(stage=w.stage, kind=MomentKind.TUSSENBEOORDELING, starts_at=in_hours(8 * 24))
    eind = MomentFactory(stage=w.stage, kind=MomentKind.EINDBEOORDELING, starts_at=in_hours(8 * 24))
    scan()
    assert mails_titled(w.opleider, NOT_STARTED) == []
    with time_machine.travel(in_hours(25)):
        scan()
        scan()
    [message] = mails_titled(w.opleider, NOT_STARTED)
    assert message.subject.startswith("Start de tussenbeoordeling van Sam Stagiair op ")
    assert "https://stagegids.example.nl" + reverse("beoordeling:stage", args=[w.stage.pk]) in message.body
    [message] = mails_titled(w.beoordelaar, NOT_STARTED)
    assert "Start de eindbeoordeling van Sam Stagiair" in message.subject and "bpv-beoordeling" in message.body
    assert mails_titled(w.stagiair, NOT_STARTED) == []
    assert {r.subject_id for r in Reminder.objects.filter(kind="beoordeling_starten")} == {tussen.pk, eind.pk}


def test_a_beoordeling_started_or_a_moment_cancelled_meanwhile_is_not_reminded_to_start(reminders, scan):
    w = reminders
    started = MomentFactory(stage=w.stage, kind=MomentKind.TUSSENBEOORDELING, starts_at=in_hours(5 * 24))
    cancelled = MomentFactory(stage=w.stage, kind=MomentKind.TUSSENBEOORDELING, starts_at=in_hours(6 * 24))
    scan_reminders()
    Beoordeling.start(stage=w.stage, kind=BeoordelingKind.TUSSENBEOORDELING, by=w.opleider, moment=started)
    cancelled.cancel()
    work_off()
    assert mails_titled(w.opleider, NOT_STARTED) == []
    assert statuses("beoordeling_starten") == {(w.opleider.pk, ReminderStatus.SKIPPED)}
    scan()
    assert mails_titled(w.opleider, NOT_STARTED) == []


def test_an_opleider_who_lost_the_role_is_not_reminded_to_start(reminders, scan):
    w = reminders
    MomentFactory(stage=w.stage, kind=MomentKind.TUSSENBEOORDELING, starts_at=in_hours(3 * 24))
    scan_reminders()
    w.opleider.memberships.get().end(by=w.opleider)
    work_off()
    assert mails_titled(w.opleider, NOT_STARTED) == []
