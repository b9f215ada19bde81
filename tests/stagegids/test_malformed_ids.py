"""An id in a query string or a form field that is no id is a 404 or a Dutch form message, never a 500.

'²' passes str.isdigit() but not int(); 30 nines fit no database key; '-1', 'abc' and '' are what a hand-edited link
or a stale form sends.
"""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from beoordeling.beoordelingen.models import Beoordeling, BeoordelingKind
from stagegids.params import parse_id
from stageplan.models import Leerdoel, Moment

MALFORMED = ["²", "-1", "9" * 30, "abc", ""]

# A link with a malformed id leads nowhere (404); an empty one is as if the parameter were absent.
LINKS = {
    "observaties ?stage": lambda w: (reverse("stageplan:observaties"), "stage"),
    "intake ?kandidaat": lambda w: (reverse("leerbedrijf:intake", args=[w.a.pk]), "kandidaat"),
    "intake ?onderwijsinstelling": lambda w: (reverse("leerbedrijf:intake", args=[w.a.pk]), "onderwijsinstelling"),
    "stage ?onderwijsinstelling": lambda w: (
        reverse("leerbedrijf:stage_edit", args=[w.stage.pk]),
        "onderwijsinstelling",
    ),
    "versies ?van": lambda w: (reverse("stageplan:diff", args=[w.stage.pk]), "van"),
    "versies ?naar": lambda w: (reverse("stageplan:diff", args=[w.stage.pk]), "naar"),
    "leerdoel ?werkproces": lambda w: (reverse("stageplan:leerdoel_add", args=[w.stage.pk]), "werkproces"),
}


@pytest.mark.parametrize("value", MALFORMED)
@pytest.mark.parametrize("link", LINKS)
def test_a_link_with_a_malformed_id_is_a_404(client, world, link, value):
    client.force_login(world.opleider)
    url, name = LINKS[link](world)
    response = client.get(url, {name: value})
    assert response.status_code == (200 if value == "" else 404)


@pytest.mark.parametrize("value", MALFORMED)
@pytest.mark.parametrize("url", ["intake", "stage_edit"])
def test_a_malformed_school_on_the_stage_form_is_a_form_error(client, world, url, value):
    client.force_login(world.opleider)
    pk = world.a.pk if url == "intake" else world.stage.pk
    response = client.post(reverse(f"leerbedrijf:{url}", args=[pk]), {"onderwijsinstelling": value})
    assert response.status_code == 200
    assert response.context["form"].errors


def messages_of(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


@pytest.mark.parametrize("value", MALFORMED)
def test_a_malformed_version_on_delete_changes_nothing(client, world, value):
    client.force_login(world.opleider)
    url = reverse("stageplan:leerdoel_delete", args=[world.stage.pk, world.leerdoel.pk])
    response = client.post(url, {"based_on": value})
    assert response.status_code == 302
    assert "Het stageplan is intussen gewijzigd" in messages_of(response)[0]
    assert Leerdoel.objects.filter(pk=world.leerdoel.pk).exists()


@pytest.mark.parametrize("value", MALFORMED)
def test_a_malformed_version_on_cancel_changes_nothing(client, world, value):
    client.force_login(world.opleider)
    url = reverse("stageplan:moment_cancel", args=[world.stage.pk, world.moment.pk])
    response = client.post(url, {"based_on": value, "reason": "Ziek"})
    # The confirmation is asked again, based on the current version.
    assert response.status_code == 200 and "Ja, annuleren" in response.text
    assert "Het stageplan is intussen gewijzigd" in messages_of(response)[0]
    assert Moment.objects.planned().filter(pk=world.moment.pk).exists()


@pytest.mark.parametrize("value", [v for v in MALFORMED if v])
def test_a_malformed_moment_on_starting_a_beoordeling_starts_nothing(client, world, value):
    client.force_login(world.opleider)
    before = Beoordeling.objects.count()
    response = client.post(
        reverse("beoordeling:start", args=[world.stage.pk]), {"kind": BeoordelingKind.BPV, "moment": value}
    )
    assert response.status_code == 302
    assert messages_of(response) == ["Dit geplande moment bestaat niet (meer)."]
    assert Beoordeling.objects.count() == before


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("12", 12),
        (12, 12),
        ("²", None),
        ("١٢", None),  # Arabic-Indic digits: int() reads them, no link of the portal writes them
        ("-1", None),
        ("0", None),
        (" 12", None),
        ("9" * 30, None),
        (str(2**63), None),
        (str(2**63 - 1), 2**63 - 1),
        ("", None),
        (None, None),
        (True, None),
    ],
)
def test_parse_id(value, expected):
    assert parse_id(value) == expected
