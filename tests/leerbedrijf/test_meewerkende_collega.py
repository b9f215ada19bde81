"""Meerdere begeleiders (issue 15): a stage has one eerste werkplekbegeleider and meewerkende collega's, each for a
period, who see that stage and its stageplan and record observaties, and nothing else; and an ended stage's
begeleiders keep it only for settings.BEGELEIDER_ACCESS_DAYS_AFTER_END days. Through the pages."""

from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from leerbedrijf.models import CollegaAction, MeewerkendeCollega, Stage
from stagegids.models import Wijziging
from stagegids.roles import Role
from stageplan.models import Moment, MomentKind, Observatie
from tests.confirm import CONFIRMED
from tests.factories import MembershipFactory, MomentFactory, StageFactory, UserFactory
from tests.test_confirm_steps import in_parallel, postgres_only


def today():
    return timezone.localdate()


def add_url(stage):
    return reverse("leerbedrijf:collega_add", args=[stage.pk])


def form(user, *, start, end, kind=Role.WERKPLEKBEGELEIDER):
    return {"user": user.pk, "kind": kind, "start_date": start.isoformat(), "end_date": end.isoformat()}


def colleague(world, name="Nina Nieuw", role=Role.WERKPLEKBEGELEIDER):
    user = UserFactory(name=name)
    MembershipFactory(user=user, role=role, leerbedrijf=world.a)
    return user


def pages(stage):
    return [
        reverse("leerbedrijf:stage", args=[stage.pk]),
        reverse("stageplan:detail", args=[stage.pk]),
        reverse("stageplan:timeline", args=[stage.pk]),
        reverse("stageplan:observatie_add", args=[stage.pk]),
    ]


def sees(client, user, stage):
    client.force_login(user)
    statuses = {client.get(url).status_code for url in pages(stage)}
    assert len(statuses) == 1, statuses
    return statuses == {200}


# --- adding and ending, by the praktijkopleider ------------------------------------------------------------------


def test_the_praktijkopleider_adds_a_collega_once_and_it_is_logged(client, world):
    nina = colleague(world)
    client.force_login(world.opleider)
    page = client.get(add_url(world.stage)).text
    assert "Nina Nieuw" in page and world.wpb.name not in page.split('name="user"')[1].split("</select>")[0]
    data = form(nina, start=today(), end=today() + timedelta(days=20))
    response = client.post(add_url(world.stage), data, follow=True)
    assert "Nina Nieuw werkt mee bij de stage van Sam Stagiair." in response.text
    assert "werkt nu mee" in response.text
    collega = MeewerkendeCollega.objects.get(stage=world.stage, user=nina)
    entry = Wijziging.objects.for_object(collega).get()
    assert entry.action == CollegaAction.ADDED and entry.user == world.opleider and entry.stage_id == world.stage.pk
    assert "Nina Nieuw" in entry.label and "werkplekbegeleider" in entry.label
    # The second click finds the period taken and adds nothing.
    again = client.post(add_url(world.stage), data, follow=True)
    assert "werkt in (een deel van) deze periode al mee" in again.text
    assert MeewerkendeCollega.objects.filter(stage=world.stage, user=nina).count() == 1


@pytest.mark.parametrize(
    ("start", "end", "error"),
    [
        (-400, 10, "Kies een periode binnen de stage"),
        (0, 400, "Kies een periode binnen de stage"),
        (5, 2, "De periode eindigt niet vóór hij begint."),
        (-20, -1, "Deze periode is al voorbij."),
        (0, 36500, "Vul een datum tussen"),
    ],
)
def test_a_period_outside_the_stage_is_refused_in_dutch(client, world, start, end, error):
    client.force_login(world.opleider)
    data = form(colleague(world), start=today() + timedelta(days=start), end=today() + timedelta(days=end))
    response = client.post(add_url(world.stage), data)
    assert response.status_code == 200 and error in response.text
    assert not MeewerkendeCollega.objects.filter(stage=world.stage).exclude(user=world.collega).exists()


def test_only_a_colleague_of_the_company_can_be_added(client, world):
    client.force_login(world.opleider)
    for outsider in [world.opleider_b, world.mbo, world.stagiair]:
        data = form(outsider, start=today(), end=today() + timedelta(days=3))
        response = client.post(add_url(world.stage), data)
        assert response.status_code == 200 and "Selecteer een geldige keuze" in response.text, outsider.email
    assert MeewerkendeCollega.objects.filter(stage=world.stage).count() == 1


