"""The scale-data generator of bench/ works (at a tiny scale); the benchmark itself is not part of the suite."""

import io

from django.urls import reverse

from bench.generate import PERSONAS, generate
from leerbedrijf.models import Leerbedrijf, OnboardingItem, Stage


def test_generator_at_small_scale(client, db):
    result = generate(leerbedrijven=3, stages=25, big=10, schools=2, mbo_per_school=2, out=io.StringIO())
    assert result == {"leerbedrijven": 3, "stages": 25, "onboarding_items": 25 * 13}
    big = Leerbedrijf.objects.get(name="Groot Installatiebedrijf (bench)")
    assert Stage.objects.filter(leerbedrijf=big).count() == 10
    assert OnboardingItem.objects.filter(stage__leerbedrijf=big).count() == 130
    client.force_login(big.memberships.get(user__email=PERSONAS["praktijkopleider"]).user)
    assert client.get(reverse("leerbedrijf:stagiairs", args=[big.pk])).status_code == 200


def test_voortgang_rows_at_small_scale(client, db):
    """What bench.voortgang adds for the voortgang overview's columns, once, and the overview reads it."""
    from bench import voortgang
    from stageplan.models import Leerdoel, Moment, Stageplan

    generate(leerbedrijven=3, stages=25, big=10, schools=2, mbo_per_school=2, out=io.StringIO())
    counts = voortgang.generate(out=io.StringIO())
    assert counts["stageplannen"] == Stageplan.objects.count() == 25
    assert counts["leerdoelen"] == Leerdoel.objects.count() == 75
    assert counts["momenten"] == Moment.objects.count() == 75
    big = Leerbedrijf.objects.get(name="Groot Installatiebedrijf (bench)")
    client.force_login(big.memberships.get(user__email=PERSONAS["praktijkopleider"]).user)
    page = client.get(reverse("leerbedrijf:voortgang") + "?sorteer=moment").content.decode()
    assert page.count(" van 3") == 10


def test_multihost_checks_catch_a_mail_and_a_verslag_twice(tmp_path):
    """bench.multihost reads the mail files back; a reminder received twice, or a verslag made twice, fails its run."""
    from django.core.mail import EmailMessage

    from bench.multihost import checks

    def write(name, *message_ids):
        messages = [
            EmailMessage("Herinnering", "…", "portal@stagegids.test", ["wim@bedrijf.test"], headers={"Message-ID": m})
            for m in message_ids
        ]
        (tmp_path / name).write_bytes(b"".join(m.message().as_bytes() + checks.SEPARATOR for m in messages))

    first, second = "<herinnering-7-20261130040000@x>", "<herinnering-8-20261130040000@x>"
    write("a.log", first, second)
    keys = {7: ("moment", 1, "gesprek", "1d"), 8: ("moment", 2, "gesprek", "1d")}
    once = checks.mails_once(
        checks.read_mails(tmp_path), reminder_keys=keys, sent_reminders=[first, second], sent_outbox=[]
    )
    assert all(ok for _name, ok, _detail in once)

    write("b.log", first)  # another worker process sent the first one again
    twice = checks.mails_once(
        checks.read_mails(tmp_path), reminder_keys=keys, sent_reminders=[first, second], sent_outbox=[]
    )
    assert [name for name, ok, _detail in twice if not ok] == [
        "no Message-ID twice",
        "no reminder twice per (recipient, reminder key)",
    ]
    assert checks.verslagen_once([("beoordeling.Beoordeling", 3, "v1"), ("beoordeling.Beoordeling", 3, "v2")])[1]
    assert not checks.verslagen_once([("beoordeling.Beoordeling", 3, "v1")] * 2)[1]
