"""The agenda (issue 16): every moment someone takes part in, across stages, by week and by month, moved through the
moment's own form; and the calendar feed of the same moments, read here by the `icalendar` library as a calendar
would, refused once renewed."""

import re
from datetime import datetime, time, timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from leerbedrijf.herinneringen import opleiders_of
from stagegids.roles import Role
from stageplan import agenda
from stageplan.herinneringen import moment_participants
from stageplan.models import CalendarFeed, Moment, MomentKind, Stageplan
from tests.conftest import PERSONAS
from tests.factories import MembershipFactory, MomentFactory, StageFactory, StagiairFactory, UserFactory
from tests.test_confirm_steps import in_parallel, postgres_only

AGENDA = reverse("stageplan:agenda")
ABONNEMENT = reverse("stageplan:agenda_abonnement")


def _week_ahead(weeks=3):
    """A week without the world's own moment (30 days ahead), and its ?week= value."""
    monday = timezone.localdate() + timedelta(weeks=weeks)
    monday -= timedelta(days=monday.weekday())
    year, week, _ = monday.isocalendar()
    return monday, f"{year}-W{week:02d}"


def _at(day, hour):
    return timezone.make_aware(datetime.combine(day, time(hour)))


def every_kind(stage, monday):
    """One moment of each kind on `stage` in the week of `monday`, and one cancelled."""
    moments = [
        MomentFactory(stage=stage, kind=kind, starts_at=_at(monday + timedelta(days=n % 5), 9 + n))
        for n, kind in enumerate(MomentKind.values)
    ]
    cancelled = MomentFactory(stage=stage, kind=MomentKind.EINDGESPREK, starts_at=_at(monday, 16))
    cancelled.cancel()
    return [*moments, cancelled]


def shown(response):
    return {int(pk) for pk in re.findall(r'id="moment-(\d+)"', response.text)}


def test_each_role_sees_exactly_the_moments_it_takes_part_in(client, world):
    """The moments whose invitation reaches someone (herinneringen.moment_participants), as long as they hold the
    role: the praktijkopleider all of his company's, the praktijkbeoordelaar the eindbeoordeling, the school the
    moments with school; nobody those of another leerbedrijf or school."""
    monday, week = _week_ahead()
    moments = every_kind(world.stage, monday) + every_kind(world.stage_b, monday)
    opleiders = opleiders_of({world.a.pk, world.b.pk})
    for persona in PERSONAS:
        user = getattr(world, persona)
        client.force_login(user)
        response = client.get(AGENDA, {"week": week})
        assert response.status_code == 200
        expected = {moment.pk for moment in moments if user.pk in dict(moment_participants(moment, opleiders))}
        assert shown(response) == expected, persona
    # Spot checks of what that means.
    client.force_login(world.beoordelaar)
    assert len(shown(client.get(AGENDA, {"week": week}))) == 1
    client.force_login(world.mbo)
    assert {Moment.objects.get(pk=pk).kind for pk in shown(client.get(AGENDA, {"week": week}))} == {
        MomentKind.TUSSENBEOORDELING,
        MomentKind.EINDBEOORDELING,
        MomentKind.STARTGESPREK,
        MomentKind.MIDDENGESPREK,
        MomentKind.EINDGESPREK,
    }


def test_a_role_that_ended_takes_its_moments_along(client, world):
    monday, week = _week_ahead()
    every_kind(world.stage, monday)
    world.wpb.memberships.get().end(by=world.opleider)
    client.force_login(world.wpb)
    assert shown(client.get(AGENDA, {"week": week})) == set()


def test_the_month_shows_the_weeks_around_it_and_cancelled_moments_struck(client, world):
    monday, _week = _week_ahead()
    moments = every_kind(world.stage, monday)
    client.force_login(world.opleider)
    response = client.get(AGENDA, {"maand": f"{monday:%Y-%m}"})
    assert {moment.pk for moment in moments} <= shown(response)
    cancelled = moments[-1]
    item = response.text[response.text.index(f'id="moment-{cancelled.pk}"') :]
    item = item[: item.index("</li>")]
    assert "<del>" in item and "geannuleerd" in item and "Verplaatsen" not in item


