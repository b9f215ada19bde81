"""Erasure of an account (issue 17): deactivated at once, anonymised at the end of its retention; what others
signed keeps its meaning without the person's name."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from beoordeling.beoordelingen.models import Beoordeling
from stagegids import retention
from stagegids.models import User
from stagemap.models import Verslag
from stagemap.verslagen import make_verslag
from stageplan.models import CalendarFeed
from tests.factories import MembershipFactory, UserFactory
from tests.test_confirm_steps import in_parallel, postgres_only


def run_after_erasure(django_capture_on_commit_callbacks, days=None):
    days = settings.RETENTION_DAYS["account_verwijderd"] if days is None else days
    with django_capture_on_commit_callbacks(execute=True):
        return retention.run(now=timezone.now() + timedelta(days=days, minutes=1))


def test_a_person_asks_it_on_his_profile_and_is_logged_out_at_once(client, world, django_capture_on_commit_callbacks):
    client.force_login(world.stagiair)
    profile = client.get(reverse("leerbedrijf:profile")).content.decode()
    assert reverse("erasure_request") in profile
    page = client.get(reverse("erasure_request")).content.decode()
    assert "Je account verwijderen?" in page and "Kan het terug?" in page and "voormalig stagiair" in page
    # A POST without the confirm step's field changes nothing.
    client.post(reverse("erasure_request"))
    assert User.objects.get(pk=world.stagiair.pk).is_active

    response = client.post(reverse("erasure_request"), {"confirmed": "True"}, follow=True)
    assert "Je account is gedeactiveerd" in response.content.decode()
    person = User.objects.get(pk=world.stagiair.pk)
    assert (person.is_active, person.erasure_requested_by_id) == (False, world.stagiair.pk)
    assert client.get(reverse("start")).status_code == 302, "logged out"

    # Before the end of the period it stays as it was; after it the person is gone from the account.
    run_after_erasure(django_capture_on_commit_callbacks, days=settings.RETENTION_DAYS["account_verwijderd"] - 1)
    assert User.objects.get(pk=person.pk).name == "Sam Stagiair"
    report = run_after_erasure(django_capture_on_commit_callbacks)
    assert report.counts["account_verwijderd"] == 1
    person.refresh_from_db()
    assert (person.name, person.has_usable_password(), person.anonymised_at is not None) == ("", False, True)
    assert person.email == f"verwijderd-{person.pk}@verwijderd.invalid"
    assert str(person) == "voormalig gebruiker"
    again = run_after_erasure(django_capture_on_commit_callbacks)
    assert again.counts["account_verwijderd"] == 0


def test_a_praktijkopleider_asks_it_for_his_stagiair_once(client, world):
    url = reverse("leerbedrijf:person_erase", args=[world.a.pk, world.stagiair.pk])
    client.force_login(world.opleider)
    stage_page = client.get(reverse("leerbedrijf:stage", args=[world.stage.pk])).content.decode()
    assert url in stage_page
    assert "Het account van Sam Stagiair verwijderen?" in client.get(url).content.decode()
    first = client.post(url, {"confirmed": "True"}, follow=True).content.decode()
    assert "Het account van Sam Stagiair is gedeactiveerd" in first
    second = client.post(url, {"confirmed": "True"}, follow=True).content.decode()
    assert "al gevraagd; er is niets gewijzigd" in second
    assert "al gevraagd" in client.get(url).content.decode()
    person = User.objects.get(pk=world.stagiair.pk)
    assert (person.is_active, person.erasure_requested_by_id) == (False, world.opleider.pk)


def test_someone_with_a_role_elsewhere_is_not_erased_by_one_company(client, world):
    MembershipFactory(user=world.wpb, role="werkplekbegeleider", leerbedrijf=world.b)
    url = reverse("leerbedrijf:person_erase", args=[world.a.pk, world.wpb.pk])
    client.force_login(world.opleider)
    page = client.post(url, {"confirmed": "True"}).content.decode()
    assert "heeft ook een rol of stage bij een andere organisatie" in page
    assert User.objects.get(pk=world.wpb.pk).is_active
    # Someone not known at the company does not exist for its praktijkopleider.
    outsider = UserFactory()
    assert client.get(reverse("leerbedrijf:person_erase", args=[world.a.pk, outsider.pk])).status_code == 404


def test_what_an_erased_praktijkopleider_signed_shows_his_former_role(
    client, world, django_capture_on_commit_callbacks
):
    beoordeling = Beoordeling.objects.get(pk=world.beoordeling.pk)
    Beoordeling.objects.filter(pk=beoordeling.pk).update(
        bedrijf_signed_by=world.opleider, bedrijf_signed_at=timezone.now(), state="gesprek"
    )
    verslag = make_verslag(
        stage=world.stage,
        kind="tussenbeoordeling",
        title="Verslag tussenbeoordeling",
        template="verslagen/stagemap_inhoud.html",
        context={"rows": []},
        source=world.stage,
        source_version="1",
        signatures=[
            {"name": "Olga Opleider", "role": "praktijkopleider", "user": world.opleider.pk, "at": None},
            {"name": "Sam Stagiair", "role": "stagiair", "user": world.stagiair.pk, "at": None},
        ],
        by=world.opleider,
    )
    CalendarFeed.objects.create(user=world.opleider, key="k" * 64)
    client.force_login(world.staff)
    client.post(
        reverse("admin:stagegids_user_changelist"),
        {"action": "request_erasure", "_selected_action": [world.opleider.pk]},
    )
    assert not User.objects.get(pk=world.opleider.pk).is_active
    run_after_erasure(django_capture_on_commit_callbacks)

    signatures = Verslag.objects.get(pk=verslag.pk).signatures
    assert signatures[0] == {
        "name": "",
        "role": "praktijkopleider",
        "user": world.opleider.pk,
        "at": None,
        "former": True,
    }
    assert signatures[1]["name"] == "Sam Stagiair"
    assert not CalendarFeed.objects.filter(user=world.opleider).exists()
    client.force_login(world.stagiair)
    stagemap = client.get(reverse("stagemap:stagemap", args=[world.stage.pk])).content.decode()
    assert "voormalig praktijkopleider" in stagemap and "Olga Opleider" not in stagemap
    page = client.get(reverse("beoordeling:detail", args=[beoordeling.pk])).content.decode()
    assert "voormalig praktijkopleider" in page and "Olga" not in page


def test_reactivating_withdraws_the_erasure(world, django_capture_on_commit_callbacks):
    from stagegids.accounts import reactivate
    from stagegids.erasure import request_erasure

    assert request_erasure(world.wpb, by=world.staff) is True
    assert request_erasure(world.wpb, by=world.staff) is False
    assert reactivate(world.wpb, by=world.staff) is True
    run_after_erasure(django_capture_on_commit_callbacks)
    person = User.objects.get(pk=world.wpb.pk)
    assert (person.is_active, person.name, person.erasure_requested_at) == (True, "Willem Begeleider", None)


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_two_clicks_at_once_ask_it_once(world):
    url = reverse("leerbedrijf:person_erase", args=[world.a.pk, world.stagiair.pk])
    responses = in_parallel(*[(world.opleider, url, {"confirmed": "True"})] * 3)
    said = [r.content.decode() for r in responses]
    assert sum("is gedeactiveerd en wordt" in page for page in said) == 1
    assert sum("al gevraagd" in page for page in said) == 2