def test_ending_a_collega_takes_the_stage_away_and_a_second_click_changes_nothing(client, world):
    url = reverse("leerbedrijf:collega_end", args=[world.stage.pk, world.meewerkende_collega.pk])
    client.force_login(world.opleider)
    confirm = client.get(url)
    assert "Mo Monteur niet meer laten meewerken bij Sam Stagiair?" in confirm.text
    response = client.post(url, CONFIRMED, follow=True)
    assert "Mo Monteur werkt niet meer mee bij deze stage." in response.text
    assert "beëindigd op" in response.text
    again = client.post(url, CONFIRMED, follow=True)
    assert "Mo Monteur werkt al niet meer mee; er is niets gewijzigd." in again.text
    collega = MeewerkendeCollega.objects.get(pk=world.meewerkende_collega.pk)
    assert Wijziging.objects.for_object(collega).filter(action=CollegaAction.ENDED).count() == 1
    assert not sees(Client(), world.collega, world.stage)


def test_the_collegas_are_on_the_stage_page_for_everyone_who_sees_it(client, world):
    for persona in ["opleider", "wpb", "stagiair", "mbo", "collega"]:
        client.force_login(getattr(world, persona))
        page = client.get(reverse("leerbedrijf:stage", args=[world.stage.pk])).text
        assert 'id="collegas-titel"' in page and "Mo Monteur" in page, persona
        assert ("Collega toevoegen" in page) == (persona == "opleider"), persona


def test_a_zij_instromer_suggests_an_informele_begeleider(client, world):
    Stage.objects.filter(pk=world.stage.pk).update(herkomst="zij_instromer")
    client.force_login(world.opleider)
    stage_url = reverse("leerbedrijf:stage", args=[world.stage.pk])
    page = client.get(stage_url).text
    assert "Sam Stagiair is zij-instromer" in page
    link = f"{add_url(world.stage)}?als=informele_begeleider"
    assert link in page
    assert 'value="informele_begeleider" selected' in client.get(link).text
    kees = colleague(world, "Kees Mulder", Role.INFORMELE_BEGELEIDER)
    data = form(kees, start=today(), end=world.stage.end_date, kind=Role.INFORMELE_BEGELEIDER)
    client.post(add_url(world.stage), data)
    assert "zij-instromer" not in client.get(stage_url).text.split("collegas-titel")[1]
    # A hint, nothing automatic; and only for the praktijkopleider.
    client.force_login(world.wpb)
    assert "Informele begeleider toevoegen" not in client.get(stage_url).text


# --- what a meewerkende collega sees ------------------------------------------------------------------------------


def test_a_collega_sees_exactly_that_stage_within_the_period(client, world):
    assert sees(client, world.collega, world.stage)
    assert not sees(client, world.collega, world.stage_b)
    other = StageFactory(leerbedrijf=world.a, werkplekbegeleider=world.wpb, onderwijsinstelling=world.school)
    assert not sees(client, world.collega, other)
    MeewerkendeCollega.objects.filter(pk=world.meewerkende_collega.pk).update(start_date=today() + timedelta(days=1))
    assert not sees(client, world.collega, world.stage), "before the period"
    MeewerkendeCollega.objects.filter(pk=world.meewerkende_collega.pk).update(
        start_date=today() - timedelta(days=10), end_date=today()
    )
    assert sees(client, world.collega, world.stage), "the last day"
    MeewerkendeCollega.objects.filter(pk=world.meewerkende_collega.pk).update(end_date=today() - timedelta(days=1))
    assert not sees(client, world.collega, world.stage), "after the period"


def test_a_collega_whose_role_in_the_company_ended_sees_nothing(client, world):
    assert sees(client, world.collega, world.stage)
    world.collega.memberships.get().end(by=world.opleider)
    assert not sees(client, world.collega, world.stage)


