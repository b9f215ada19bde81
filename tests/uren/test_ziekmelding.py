"""Ziekmeldingen through their pages: on the day, seen by the werkplekbegeleider, by the school only where the
company chose so, and long or repeated absence on the praktijkopleider's start page (issue 14)."""

from datetime import timedelta

import time_machine
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from uren.models import Ziekmelding

from .steps import form_data, last_monday


def _at(day):
    return timezone.make_aware(timezone.datetime.combine(day, timezone.datetime.min.time()))


def report(client, stage, since=None):
    since = since or timezone.localdate()
    return client.post(reverse("uren:ziek_melden", args=[stage.pk]), {"since": since.isoformat()}, follow=True)


def recover(client, melding, until=None):
    until = until or timezone.localdate()
    return client.post(reverse("uren:beter_melden", args=[melding.pk]), {"until": until.isoformat()}, follow=True)


def messages_of(response):
    return [str(message) for message in response.context["messages"]]


def test_the_stagiair_reports_ill_and_the_werkplekbegeleider_sees_it(client, world, stage):
    client.force_login(world.stagiair)
    response = report(client, stage)
    assert "Je ziekmelding is doorgegeven. Beterschap!" in messages_of(response)
    start = client.get(reverse("start")).text
    assert "Je bent ziek gemeld sinds" in start
    client.force_login(world.wpb)
    start = client.get(reverse("start")).text
    assert "Ziek gemeld" in start and "Sam Stagiair" in start
    again = report(client, stage)
    assert any(m.startswith("Sam Stagiair is al ziek gemeld sinds") for m in messages_of(again))
    assert Ziekmelding.objects.count() == 1


def test_a_ziekmelding_is_made_on_the_day_not_long_after(client, world, stage):
    client.force_login(world.opleider)
    response = report(client, stage, timezone.localdate() - timedelta(days=8))
    assert "een ziekmelding doet u op de dag zelf" in response.text
    response = report(client, stage, timezone.localdate() + timedelta(days=1))
    assert "een ziekmelding doet u op de dag zelf" in response.text
    assert Ziekmelding.objects.count() == 0


def test_the_school_sees_ziekmeldingen_only_where_the_company_chose_so(client, world, stage):
    client.force_login(world.stagiair)
    report(client, stage)
    url = reverse("uren:ziekmeldingen", args=[stage.pk])
    client.force_login(world.mbo)
    assert client.get(url).status_code == 404
    assert "Ziek gemeld" not in client.get(reverse("start")).text
    client.force_login(world.opleider)
    done = client.post(reverse("uren:instelling", args=[stage.pk]), {"school_sees_ziekmeldingen": "on"}, follow=True)
    assert "De mbo-begeleider ziet nu de ziekmeldingen van deze stage." in messages_of(done)
    again = client.post(reverse("uren:instelling", args=[stage.pk]), {"school_sees_ziekmeldingen": "on"}, follow=True)
    assert "Deze keuze stond al zo; er is niets veranderd." in messages_of(again)
    client.force_login(world.mbo)
    assert client.get(url).status_code == 200
    assert "Ziek gemeld" in client.get(reverse("start")).text
    stage_page = client.get(reverse("leerbedrijf:stage", args=[stage.pk])).text
    assert url in stage_page
    # Never the hours themselves.
    assert client.get(reverse("uren:stage", args=[stage.pk])).status_code == 404
    client.force_login(world.mbo_same_school)
    assert client.get(url).status_code == 404
    client.force_login(world.opleider)
    client.post(reverse("uren:instelling", args=[stage.pk]), {})
    client.force_login(world.mbo)
    assert client.get(url).status_code == 404


def test_reported_better_once_and_the_ill_days_are_ziek_in_the_week(client, world, stage):
    monday = last_monday()
    with time_machine.travel(_at(monday)):
        client.force_login(world.stagiair)
        report(client, stage, monday)
    with time_machine.travel(
        timezone.make_aware(timezone.datetime.combine(monday + timedelta(days=3), timezone.datetime.min.time()))
    ):
        melding = Ziekmelding.objects.get()
        client.force_login(world.wpb)
        response = recover(client, melding, monday + timedelta(days=1))
        assert "De betermelding is doorgegeven." in messages_of(response)
        again = recover(client, melding, monday + timedelta(days=2))
        assert "Deze ziekmelding is al afgesloten." in messages_of(again)
    melding.refresh_from_db()
    assert melding.until == monday + timedelta(days=1) and melding.recovered_by == world.wpb
    client.force_login(world.wpb)  # the session of the past has expired
    data = form_data(client, stage, monday)
    # Monday and Tuesday were planned working days, now ziek with their planned hours; Wednesday werk.
    assert [data["soort_0"], data["soort_1"], data["soort_2"]] == ["ziek", "ziek", "werk"]
    page = client.get(
        reverse("uren:week", kwargs={"pk": stage.pk, "year": monday.isocalendar()[0], "week": monday.isocalendar()[1]})
    )
    assert "ma ziek, di ziek, wo 8 u" in page.text


@override_settings(UREN_LONG_ABSENCE_DAYS=14)
def test_long_absence_shows_on_the_praktijkopleiders_start_page_from_the_threshold(client, world, stage):
    today = timezone.localdate()
    client.force_login(world.stagiair)
    with time_machine.travel(_at(today - timedelta(days=12))):
        report(client, stage)
    client.force_login(world.opleider)
    assert "Verzuim om op te letten" not in client.get(reverse("start")).text  # 13 days
    with time_machine.travel(_at(today + timedelta(days=1))):
        client.force_login(world.opleider)  # a day later the session has expired
        page = client.get(reverse("start")).text
        assert "Verzuim om op te letten" in page and "14 dagen ziek" in page
    with time_machine.travel(_at(today + timedelta(days=1))):
        client.force_login(world.wpb)
        assert "Verzuim om op te letten" not in client.get(reverse("start")).text


@override_settings(UREN_REPEATED_ABSENCE_COUNT=3, UREN_REPEATED_ABSENCE_MONTHS=12)
def test_repeated_absence_shows_from_the_third_ziekmelding_in_a_year(client, world, stage):
    today = timezone.localdate()
    type(stage).objects.filter(pk=stage.pk).update(start_date=today - timedelta(days=400))
    for days_ago in (380, 100, 50):
        with time_machine.travel(_at(today - timedelta(days=days_ago))):
            client.force_login(world.stagiair)
            report(client, stage)
        with time_machine.travel(_at(today - timedelta(days=days_ago - 2))):
            client.force_login(world.stagiair)
            response = recover(client, Ziekmelding.objects.open().get())
            assert "De betermelding is doorgegeven." in messages_of(response), response.redirect_chain
    client.force_login(world.opleider)
    assert "Verzuim om op te letten" not in client.get(reverse("start")).text  # two in the last year
    client.force_login(world.stagiair)
    report(client, stage)
    client.force_login(world.opleider)
    page = client.get(reverse("start")).text
    assert "Verzuim om op te letten" in page and "3 ziekmeldingen" in page