def test_previous_next_and_today(client, world):
    client.force_login(world.opleider)
    today = timezone.localdate()
    monday = today - timedelta(days=today.weekday())
    this_week = "{}-W{:02d}".format(*monday.isocalendar()[:2])
    page = client.get(AGENDA).text
    nxt = "{}-W{:02d}".format(*(monday + timedelta(days=7)).isocalendar()[:2])
    prev = "{}-W{:02d}".format(*(monday - timedelta(days=7)).isocalendar()[:2])
    assert f'href="?week={nxt}" rel="next"' in page and f'href="?week={prev}" rel="prev"' in page
    assert f'href="?week={this_week}">Vandaag' in page
    month = client.get(AGENDA, {"maand": "2027-01"}).text
    assert 'href="?maand=2027-02" rel="next"' in month and 'href="?maand=2026-12" rel="prev"' in month
    # From a month to its week: today's when it is in it, else its first.
    assert 'href="?week=2026-W53">Week' in month


@pytest.mark.parametrize(
    "query",
    [
        {"week": "2026-W99"},
        {"week": "2021-W53"},  # 2021 has 52 weeks
        {"week": "morgen"},
        {"week": "١٢٣٤-W01"},
        {"week": "9999-W01"},
        {"week": "1999-W10"},
        {"maand": "2026-13"},
        {"maand": "2026-00"},
        {"maand": "0001-01"},
        {"maand": "2026-1"},
        {"maand": "x" * 5000},
    ],
)
def test_a_bad_period_shows_the_current_one_and_says_why(client, world, query):
    client.force_login(world.stagiair)
    response = client.get(AGENDA, query)
    assert response.status_code == 200
    assert "De agenda toont" in response.text
    today = timezone.localdate()
    if "maand" in query:
        assert agenda.current(agenda.MONTH, today).title.capitalize() in response.text
    else:
        assert f"Week {today.isocalendar()[1]}," in response.text


def test_the_bounds_of_the_dates_stop_the_paging(client, world):
    client.force_login(world.opleider)
    first = client.get(AGENDA, {"maand": "2000-01"})
    assert 'rel="prev"' not in first.text and 'rel="next"' in first.text


def grow(w, monday, n):
    """n stages at leerbedrijf A with the school of the world, each with three moments in the week of `monday`."""
    for i in range(n):
        stage = StageFactory(
            leerbedrijf=w.a,
            onderwijsinstelling=w.school,
            mbo_begeleider=w.mbo,
            werkplekbegeleider=w.wpb,
            stagiair=StagiairFactory(leerbedrijf=w.a, user=UserFactory()),
        )
        for day, kind in enumerate([MomentKind.VOORTGANGSGESPREK, MomentKind.STARTGESPREK, MomentKind.EINDGESPREK]):
            MomentFactory(stage=stage, kind=kind, starts_at=_at(monday + timedelta(days=day), 10 + i % 6))


def count(client, url, query):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, query)
    assert response.status_code == 200
    return len(queries), len(shown(response))


@pytest.mark.parametrize("persona", ["opleider", "wpb", "mbo", "stagiair"])
@pytest.mark.parametrize("view", ["week", "maand"])
def test_constant_queries(client, world, persona, view):
    monday, week = _week_ahead()
    MomentFactory(stage=world.stage, starts_at=_at(monday, 10))
    query = {"week": week} if view == "week" else {"maand": f"{monday:%Y-%m}"}
    client.force_login(getattr(world, persona))
    client.get(AGENDA, query)
    small, few = count(client, AGENDA, query)
    grow(world, monday, 12)
    large, many = count(client, AGENDA, query)
    assert large == small
    if persona != "stagiair":
        assert many > few + 20


