"""The start page with focus (issue 16): what happens today and this week first, every to-do a link that says what
and for whom, the overviews folded; the unread notifications counted in the header, listed on their own page and
marked read by a POST once seen."""

import html
import re
from datetime import datetime, time, timedelta

import pytest
from django.db import connection
from django.db.models import Model
from django.test.utils import CaptureQueriesContext
from django.urls import reverse, reverse_lazy
from django.utils import timezone

from beoordeling.zorgen.models import Zorg
from stagegids.dashboard import TODOS_SHOWN
from stagegids.models import Notification
from stagegids.notifications import PAGE_SIZE, notify
from stageplan.models import MomentKind
from tests.factories import MomentFactory, VerslagFactory
from tests.queries import count_queries
from tests.test_confirm_steps import in_parallel, postgres_only
from uren.models import Ziekmelding

THIS_WEEK = re.compile(r'aria-labelledby="deze-week-titel">(.*?)</section>', re.S)
TODOS = re.compile(r'aria-labelledby="te-doen-titel">(.*?)</section>', re.S)
LINK = re.compile(r'<a href="([^"]+)">([^<]+)</a>')


def links(fragment):
    return [(html.unescape(href), " ".join(html.unescape(text).split())) for href, text in LINK.findall(fragment)]


def section(client, user, pattern):
    client.force_login(user)
    page = client.get(reverse("start")).content.decode()
    found = pattern.search(page)
    return found.group(1) if found else ""


def at(day, hour):
    return timezone.make_aware(datetime.combine(day, time(hour)))


@pytest.fixture
def week(world):
    """A tussenbeoordeling today (the school takes part), an eindbeoordeling later this week if the week has a later
    day (the praktijkbeoordelaar assesses at it), a gesprek next week and a cancelled one today."""
    today = timezone.localdate()
    moments = {
        "today": MomentFactory(stage=world.stage, kind=MomentKind.TUSSENBEOORDELING, starts_at=at(today, 12)),
        "next_week": MomentFactory(
            stage=world.stage,
            kind=MomentKind.VOORTGANGSGESPREK,
            starts_at=at(today + timedelta(days=7 - today.weekday()), 10),
        ),
        "cancelled": MomentFactory(stage=world.stage, kind=MomentKind.MIDDENGESPREK, starts_at=at(today, 15)),
    }
    moments["cancelled"].cancel(reason="ziek")
    if today.weekday() < 6:
        moments["later"] = MomentFactory(
            stage=world.stage, kind=MomentKind.EINDBEOORDELING, starts_at=at(today + timedelta(days=1), 9)
        )
    return moments


@pytest.mark.parametrize(
    ("persona", "kinds"),
    [
        ("opleider", {"Tussenbeoordeling met Sam Stagiair", "Eindbeoordeling met Sam Stagiair"}),
        ("wpb", {"Tussenbeoordeling met Sam Stagiair", "Eindbeoordeling met Sam Stagiair"}),
        ("mbo", {"Tussenbeoordeling met Sam Stagiair", "Eindbeoordeling met Sam Stagiair"}),
        ("beoordelaar", {"Eindbeoordeling met Sam Stagiair"}),
    ],
)
def test_today_and_this_week_come_first_with_who_and_what(client, world, week, persona, kinds):
    client.force_login(getattr(world, persona))
    page = client.get(reverse("start")).content.decode()
    main = page.split("<main", 1)[1]
    # First: before the to-do list and the overviews (the h1 comes before it).
    first = main.index("Vandaag en deze week")
    assert all(first < main.index(word) for word in ("Te doen", "Overzichten") if word in main)
    shown = links(THIS_WEEK.search(page).group(1))
    if "later" not in week:  # on a Sunday the week has no later day
        kinds = {kind for kind in kinds if kind.startswith("Tussen")}
    assert {text for _, text in shown if "met" in text} == kinds
    # Not the gesprek of next week, not the cancelled one.
    assert "Voortgangsgesprek" not in THIS_WEEK.search(page).group(1)
    assert "Middengesprek" not in THIS_WEEK.search(page).group(1)
    for href, _ in shown:
        assert client.get(href).status_code == 200, href


