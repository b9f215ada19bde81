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