def test_moving_a_moment_from_the_agenda_returns_to_it(client, world):
    monday, week = _week_ahead()
    moment = MomentFactory(stage=world.stage, starts_at=_at(monday, 10))
    client.force_login(world.wpb)
    page = client.get(AGENDA, {"week": week}).text
    move = re.search(rf'href="(/stages/{world.stage.pk}/momenten/{moment.pk}/\?terug=[^"]+)"', page)[1]
    move = move.replace("&amp;", "&")
    form = client.get(move)
    assert "Terug zonder te wijzigen" in form.text
    new_time = _at(monday + timedelta(days=2), 14)
    response = client.post(
        move,
        {
            "based_on": Stageplan.objects.get(stage=world.stage).version,
            "starts_at": timezone.localtime(new_time).strftime("%Y-%m-%dT%H:%M"),
            "location": "Werkplaats",
        },
    )
    assert response.status_code == 302 and response.url == f"{AGENDA}?week={week}"
    moment.refresh_from_db()
    # As any move: the sequence goes up, so the calendars get the new time (herinneringen.MomentChanged).
    assert moment.starts_at == new_time and moment.sequence == 1
    assert "Het moment is aangepast." in client.get(response.url).text


def test_only_who_plans_a_moment_may_move_it(client, world):
    monday, week = _week_ahead()
    MomentFactory(stage=world.stage, kind=MomentKind.EINDBEOORDELING, starts_at=_at(monday, 10))
    for persona, moves in [("opleider", True), ("wpb", True), ("stagiair", False), ("beoordelaar", False)]:
        client.force_login(getattr(world, persona))
        assert ("Verplaatsen" in client.get(AGENDA, {"week": week}).text) is moves, persona
    client.force_login(world.mbo)
    assert "Verplaatsen" not in client.get(AGENDA, {"week": week}).text