def test_the_stagiair_sees_the_company_and_an_outsider_sees_nothing(client, world, week):
    shown = links(section(client, world.stagiair, THIS_WEEK))
    assert ("Tussenbeoordeling bij " + world.a.name) in {text for _, text in shown}
    assert "vandaag 12:00" in section(client, world.stagiair, THIS_WEEK)
    assert "Sam Stagiair" not in section(client, world.opleider_b, THIS_WEEK)
    assert "Sam Stagiair" not in section(client, world.mbo_other_school, THIS_WEEK)


def test_an_empty_week_says_so(client, world):
    assert "geen gesprekken of beoordelingen gepland" in section(client, world.opleider, THIS_WEEK)


def test_every_to_do_is_a_link_that_says_what_and_for_whom(client, world):
    todos = dict((text, href) for href, text in links(section(client, world.opleider, TODOS)))
    # The afspraak of the world's gesprek (due today), and the opleider's part of the tussenbeoordeling.
    assert todos["Afspraak: Veiligheidsinstructie lezen — Sam Stagiair"] == reverse(
        "beoordeling:stage_gesprekken", args=[world.stage.pk]
    )
    assert todos["Tussenbeoordeling: formulier invullen — Sam Stagiair"] == world.beoordeling.get_absolute_url()
    assert todos["Besluiten over 1 kandidaat — " + world.a.name] == reverse("leerbedrijf:kandidaten", args=[world.a.pk])
    for text, href in todos.items():
        assert " — " in text, text
        assert client.get(href).status_code == 200, href
    stagiair = dict((text, href) for href, text in links(section(client, world.stagiair, TODOS)))
    # Their own: no name after it.
    assert stagiair["Tussenbeoordeling: formulier invullen"] == world.beoordeling.get_absolute_url()


def test_the_overviews_are_folded_one_click_away(client, world):
    client.force_login(world.opleider)
    page = client.get(reverse("start")).content.decode()
    folded = page.split('id="overzichten-titel"', 1)[1]
    assert "<summary>1 stage die u volgt</summary>" in folded
    # The stages are read when the panel is opened (htmx), or on a page of their own without JavaScript.
    panel_url = reverse("start_panel", args=["stages"])
    assert f'hx-get="{panel_url}"' in folded and f'<a href="{panel_url}">Openen</a>' in folded
    assert world.stage.get_absolute_url() not in folded
    opened = client.get(panel_url, headers={"HX-Request": "true"}).content.decode()
    assert world.stage.get_absolute_url() in opened and "<html" not in opened
    page = client.get(panel_url).content.decode()
    assert world.stage.get_absolute_url() in page and '<h1 class="h3 mb-3">1 stage die u volgt</h1>' in page
    assert "<summary>Uw leerbedrijf</summary>" in folded


def test_the_to_dos_past_the_first_few_are_folded(client, world):
    for n in range(12):
        world.gesprek.add_afspraak(
            by=world.opleider, text=f"Afspraak nummer {n}", owner=world.stagiair, due_date=timezone.localdate()
        )
    todos = section(client, world.opleider, TODOS)
    shown, folded = todos.split("<details", 1)
    assert len(links(shown)) == TODOS_SHOWN
    assert "dingen te doen</summary>" in folded
    # The rest are read when the summary is opened (htmx), or on a page of their own; late ones first, as above.
    panel_url = reverse("start_panel", args=["todos"])
    assert f'hx-get="{panel_url}"' in folded and f'<a href="{panel_url}">Openen</a>' in folded
    counted = int(folded.split("<summary>Nog ", 1)[1].split(" ", 1)[0])
    opened = client.get(panel_url, headers={"HX-Request": "true"}).content.decode()
    assert "<html" not in opened and len(links(opened)) == counted >= 12 + 1 - TODOS_SHOWN
    assert "Afspraak nummer" in client.get(panel_url).content.decode()


