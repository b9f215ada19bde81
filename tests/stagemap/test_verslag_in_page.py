"""The school's review in place (issue 16): the mbo-begeleider reads a shared verslag in the page, sees which ones
wait for his oordeel, and gets an e-mail when one is shared."""

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape

from stagegids.models import Reminder
from stagemap.models import Verslag
from stagemap.verslagen import make_missing_verslagen
from tests.factories import StageFactory, VerslagFactory

from .test_verslag_kinds import shows_what_its_pdf_shows, stageplan_agreed


def share(client, world, verslag):
    client.force_login(world.opleider)
    response = client.post(reverse("stagemap:verslag_share", args=[verslag.pk]), {"share": "1"}, follow=True)
    assert f"Het verslag is gedeeld met {escape(world.mbo.name)}." in response.text


def test_the_school_reads_a_shared_verslag_in_the_page_as_its_pdf_and_gives_its_oordeel(client, world):
    stageplan_agreed(world)
    (verslag,) = make_missing_verslagen(world.stage, by=world.opleider)
    page_url = reverse("stagemap:verslag", args=[verslag.pk])
    client.force_login(world.mbo)
    assert client.get(page_url).status_code == 404, "not shared yet"
    share(client, world, verslag)

    client.force_login(world.mbo)
    start = client.get(reverse("start")).text
    assert page_url in start and "wacht op uw oordeel" in start
    page = client.get(page_url).text
    assert reverse("stagemap:verslag_download", args=[verslag.pk]) in page and "Oordeel opslaan" in page
    shown = shows_what_its_pdf_shows(client, verslag)
    assert "Leidingen aanleggen" in shown and world.stagiair.name in shown and world.opleider.name in shown

    response = client.post(
        reverse("stagemap:verslag_review", args=[verslag.pk]), {"review": "akkoord", "terug": "verslag"}, follow=True
    )
    assert response.redirect_chain[-1][0] == page_url
    assert "Uw oordeel is opgeslagen." in response.text and "Oordeel opslaan" not in response.text
    assert page_url not in client.get(reverse("start")).text, "nothing waits any more"


def test_a_verslag_whose_document_changed_since_is_read_in_its_pdf(client, world):
    """world.verslag is not of a document in the portal (tests/factories.py): only its pdf shows it."""
    world.verslag.share(by=world.opleider)
    client.force_login(world.mbo)
    page = client.get(reverse("stagemap:verslag", args=[world.verslag.pk])).text
    assert "De pdf toont het verslag zoals het is vastgelegd." in page and "verslag-weergave" not in page
    assert "Oordeel opslaan" in page


def test_what_waits_for_the_school_on_its_start_page_in_constant_queries(client, world):
    def start_page_with(count):
        for _ in range(count):
            stage = StageFactory(
                leerbedrijf=world.a, onderwijsinstelling=world.stage.onderwijsinstelling, mbo_begeleider=world.mbo
            )
            VerslagFactory(stage=stage, created_by=world.opleider).share(by=world.opleider)
        client.force_login(world.mbo)
        with CaptureQueriesContext(connection) as queries:
            page = client.get(reverse("start")).text
        return len(queries), page

    world.verslag.share(by=world.opleider)
    small, page = start_page_with(1)
    assert page.count("wacht op uw oordeel sinds") == 2
    large, page = start_page_with(4)
    assert page.count("wacht op uw oordeel sinds") == 6
    assert small == large


def test_a_share_mails_the_mbo_begeleider_once_and_a_share_after_unsharing_again(client, reminders, scan):
    w = reminders
    share(client, w, w.verslag)
    scan()
    scan()
    [message] = mail.outbox
    assert message.to == [w.mbo.email]
    assert message.subject == f"{w.a.name} deelde een verslag van {w.stagiair.name} met u"
    assert f"https://stagegids.example.nl/verslagen/{w.verslag.pk}/" in message.body
    assert Reminder.objects.get().kind == "verslag_gedeeld"

    again = client.post(reverse("stagemap:verslag_share", args=[w.verslag.pk]), {"share": "1"}, follow=True)
    assert "er is niets gewijzigd" in again.text
    scan()
    assert len(mail.outbox) == 1
    client.post(reverse("stagemap:verslag_share", args=[w.verslag.pk]), {"share": "0"})
    share(client, w, w.verslag)
    scan()
    assert len(mail.outbox) == 2


def test_a_share_judged_before_the_scan_mails_nothing(client, reminders, scan):
    w = reminders
    share(client, w, w.verslag)
    client.force_login(w.mbo)
    client.post(reverse("stagemap:verslag_review", args=[w.verslag.pk]), {"review": "akkoord"})
    scan()
    assert mail.outbox == []


@pytest.mark.parametrize(("persona", "offered"), [("mbo", True), ("stagiair", False), ("opleider", False)])
def test_the_notice_of_a_share_is_in_the_preferences_of_the_school(client, world, persona, offered):
    client.force_login(getattr(world, persona))
    page = client.get(reverse("reminder_preferences")).text
    assert ("Een verslag is met u gedeeld" in page) == offered


def test_the_mbo_begeleider_can_switch_the_notice_off(client, reminders, scan):
    w = reminders
    client.force_login(w.mbo)
    page = client.get(reverse("reminder_preferences")).text
    assert 'name="verslag_gedeeld"' in page
    client.post(
        reverse("reminder_preferences"), {"gesprek": "direct", "verslag_gedeeld": "uit", "verslag_oordeel": "direct"}
    )
    share(client, w, w.verslag)
    scan()
    assert mail.outbox == []
    assert Verslag.objects.get(pk=w.verslag.pk).is_shared
