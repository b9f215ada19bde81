"""Every first screen says what to do next (issue 12): each role, with nothing yet, gets a start page with the next
step in the gids's words and links that open. The panels come from the app that owns the thing (the registry of
stagegids/dashboard.py)."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from leerbedrijf.models import Stage
from stagegids.roles import Role
from stageplan.models import Moment, MomentKind
from tests.factories import LeerbedrijfFactory, MembershipFactory, OnderwijsinstellingFactory, UserFactory
from tests.leerbedrijf.test_intake import intake_data

NO_ROLE = "U heeft (nog) geen rol"
MAIN = re.compile(r"<main[^>]*>(.*?)</main>", re.S)
HREF = re.compile(r'href="(/[^"]*)"')


def start_page(client):
    response = client.get(reverse("start"))
    assert response.status_code == 200
    return response.content.decode()


def follow_links(client, page):
    """Every link of the page's content opens: a next step is never a 404 or a 500."""
    links = {link.replace("&amp;", "&") for link in HREF.findall(MAIN.search(page).group(1))}
    assert links
    for link in sorted(links):
        assert client.get(link).status_code == 200, link
    return links


def link_from_mail(message):
    return re.search(r"http://testserver(/uitnodiging/\S+/)", message.body).group(1)


def invite(client, opleider, leerbedrijf, **data):
    client.force_login(opleider)
    with TestCase.captureOnCommitCallbacks(execute=True):  # the outbox sends after commit
        response = client.post(reverse("leerbedrijf:invite", args=[leerbedrijf.pk]), data)
    assert response.status_code == 302
    client.logout()
    return link_from_mail(mail.outbox[-1])


def accept(client, link, name):
    response = client.post(
        link, {"name": name, "password1": "zonnepaneel-42x", "password2": "zonnepaneel-42x"}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("start")
    return response.content.decode()


@pytest.fixture
def nieuw(db):
    """A leerbedrijf on its first day: a praktijkopleider, nothing else (no erkenning, no stagiair, no colleague)."""
    leerbedrijf = LeerbedrijfFactory(name="Nieuw Installatiebedrijf")
    opleider = UserFactory(email="opleider@nieuw.nl", name="Nina Nieuw")
    MembershipFactory(user=opleider, role=Role.PRAKTIJKOPLEIDER, leerbedrijf=leerbedrijf)
    return leerbedrijf, opleider


def test_a_new_praktijkopleider_is_asked_for_the_erkenning_and_a_stagiair(client, world, nieuw):
    leerbedrijf, opleider = nieuw
    client.force_login(opleider)
    page = start_page(client)
    assert NO_ROLE not in page
    assert "Eerste stappen" in page
    assert "Leg uw erkenning als leerbedrijf vast." in page and "Erkenning vastleggen" in page
    assert "Neem een stagiair aan." in page and "Stagiair aannemen" in page
    # No erkenning at all is no "Geen aandachtspunten"; no evaluatie yet is nothing to learn from.
    assert "Geen aandachtspunten" not in page and "Leren van evaluaties" not in page
    links = follow_links(client, page)
    assert reverse("leerbedrijf:erkenning_create", args=[leerbedrijf.pk]) in links
    assert reverse("leerbedrijf:intake", args=[leerbedrijf.pk]) in links

    response = client.post(
        reverse("leerbedrijf:erkenning_create", args=[leerbedrijf.pk]),
        {"kwalificatie": world.stage.kwalificatie_id, "status": "in_voorbereiding"},
    )
    assert response.status_code == 302
    page = start_page(client)
    assert "Erkenning vastleggen" not in page and "Stagiair aannemen" in page


def test_the_first_steps_are_gone_once_the_company_has_an_erkenning_and_a_stage(client, world):
    client.force_login(world.opleider)
    assert "Eerste stappen" not in start_page(client)


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        (Role.WERKPLEKBEGELEIDER, "U bent werkplekbegeleider / praktijkbegeleider bij Nieuw Installatiebedrijf"),
        (Role.HYBRIDE_TECHNIEKOPLEIDER, "U bent hybride techniekopleider bij Nieuw Installatiebedrijf"),
        (Role.INFORMELE_BEGELEIDER, "U bent informele begeleider bij Nieuw Installatiebedrijf"),
    ],
)
def test_a_werkplekbegeleider_who_just_accepted_is_told_what_comes_next(client, nieuw, role, expected):
    leerbedrijf, opleider = nieuw
    link = invite(client, opleider, leerbedrijf, name="Wim Werkplek", email="wim@nieuw.nl", role=role)
    page = accept(client, link, "Wim Werkplek")
    assert "Welkom! U bent nu" in page
    assert NO_ROLE not in page
    assert expected in page
    assert "De praktijkopleider koppelt u aan een stagiair." in page
    assert "Intussen:" in page
    assert reverse("reminder_preferences") in follow_links(client, page)


def test_a_praktijkbeoordelaar_who_just_accepted_is_told_what_comes_next(client, nieuw):
    leerbedrijf, opleider = nieuw
    link = invite(
        client, opleider, leerbedrijf, name="Bram Beoordeel", email="bram@nieuw.nl", role="praktijkbeoordelaar"
    )
    page = accept(client, link, "Bram Beoordeel")
    assert NO_ROLE not in page
    assert "U bent praktijkbeoordelaar bij Nieuw Installatiebedrijf" in page
    assert "De praktijkopleider wijst u aan als praktijkbeoordelaar van een stage." in page
    follow_links(client, page)