@pytest.mark.parametrize("persona", ["opleider", "wpb", "beoordelaar", "stagiair", "mbo"])
def test_the_start_page_keeps_its_queries_as_moments_and_to_dos_grow(client, world, persona):
    user = getattr(world, persona)
    client.force_login(user)
    today = timezone.localdate()
    few = count_queries(client, reverse("start"))
    for n in range(15):
        MomentFactory(stage=world.stage, kind=MomentKind.EINDBEOORDELING, starts_at=at(today, 8) + timedelta(hours=n))
        world.gesprek.add_afspraak(by=world.opleider, text=f"Nummer {n}", owner=world.stagiair, due_date=today)
        notify(user=user, key=f"k{n}", title=f"Melding {n}", url="/")
    assert count_queries(client, reverse("start")) == few


# --- notifications -------------------------------------------------------------------------------------------------


def badge(page):
    found = re.search(r'id="meldingen-link">Meldingen(?: <span class="badge[^>]*>(\d+))?', page)
    assert found, "no notifications link in the header"
    return int(found.group(1) or 0)


def test_the_header_counts_the_unread_notifications_on_every_page(client, world):
    client.force_login(world.opleider)
    assert badge(client.get(reverse("start")).content.decode()) == 1
    notify(user=world.opleider, key="two", title="Tweede", url="/")
    assert badge(client.get(reverse("stageplan:agenda")).content.decode()) == 2
    client.force_login(world.wpb)
    assert badge(client.get(reverse("stageplan:agenda")).content.decode()) == 0


def notification_queries(client, url):
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        page = client.get(url).content.decode()
    return page, [query["sql"] for query in queries if "stagegids_notification" in query["sql"]]


@pytest.mark.parametrize("url", [reverse_lazy("leerbedrijf:profile"), reverse_lazy("stageplan:agenda")])
def test_the_header_count_costs_one_query(client, world, url):
    client.force_login(world.wpb)
    for n in range(3):
        notify(user=world.wpb, key=f"k{n}", title=f"Melding {n}", url="/")
    page, queries = notification_queries(client, str(url))
    assert badge(page) == 3 and len(queries) == 1


def test_the_start_page_counts_them_once_for_its_panel_and_the_header(client, world):
    client.force_login(world.opleider)
    for n in range(7):
        notify(user=world.opleider, key=f"k{n}", title=f"Melding {n}", url="/")
    page, queries = notification_queries(client, reverse("start"))
    assert badge(page) == 8 and "En nog 3 ongelezen herinneringen." in page
    assert len(queries) == 1


def test_the_notifications_page_lists_newest_first_pages_and_writes_nothing(client, world):
    for n in range(PAGE_SIZE + 2):
        notify(user=world.opleider, key=f"n{n}", title=f"Melding nummer {n:02d}", url="/")
        Notification.objects.filter(key=f"n{n}").update(created_at=timezone.now() + timedelta(minutes=n))
    client.force_login(world.opleider)
    page = client.get(reverse("notifications")).content.decode()
    assert page.index("Melding nummer 26") < page.index("Melding nummer 25")
    assert "Melding nummer 01" not in page and "Pagina 1 van 2" in page
    second = client.get(reverse("notifications") + "?pagina=2").content.decode()
    assert "Melding nummer 01" in second and "Voortgangsgesprek morgen" in second
    assert Notification.objects.filter(user=world.opleider, read_at__isnull=False).count() == 0
    # The page posts the ids it showed (htmx on load), and only those become read.
    shown = re.findall(r'name="shown" value="(\d+)"', page)
    assert len(shown) == PAGE_SIZE and 'hx-trigger="load' in page
    response = client.post(reverse("notifications_read"), {"shown": shown}, headers={"HX-Request": "true"})
    assert response.status_code == 204
    # The 27 made here and the world's one: the three on page 2 stay unread.
    assert Notification.objects.filter(user=world.opleider, read_at__isnull=True).count() == 3
    first = dict(Notification.objects.filter(pk__in=shown).values_list("pk", "read_at"))
    client.post(reverse("notifications_read"), {"shown": shown}, headers={"HX-Request": "true"})
    assert dict(Notification.objects.filter(pk__in=shown).values_list("pk", "read_at")) == first