def test_a_collega_sees_the_plan_not_the_gesprekken_beoordelingen_onboarding_or_stagemap(client, world):
    client.force_login(world.collega)
    stage_page = client.get(reverse("leerbedrijf:stage", args=[world.stage.pk])).text
    nav = stage_page[stage_page.index('aria-label="Onderdelen van de stage"') :].split("</nav>")[0]
    for shown in ["Overzicht", "Stageplan", "Planning", "Observaties"]:
        assert shown in nav, shown
    for hidden in ["Gesprekken", "Beoordelingen", "Onboarding", "Stagemap"]:
        assert hidden not in nav, hidden
    assert "Stagevergoeding" not in stage_page
    assert client.get(reverse("beoordeling:gesprek", args=[world.moment.pk])).status_code == 404
    assert client.get(reverse("beoordeling:detail", args=[world.beoordeling.pk])).status_code == 404
    assert client.get(reverse("stagemap:stagemap", args=[world.stage.pk])).status_code == 403


def test_a_collega_logs_an_observatie(client, world):
    client.force_login(world.collega)
    start = client.get(reverse("stageplan:observatie_start"), follow=True)
    assert start.redirect_chain[-1][0] == reverse("stageplan:observatie_add", args=[world.stage.pk])
    response = client.post(
        reverse("stageplan:observatie_add", args=[world.stage.pk]),
        {
            "date": today().isoformat(),
            "text": "Legde zelf de leiding aan",
            "kind": "goed",
            "leerdoel": world.leerdoel.pk,
        },
        follow=True,
    )
    assert "De observatie over Sam Stagiair is vastgelegd." in response.text
    observatie = Observatie.objects.get(author=world.collega)
    assert observatie.stage == world.stage
    # The eerste werkplekbegeleider and the stagiair read it with the others.
    for reader in [world.wpb, world.stagiair]:
        client.force_login(reader)
        page = client.get(reverse("stageplan:observaties") + f"?stage={world.stage.pk}").text
        assert "Legde zelf de leiding aan" in page


def test_the_start_page_of_a_collega_shows_his_stages(client, world):
    client.force_login(world.collega)
    page = client.get(reverse("start")).text
    assert "1 stage die u volgt" in page
    page += client.get(reverse("start_panel", args=["stages"])).text  # the folded panel, opened
    assert "Sam Stagiair" in page and world.stage.get_absolute_url() in page
    until = (today() + timedelta(days=14)).strftime("%-d")
    assert "u werkt mee tot en met" in page and until in page
    assert reverse("stageplan:observatie_start") in page
    assert "De praktijkopleider koppelt u aan een stagiair" not in page  # not told to wait for a stage


def test_the_start_page_keeps_its_queries_as_collega_stages_grow(client, world, django_assert_num_queries):
    def add_stages(n):
        for _n in range(n):
            stage = StageFactory(leerbedrijf=world.a, werkplekbegeleider=world.wpb, onderwijsinstelling=world.school)
            MeewerkendeCollega.add(
                stage=stage,
                user=world.collega,
                kind=Role.WERKPLEKBEGELEIDER,
                start_date=today(),
                end_date=stage.end_date,
                by=world.opleider,
            )

    client.force_login(world.collega)
    panel = reverse("start_panel", args=["stages"])
    client.get(reverse("start"))
    with CaptureQueriesContext(connection) as small:
        client.get(reverse("start"))
    with CaptureQueriesContext(connection) as small_panel:
        client.get(panel)
    add_stages(4)
    with django_assert_num_queries(len(small.captured_queries)):
        assert "5 stages die u volgt" in client.get(reverse("start")).text
    with django_assert_num_queries(len(small_panel.captured_queries)):
        page = client.get(panel).text
    assert page.count("u werkt mee tot en met") == 5


def test_the_stage_page_keeps_its_queries_as_collegas_grow(client, world, django_assert_num_queries):
    url = reverse("leerbedrijf:stage", args=[world.stage.pk])
    client.force_login(world.opleider)
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    for n in range(4):
        MeewerkendeCollega.add(
            stage=world.stage,
            user=colleague(world, f"Collega {n}"),
            kind=Role.HYBRIDE_TECHNIEKOPLEIDER,
            start_date=today(),
            end_date=world.stage.end_date,
            by=world.opleider,
        )
    with django_assert_num_queries(len(small.captured_queries)):
        page = client.get(url).text
    assert page.count("hybride techniekopleider") == 4


# --- reminders ----------------------------------------------------------------------------------------------------


