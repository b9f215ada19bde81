"""Reminders of the stagemap's kinds (stagemap/herinneringen.py): a shared verslag without the school's review.
The notice sent at sharing itself is in test_verslag_in_page.py."""

from datetime import timedelta

from django.core import mail
from django.utils import timezone

from leerbedrijf.models import Stage
from stagegids.models import Reminder, ReminderStatus
from stagegids.tasks import scan_reminders
from stagemap.models import Verslag, VerslagReview
from tests.herinneringen import work_off


def share_verslag(world, *, days_ago):
    Verslag.objects.filter(pk=world.verslag.pk).update(
        shared_at=timezone.now() - timedelta(days=days_ago), shared_by=world.stagiair, review=""
    )


def test_a_shared_verslag_without_review_reminds_the_mbo_begeleider_once(reminders, scan):
    w = reminders
    share_verslag(w, days_ago=5)
    scan()
    scan()
    [message] = mail.outbox
    assert message.to == [w.mbo.email]
    assert message.subject == "Verslag van Sam Stagiair wacht op uw oordeel"
    assert f"https://stagegids.example.nl/verslagen/{w.verslag.pk}/" in message.body


def test_a_verslag_reviewed_or_unshared_meanwhile_is_not_reminded(reminders, scan):
    w = reminders
    share_verslag(w, days_ago=4)
    scan()
    assert [m for m in mail.outbox if "wacht op uw oordeel" in m.subject] == []
    mail.outbox.clear()
    share_verslag(w, days_ago=6)
    scan_reminders()
    w.verslag.refresh_from_db()
    w.verslag.give_review(review=VerslagReview.choices[0][0], by=w.mbo)
    work_off()
    assert mail.outbox == []
    assert Reminder.objects.get(kind="verslag_oordeel").status == ReminderStatus.SKIPPED


def test_a_verslag_of_a_replaced_mbo_begeleider_is_not_reminded_to_them(reminders, scan):
    w = reminders
    share_verslag(w, days_ago=6)
    scan_reminders()
    Stage.objects.filter(pk=w.stage.pk).update(mbo_begeleider=None)
    work_off()
    assert mail.outbox == []