def test_the_return_url_goes_nowhere_else(client, world):
    client.force_login(world.opleider)
    url = reverse("stageplan:moment_edit", args=[world.stage.pk, world.moment.pk])
    data = {
        "based_on": Stageplan.objects.get(stage=world.stage).version,
        "starts_at": timezone.localtime(world.moment.starts_at + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
        "location": "",
    }
    response = client.post(url + "?terug=https://evil.example/agenda/", data)
    assert response.url == reverse("stageplan:moments", args=[world.stage.pk]) + f"#moment-{world.moment.pk}"


# --- the calendar feed ---------------------------------------------------------------------------------------------


def feed_url(client, user):
    """Make the user's link as the page does, and read it from the page."""
    client.force_login(user)
    client.post(ABONNEMENT)
    page = client.get(ABONNEMENT).text
    return re.search(r'value="http://testserver(/agenda/abonnement/[^"]+\.ics)"', page)[1]


def events(response):
    calendar = Calendar.from_ical(response.content)
    return {str(event["uid"]): event for event in calendar.walk("VEVENT")}


def test_the_feed_holds_the_users_moments_for_a_calendar(client, world):
    monday, _week = _week_ahead()
    moments = every_kind(world.stage, monday)
    MomentFactory(stage=world.stage_b, starts_at=_at(monday, 10))
    url = feed_url(client, world.mbo)
    anonymous = Client()
    response = anonymous.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    found = events(response)
    with_school = [moment for moment in moments if moment.with_school]
    assert set(found) == {f"moment-{moment.pk}@stagegids" for moment in with_school}
    cancelled = found[f"moment-{moments[-1].pk}@stagegids"]
    assert cancelled["status"] == "CANCELLED" and cancelled["sequence"] == 1
    start = found[f"moment-{with_school[0].pk}@stagegids"]
    assert start.decoded("dtstart") == with_school[0].starts_at
    assert start["status"] == "CONFIRMED" and start.decoded("last-modified") == with_school[0].changed_at.replace(
        microsecond=0
    )
    assert "Sam Stagiair" in str(start["summary"])


def test_a_moved_moment_comes_with_a_higher_sequence_and_a_new_etag(client, world):
    url = feed_url(client, world.opleider)
    anonymous = Client()
    first = anonymous.get(url)
    assert anonymous.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    moment = Moment.objects.get(pk=world.moment.pk)
    moment.reschedule(starts_at=moment.starts_at + timedelta(days=1), location="Elders")
    second = anonymous.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert second.status_code == 200 and second["ETag"] != first["ETag"]
    event = events(second)[f"moment-{moment.pk}@stagegids"]
    assert (
        event["sequence"] == 1
        and event.decoded("dtstart") == moment.starts_at.replace(microsecond=0)
        and event["location"] == "Elders"
    )


def test_the_feed_is_bounded(client, world):
    today = timezone.localdate()
    old = MomentFactory(stage=world.stage, starts_at=_at(today - timedelta(days=100), 10))
    far = MomentFactory(stage=world.stage, starts_at=_at(today + timedelta(days=560), 10))
    recent = MomentFactory(stage=world.stage, starts_at=_at(today - timedelta(days=80), 10))
    found = events(Client().get(feed_url(client, world.stagiair)))
    assert f"moment-{recent.pk}@stagegids" in found
    assert f"moment-{old.pk}@stagegids" not in found and f"moment-{far.pk}@stagegids" not in found


def test_renewing_makes_the_old_link_gone_once(client, world):
    old = feed_url(client, world.opleider)
    key = CalendarFeed.objects.get(user=world.opleider).key
    response = client.post(ABONNEMENT, {"key": key}, follow=True)
    assert "De link is vernieuwd. De oude werkt niet meer" in response.text
    new = re.search(r'value="http://testserver(/agenda/abonnement/[^"]+\.ics)"', response.text)[1]
    assert new != old
    anonymous = Client()
    assert anonymous.get(old).status_code == 410
    assert anonymous.get(new).status_code == 200
    # The same click again (another tab, the back button) changes nothing and says so.
    again = client.post(ABONNEMENT, {"key": key}, follow=True)
    assert "De link was al vernieuwd" in again.text and new in again.text
    assert anonymous.get(new).status_code == 200


def test_a_link_not_made_here_or_of_a_closed_account_is_refused(client, world):
    url = feed_url(client, world.stagiair)
    anonymous = Client()
    token = url.rsplit("/", 1)[1].removesuffix(".ics")
    key, signature = token.split(".")
    for forged in [f"{key}.{signature[:-2]}xx", f"{key}x.{signature}", key, "a.b"]:
        assert anonymous.get(reverse("stageplan:agenda_feed", args=[forged])).status_code == 404, forged
    world.stagiair.is_active = False
    world.stagiair.save(update_fields=["is_active"])
    assert anonymous.get(url).status_code == 410


def test_the_page_says_je_to_a_stagiair_and_u_to_the_rest(client, world):
    client.force_login(world.stagiair)
    assert "je gesprekken en beoordelingen in je eigen agenda" in client.get(ABONNEMENT).text
    client.force_login(world.mbo)
    assert "uw gesprekken en beoordelingen in uw eigen agenda" in client.get(ABONNEMENT).text


def test_making_the_link_twice_keeps_the_first(client, world):
    url = feed_url(client, world.wpb)
    client.post(ABONNEMENT)
    assert CalendarFeed.objects.filter(user=world.wpb).count() == 1
    assert Client().get(url).status_code == 200


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_parallel_renewals_renew_once(world):
    feed, _ = CalendarFeed.start(world.opleider)
    responses = in_parallel(*[(world.opleider, ABONNEMENT, {"key": feed.key})] * 4)
    renewed = [response for response in responses if "De link is vernieuwd." in response.text]
    assert len(renewed) == 1
    assert all(response.status_code == 200 for response in responses)
    assert CalendarFeed.objects.get(user=world.opleider).key != feed.key


def test_a_role_holder_without_stages_gets_an_empty_feed(client, world):
    member = UserFactory()
    MembershipFactory(user=member, role=Role.PRAKTIJKBEOORDELAAR, leerbedrijf=world.a)
    assert events(Client().get(feed_url(client, member))) == {}
