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