def test_moment_reminders_go_to_the_eerste_werkplekbegeleider_not_to_collegas(reminders, scan):
    """A collega holds no gesprekken and plans no moments: the gesprek reminders and calendar invitations (and the
    proposals of the stagiair) stay with the eerste werkplekbegeleider and the praktijkopleider."""
    world = reminders
    MomentFactory(stage=world.stage, kind=MomentKind.VOORTGANGSGESPREK, starts_at=timezone.now() + timedelta(days=1))
    scan()
    recipients = {address for message in mail.outbox for address in message.to}
    assert world.wpb.email in recipients
    assert world.collega.email not in recipients
    assert Moment.objects.filter(stage=world.stage).exists()


# --- an ended stage -----------------------------------------------------------------------------------------------


def test_an_ended_stage_is_its_begeleiders_until_the_setting_then_only_the_praktijkopleider(client, world, settings):
    settings.BEGELEIDER_ACCESS_DAYS_AFTER_END = 90
    stage_url = reverse("leerbedrijf:stage", args=[world.stage.pk])
    MeewerkendeCollega.objects.filter(pk=world.meewerkende_collega.pk).update(end_date=world.stage.end_date)

    def ended(days_ago):
        end = today() - timedelta(days=days_ago)
        Stage.objects.filter(pk=world.stage.pk).update(start_date=end - timedelta(days=100), end_date=end)

    def status(user):
        client.force_login(user)
        return client.get(stage_url).status_code

    ended(90)
    assert [status(world.wpb), status(world.opleider)] == [200, 200]
    ended(91)
    assert [status(world.wpb), status(world.opleider), status(world.stagiair)] == [404, 200, 200]
    assert status(world.mbo) == 200 and status(world.beoordelaar) == 200
    # A collega whose period ran to the (moved) end: the same last day.
    MeewerkendeCollega.objects.filter(pk=world.meewerkende_collega.pk).update(
        start_date=today() - timedelta(days=5), end_date=today() + timedelta(days=5)
    )
    ended(90)
    assert status(world.collega) == 200
    ended(91)
    assert status(world.collega) == 404


# --- at the same moment ---------------------------------------------------------------------------------------------


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_parallel_adds_make_one_collega(world):
    nina = colleague(world)
    data = form(nina, start=today(), end=today() + timedelta(days=7))
    responses = in_parallel(*[(world.opleider, add_url(world.stage), data)] * 4)
    assert MeewerkendeCollega.objects.filter(stage=world.stage, user=nina).count() == 1
    said = [response.text for response in responses]
    assert sum("Nina Nieuw werkt mee bij de stage van Sam Stagiair." in text for text in said) == 1


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_parallel_ends_end_once(world):
    url = reverse("leerbedrijf:collega_end", args=[world.stage.pk, world.meewerkende_collega.pk])
    responses = in_parallel(*[(world.opleider, url, CONFIRMED)] * 4)
    collega = MeewerkendeCollega.objects.get(pk=world.meewerkende_collega.pk)
    assert Wijziging.objects.for_object(collega).filter(action=CollegaAction.ENDED).count() == 1
    said = [response.text for response in responses]
    assert sum("Mo Monteur werkt niet meer mee bij deze stage." in text for text in said) == 1
    assert sum("werkt al niet meer mee; er is niets gewijzigd" in text for text in said) == 3


def test_the_beheerder_reads_the_collegas_in_the_admin(client, world):
    client.force_login(world.staff)
    page = client.get(reverse("admin:leerbedrijf_stage_change", args=[world.stage.pk])).text
    assert "Mo Monteur" in page


def test_a_collega_in_another_role_in_the_company_records_observaties_while_he_works_there(client, world):
    """The button and the start of an observatie follow the collega role itself, not only the begeleider roles."""
    bert = colleague(world, "Bert Beoordelaar", Role.PRAKTIJKBEOORDELAAR)
    MeewerkendeCollega.add(
        stage=world.stage,
        user=bert,
        kind=Role.HYBRIDE_TECHNIEKOPLEIDER,
        start_date=today(),
        end_date=today(),
        by=world.opleider,
    )
    client.force_login(bert)
    assert reverse("stageplan:observatie_start") in client.get(reverse("start")).text
    start = client.get(reverse("stageplan:observatie_start"))
    assert start.url == reverse("stageplan:observatie_add", args=[world.stage.pk])
    bert.memberships.get().end(by=world.opleider)
    assert client.get(reverse("stageplan:observatie_start")).status_code == 403
    assert client.get(reverse("stageplan:observaties")).status_code == 403