def test_no_one_marks_someone_elses_notifications(client, world):
    client.force_login(world.wpb)
    client.post(reverse("notifications_read"), {"shown": [world.notification.pk, "x", "99999999999999999999"]})
    client.post(reverse("notifications_read"), {"alle": "1"})
    world.notification.refresh_from_db()
    assert world.notification.read_at is None
    assert world.notification.title not in client.get(reverse("notifications")).content.decode()


def test_alles_gelezen_and_a_followed_link_mark_read(client, world):
    notify(user=world.opleider, key="extern", title="Naar buiten", url="https://example.com/")
    client.force_login(world.opleider)
    response = client.post(reverse("notification_read", args=[world.notification.pk]), {"open": "1"})
    assert response.status_code == 302 and response.url == world.stage.get_absolute_url()
    world.notification.refresh_from_db()
    assert world.notification.read_at is not None
    # A link that leaves the portal is not followed from here.
    extern = Notification.objects.get(key="extern")
    response = client.post(reverse("notification_read", args=[extern.pk]), {"open": "1"})
    assert response.url == reverse("start")
    notify(user=world.opleider, key="derde", title="Derde", url="/")
    response = client.post(reverse("notifications_read"), {"alle": "1"}, follow=True)
    assert "Alle meldingen zijn gelezen." in response.content.decode()
    assert not Notification.objects.filter(user=world.opleider, read_at__isnull=True).exists()
    assert badge(response.content.decode()) == 0
    again = client.post(reverse("notifications_read"), {"alle": "1"}, follow=True)
    assert "Alle meldingen zijn gelezen." not in again.content.decode()


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_parallel_alles_gelezen_marks_once(world):
    for n in range(5):
        notify(user=world.opleider, key=f"p{n}", title=f"Parallel {n}", url="/")
    responses = in_parallel(*[(world.opleider, reverse("notifications_read"), {"alle": "1"})] * 4)
    said = [response.content.decode() for response in responses]
    assert sum("Alle meldingen zijn gelezen." in text for text in said) == 1
    assert not Notification.objects.filter(user=world.opleider, read_at__isnull=True).exists()


@pytest.mark.parametrize("persona", ["opleider", "wpb", "beoordelaar", "stagiair", "mbo"])
def test_the_start_page_reads_each_row_once(client, world, week, monkeypatch, persona):
    """The panels read only the columns their lines show (QuerySet.only): a column left out and shown after all
    would be read row by row, a query each. Every panel has a line here; reading a left-out column fails."""
    today = timezone.localdate()
    MomentFactory(stage=world.stage, kind=MomentKind.VOORTGANGSGESPREK, starts_at=at(today - timedelta(days=5), 10))
    MomentFactory(stage=world.stage, kind=MomentKind.VOORTGANGSGESPREK, starts_at=at(today + timedelta(days=9), 10))
    world.gesprek.add_afspraak(by=world.opleider, text="Veiligheidsschoenen", owner=world.stagiair, due_date=today)
    Zorg.record(
        stage=world.stage, by=world.wpb, kind="aanwezigheid", happened="Te laat.", agreed="Bellen.",
        next_step="Gesprek", next_step_on=today,
    )  # fmt: skip
    VerslagFactory(stage=world.stage, shared_at=timezone.now(), review="wijziging", reviewed_by=world.mbo)
    VerslagFactory(stage=world.stage, shared_at=timezone.now())
    Ziekmelding.report(stage=world.stage, by=world.stagiair, since=today)
    client.force_login(getattr(world, persona))

    def read_afterwards(instance, fields=None, **kwargs):
        raise AssertionError(f"{type(instance).__name__}.{fields} read after its row")

    monkeypatch.setattr(Model, "refresh_from_db", read_afterwards)
    assert client.get(reverse("start")).status_code == 200