def test_a_werkplekbegeleider_on_a_stage_is_not_told_to_wait(client, world):
    client.force_login(world.wpb)
    page = start_page(client)
    assert "De praktijkopleider koppelt u aan een stagiair." not in page
    assert "Observatie vastleggen" in page


def test_a_new_mbo_begeleider_is_told_the_leerbedrijf_links_him(client, db):
    school = OnderwijsinstellingFactory(name="ROC Oost")
    mbo = MembershipFactory(role=Role.MBO_BEGELEIDER, leerbedrijf=None, onderwijsinstelling=school).user
    client.force_login(mbo)
    page = start_page(client)
    assert NO_ROLE not in page
    assert "U bent mbo-begeleider bij ROC Oost" in page
    assert "Het leerbedrijf kiest u bij de intake als mbo-begeleider" in page
    follow_links(client, page)


def test_the_beheerder_gets_his_own_start(client, db):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    page = start_page(client)
    assert NO_ROLE not in page
    assert "Beheer van de portal" in page and "Kwalificaties van SBB" in page
    links = follow_links(client, page)
    assert {reverse("admin:index"), reverse("admin:leerbedrijf_kwalificatie_import")} <= links


def test_someone_without_any_role_is_told_to_use_the_invitation(client, db):
    client.force_login(UserFactory())
    assert NO_ROLE in start_page(client)


@pytest.fixture
def new_stagiair(client, world):
    """A stagiair just through the intake, starting today, who accepted the invitation for the portal."""
    today = timezone.localdate()
    client.force_login(world.opleider)
    response = client.post(
        reverse("leerbedrijf:intake", args=[world.a.pk]),
        intake_data(world, start_date=today.isoformat(), end_date=(today + timedelta(days=140)).isoformat()),
    )
    stage = Stage.objects.get(stagiair__email="ilse@student.nl")
    assert response.url == stage.get_absolute_url()
    link = invite(
        client,
        world.opleider,
        world.a,
        name="Ilse Instroom",
        email="ilse@student.nl",
        role="stagiair",
        stagiair=stage.stagiair.pk,
    )
    page = accept(client, link, "Ilse Instroom")
    stage.stagiair.refresh_from_db()
    return stage, page


def test_a_new_stagiair_is_asked_to_make_the_plan_with_the_praktijkopleider(client, new_stagiair):
    stage, page = new_stagiair
    assert NO_ROLE not in page
    assert "Je hebt nog geen stageplan. Maak het samen met je praktijkopleider." in page
    assert reverse("stageplan:create", args=[stage.pk]) in follow_links(client, page)


def test_a_new_plan_asks_for_the_beginsituatie_and_leerdoelen_before_any_akkoord(client, world, new_stagiair):
    stage, _ = new_stagiair
    client.post(reverse("stageplan:create", args=[stage.pk]), {"interval_weeks": 4, "propose": "on"})
    page = start_page(client)
    assert "Beginsituatie schrijven" in page and "Leerdoel toevoegen" in page
    assert "Afstemmen" not in page and "nog niet door jou afgestemd" not in page
    links = follow_links(client, page)
    assert reverse("stageplan:beginsituatie", args=[stage.pk]) in links
    assert reverse("stageplan:leerdoel_add", args=[stage.pk]) in links

    # Nor can the empty plan be agreed on its versions page.
    versions = client.get(reverse("stageplan:versions", args=[stage.pk])).content.decode()
    assert "Er valt nog niets af te stemmen" in versions and "Versie 1 afstemmen" not in versions
    response = client.post(reverse("stageplan:agree", args=[stage.pk, 1]), follow=True)
    assert "Er valt nog niets af te stemmen" in response.content.decode()
    assert not stage.stageplan.versions.filter(agreed_by_stagiair_at__isnull=False).exists()
    # Nor is the praktijkopleider asked to agree it.
    client.force_login(world.opleider)
    assert reverse("stageplan:versions", args=[stage.pk]) not in start_page(client)
    client.force_login(stage.stagiair.user)

    client.post(
        reverse("stageplan:leerdoel_add", args=[stage.pk]),
        {"based_on": 1, "title": "Een cv-ketel aansluiten", "skill": "hard", "status": "gepland"},
    )
    assert stage.stageplan.leerdoelen.exists()
    page = start_page(client)
    assert "Versie 2 is nog niet door jou afgestemd." in page and "Beginsituatie schrijven" not in page


def test_a_new_stagiair_sees_only_the_next_zelfreflectie(client, new_stagiair):
    stage, _ = new_stagiair
    client.post(reverse("stageplan:create", args=[stage.pk]), {"interval_weeks": 2, "propose": "on"})
    gesprekken = list(Moment.objects.filter(stage=stage, kind=MomentKind.VOORTGANGSGESPREK).order_by("starts_at"))
    assert len(gesprekken) >= 6 and gesprekken[1].starts_at < timezone.now() + timedelta(days=31)

    page = start_page(client)
    assert "Zelfreflectie invullen" in page
    assert reverse("beoordeling:zelfreflectie", args=[gesprekken[0].pk]) in page
    assert all(reverse("beoordeling:zelfreflectie", args=[later.pk]) not in page for later in gesprekken[1:])
    assert reverse("stageplan:timeline", args=[stage.pk]) in follow_links(client, page)


def test_a_new_stagiair_sees_the_gesprekken_of_the_coming_month(client, new_stagiair):
    stage, _ = new_stagiair
    client.post(reverse("stageplan:create", args=[stage.pk]), {"interval_weeks": 4, "propose": "on"})
    page = start_page(client)
    # The startgesprek and the first voortgangsgesprek (four weeks ahead), not the second one two months ahead.
    assert "Startgesprek" in page and page.count("Voortgangsgesprek:") == 1
