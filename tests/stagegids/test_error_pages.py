"""Every error page is Dutch and in the portal's layout, with debug off as in production.

The 500 page is rendered without the request's context, and without the database: a 500 is often the database's.
"""

import pytest
from django.db import OperationalError, connection
from django.test import Client
from django.urls import reverse

# What Django's built-in error pages say when the portal has none of its own.
ENGLISH = ["Not Found", "Forbidden", "Server Error", "Bad Request", "CSRF verification", "requested resource"]


@pytest.fixture(autouse=True)
def _debug_off(settings):
    settings.DEBUG = False


def assert_portal_page(response, status, heading):
    assert response.status_code == status
    html = response.content.decode()
    assert '<html lang="nl">' in html
    assert "Naar de inhoud" in html and "Gebaseerd op de Stagegids mbo van Wij Techniek." in html, "the layout"
    assert heading in html
    assert reverse("start") in html, "a way back"
    for english in ENGLISH:
        assert english not in html


def test_404(client, world):
    client.force_login(world.opleider)
    response = client.get(reverse("leerbedrijf:stage", args=[world.stage_b.pk]))
    assert_portal_page(response, 404, "Pagina niet gevonden")
    assert "No Stage matches" not in response.content.decode(), "Django's English reason stays out of the page"
    assert world.opleider.name in response.content.decode(), "the menu of who is logged in"


def test_404_for_an_unknown_address(client, db):
    assert_portal_page(client.get("/bestaat-niet/"), 404, "Pagina niet gevonden")


def test_403(client, world):
    client.force_login(world.wpb)
    response = client.get(reverse("leerbedrijf:intake", args=[world.a.pk]))
    assert_portal_page(response, 403, "Geen toegang")


def test_400(client, db):
    assert_portal_page(client.get("/", HTTP_HOST="elders.example"), 400, "Dit verzoek klopt niet")


def test_more_than_the_portal_takes_says_so_and_changes_nothing(client, world, settings):
    """A paste of megabytes into a field without a browser's maxlength: Django refuses it before any form sees it.
    The page says why, and that the Back button usually still holds what was typed."""
    client.force_login(world.stagiair)
    url = reverse("stageplan:leerdoel_add", args=[world.stage.pk])
    before = world.stage.stageplan.leerdoelen.count()
    response = client.post(url, {"title": "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)})
    assert_portal_page(response, 400, "Te veel om in één keer te versturen")
    assert "groter dan de Stagegids in één keer aanneemt (2,5\xa0MB tekst). Er is niets opgeslagen." in response.text
    assert "knop Terug" in response.text
    assert world.stage.stageplan.leerdoelen.count() == before
    fields = {f"veld{number}": "x" for number in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1)}
    assert_portal_page(client.post(url, fields), 400, "Te veel om in één keer te versturen")


def test_csrf_failure(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.opleider)
    response = client.post(reverse("logout"))
    assert_portal_page(response, 403, "Het formulier is niet verstuurd")


def test_500_when_the_database_is_down(world):
    client = Client(raise_request_exception=False)
    client.force_login(world.opleider)

    def down(execute, sql, params, many, context):
        raise OperationalError("server closed the connection unexpectedly")

    # Every query fails, those of the 500 page too if it made any: then this request would raise instead.
    with connection.execute_wrapper(down):
        response = client.get(reverse("start"))
    assert_portal_page(response, 500, "Er ging iets mis")
    assert world.opleider.name not in response.content.decode(), "no request context, so no menu"


# --- an error answer to an htmx request (issue 13) -----------------------------------------------------------------

HTMX = {"HTTP_HX_REQUEST": "true"}


def assert_shown_in_the_message_area(response, status, heading):
    """htmx swaps the error page's message into the page's message area (base.html's config lets it swap a 4xx or
    5xx answer), never into the element that asked."""
    assert response.status_code == status
    assert (response["HX-Retarget"], response["HX-Reswap"], response["HX-Reselect"]) == (
        "#htmx-fout",
        "innerHTML show:top",
        "#foutmelding",
    )
    html = response.content.decode()
    message = html[html.index('<div id="foutmelding">') :]
    assert heading in message[: message.index("</div>")]


def test_the_page_lets_htmx_swap_an_error_answer_into_its_message_area(client, world):
    client.force_login(world.opleider)
    html = client.get(reverse("start")).content.decode()
    assert '<div id="htmx-fout" class="alert alert-danger htmx-fout" role="alert"></div>' in html
    assert '{"code": "[45]..", "swap": true, "error": true, "ignoreTitle": true}' in html


def test_htmx_404_and_403_show_their_dutch_message(client, world):
    client.force_login(world.opleider_b)
    tick = reverse("leerbedrijf:onboarding_tick", args=[world.stage.pk, world.onboarding_item.pk])
    assert_shown_in_the_message_area(client.post(tick, **HTMX), 404, "Pagina niet gevonden")
    client.force_login(world.wpb)
    intake = reverse("leerbedrijf:intake", args=[world.a.pk])
    assert_shown_in_the_message_area(client.get(intake, **HTMX), 403, "Geen toegang")
    plain = client.get(intake)
    assert plain.status_code == 403 and "HX-Retarget" not in plain, "a page without htmx is the whole error page"


def test_htmx_csrf_failure_400_and_500_show_their_dutch_message(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.opleider)
    tick = reverse("leerbedrijf:onboarding_tick", args=[world.stage.pk, world.onboarding_item.pk])
    assert_shown_in_the_message_area(client.post(tick, **HTMX), 403, "Het formulier is niet verstuurd")
    assert_shown_in_the_message_area(client.get("/", HTTP_HOST="elders.example", **HTMX), 400, "Dit verzoek klopt niet")

    client = Client(raise_request_exception=False)
    client.force_login(world.opleider)

    def down(execute, sql, params, many, context):
        raise OperationalError("server closed the connection unexpectedly")

    with connection.execute_wrapper(down):
        response = client.post(tick, **HTMX)
    assert_shown_in_the_message_area(response, 500, "Er ging iets mis")
