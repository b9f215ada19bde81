"""Observaties zonder bereik (issue 16) in the browser, on a phone: the werkplekbegeleider opens the observatie form
with a connection, loses it in the crawl space, records an observatie with a photo, sees that it waits, and it is
sent exactly once when the connection is back; a forced retry makes no second one. One that the server refuses stays
on the phone with the server's message until it is fixed; a logout forgets the kept pages."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from stageplan.models import Observatie
from tests.factories import png_bytes

from .conftest import WIDTHS
from .steps import log_in

WAITING = "1 observatie wacht op verbinding."
SENT = "1 observatie is verstuurd."


@pytest.fixture
def phone(browser, live_server):
    # The service worker must run: Playwright allows it by default, said here because the flow depends on it.
    context = browser.new_context(
        viewport=WIDTHS["phone"],
        locale="nl-NL",
        base_url=live_server.url,
        reduced_motion="reduce",
        service_workers="allow",
    )
    page = context.new_page()
    page.set_default_timeout(30_000)
    page.width_name = "phone"
    yield page
    context.close()


def queued(page):
    return page.evaluate("Wachtrij.all().then((entries) => entries.length)")


def test_an_observatie_recorded_without_signal_is_sent_once_when_the_signal_is_back(phone, world, look):
    page, context = phone, phone.context
    form_url = reverse("stageplan:observatie_add", args=[world.stage.pk])
    before = Observatie.objects.count()
    log_in(page, world.wpb)
    page.goto(form_url)
    # The worker takes the page over, and keeps the form from the next visit on.
    page.wait_for_function("navigator.serviceWorker.controller !== null")
    page.reload()
    page.wait_for_function("caches.open('stagegids-pages').then((c) => c.keys()).then((k) => k.length === 1)")

    context.set_offline(True)
    page.reload()  # in the crawl space: the form opens from the phone
    page.get_by_role("heading", name="Observatie over Sam Stagiair").wait_for()
    page.get_by_label("wat ging goed").check()
    page.get_by_label("Wat zag u?").fill("Legde de leidingen in de kruipruimte netjes af")
    photo = {"name": "kruipruimte.jpg", "mimeType": "image/jpeg", "buffer": png_bytes(exif_gps=True, fmt="JPEG")}
    page.get_by_label("Foto").set_input_files(photo)
    page.get_by_role("button", name="Observatie opslaan").click()
    page.get_by_text(WAITING).wait_for()
    page.get_by_text("Bewaard op dit apparaat").wait_for()
    assert page.get_by_label("Wat zag u?").input_value() == "", "the form is ready for the next one"
    assert Observatie.objects.count() == before
    look(page, "01-wacht-op-verbinding")
    # Kept aside to send it again later, as a phone does that never heard the answer to its first send.
    page.evaluate("Wachtrij.all().then((entries) => { window.copy = entries[0]; })")

    context.set_offline(False)  # back upstairs: the `online` event sends it
    page.get_by_text(SENT).wait_for()
    assert queued(page) == 0
    observatie = Observatie.objects.get(text="Legde de leidingen in de kruipruimte netjes af")
    assert observatie.author == world.wpb and observatie.stage == world.stage and observatie.photo
    assert Observatie.objects.count() == before + 1
    look(page, "02-verstuurd")

    page.evaluate("Wachtrij.put(window.copy).then(() => Wachtrij.sendAll({}))")
    assert queued(page) == 0, "the server answered the retry with the observatie it had"
    assert Observatie.objects.count() == before + 1, "a retry makes no second observatie"

    page.set_viewport_size(WIDTHS["desktop"])
    page.width_name = "desktop"
    context.set_offline(True)
    page.get_by_label("aandachtspunt").check()
    page.get_by_label("Wat zag u?").fill("Vergat de werkplek af te zetten")
    page.get_by_role("button", name="Observatie opslaan").click()
    page.get_by_text(WAITING).wait_for()
    look(page, "03-wacht-op-verbinding")
    context.set_offline(False)
    page.get_by_text(SENT).wait_for()
    assert Observatie.objects.count() == before + 2


def test_a_refused_observatie_stays_on_the_phone_until_it_is_fixed(phone, world, look):
    page, context = phone, phone.context
    form_url = reverse("stageplan:observatie_add", args=[world.stage.pk])
    before = Observatie.objects.count()
    log_in(page, world.wpb)
    page.goto(form_url)
    page.wait_for_function("navigator.serviceWorker.controller !== null")

    context.set_offline(True)
    page.get_by_label("aandachtspunt").check()
    page.get_by_label("Wat zag u?").fill("Liet de ladder staan")
    # The phone's date is ahead of the server's: only the server can say no.
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    page.get_by_label("Datum").fill(tomorrow)
    page.get_by_role("button", name="Observatie opslaan").click()
    page.get_by_text(WAITING).wait_for()
    context.set_offline(False)
    page.get_by_text("1 observatie kon niet worden verstuurd.").wait_for()
    page.get_by_text("kies vandaag of eerder").first.wait_for()
    assert queued(page) == 1 and Observatie.objects.count() == before
    look(page, "01-afgewezen")

    page.get_by_role("link", name="Aanpassen").click()
    # Read back from IndexedDB, so not at once.
    expect(page.get_by_label("Wat zag u?")).to_have_value("Liet de ladder staan")
    page.get_by_label("Datum").fill(timezone.localdate().isoformat())
    page.get_by_role("button", name="Observatie opslaan").click()
    page.get_by_text("De observatie over Sam Stagiair is vastgelegd.").wait_for()
    assert Observatie.objects.filter(text="Liet de ladder staan").count() == 1
    assert queued(page) == 0

    # Logged out, the kept form is gone: the next person on this phone opens the offline page instead.
    page.goto(form_url)
    page.wait_for_function("caches.open('stagegids-pages').then((c) => c.keys()).then((k) => k.length === 1)")
    page.get_by_role("button", name="Menu openen").click()
    page.get_by_role("button", name="Uitloggen").click()
    page.get_by_label("E-mailadres").wait_for()
    assert not page.evaluate("caches.has('stagegids-pages')")
    context.set_offline(True)
    page.goto(form_url)
    page.get_by_role("heading", name="Geen verbinding").wait_for()
    assert page.get_by_text("Sam Stagiair").count() == 0
    context.set_offline(False)


def test_an_observatie_kept_while_the_session_ended_is_sent_after_logging_in(phone, world, look):
    page, context = phone, phone.context
    before = Observatie.objects.count()
    log_in(page, world.wpb)
    page.goto(reverse("stageplan:observatie_add", args=[world.stage.pk]))
    page.wait_for_function("navigator.serviceWorker.controller !== null")
    context.set_offline(True)
    page.get_by_label("wat ging goed").check()
    page.get_by_label("Wat zag u?").fill("Mat de druk af voor het vullen")
    page.get_by_role("button", name="Observatie opslaan").click()
    page.get_by_text(WAITING).wait_for()

    context.clear_cookies()  # the session ended while the phone was in the basement
    context.set_offline(False)
    page.get_by_text("Log in om te versturen.").wait_for()
    page.get_by_text("1 observatie wacht tot u weer inlogt.").wait_for()
    assert queued(page) == 1 and Observatie.objects.count() == before, "kept, not dropped"
    look(page, "01-log-in-om-te-versturen")

    log_in(page, world.wpb)  # the start page sends what waits when it opens
    page.get_by_text(SENT).wait_for()
    assert queued(page) == 0
    assert Observatie.objects.filter(text="Mat de druk af voor het vullen", author=world.wpb).count() == 1
