"""A GET changes nothing: every page of the authorization matrix, opened by every persona it lets in, writes no row.

Opening a page twice, a crawler, a prefetching browser or a back button must not create a gesprek, an evaluatie
or a sjabloon; the row comes with the first POST that has something to save.
"""

import re

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from beoordeling.beoordelingen.models import Formuliersjabloon
from beoordeling.evaluatie.models import Evaluatie
from beoordeling.gesprekken.models import Voortgangsgesprek
from stageplan.agenda import feed_token
from stageplan.models import CalendarFeed
from tests.test_authorization import RULES

WRITE = re.compile(r'^\s*(INSERT INTO|UPDATE|DELETE FROM)\s+"?(\w+)"?', re.IGNORECASE)
# SessionRenewalMiddleware stamps the session once a minute: plumbing, not a change to the data.
# The log of who opened a verslag, photo or document (issue 17) is a record of the read itself, not a change to
# the data: leerbedrijf.log_view writes it from the views that serve them.
PLUMBING = {"django_session", "leerbedrijf_raadpleging"}


def writes(queries):
    found = (WRITE.match(query["sql"]) for query in queries)
    return [f"{match[1].upper()} {match[2]}" for match in found if match and match[2] not in PLUMBING]


def before_first_use(world):
    """The world before anyone saved its gesprek, its evaluatie or a sjabloon: the rows a page used to make."""
    Voortgangsgesprek.objects.filter(moment=world.moment).delete()
    Evaluatie.objects.all().delete()
    Formuliersjabloon.objects.all().delete()


@pytest.mark.parametrize("fresh", [False, True], ids=["as-built", "before-first-use"])
def test_no_get_writes_a_row(client, world, fresh):
    if fresh:
        before_first_use(world)
    wrong = []
    for name, rule in RULES.items():
        if rule.post_only:
            continue
        url = reverse(name, kwargs=rule.kwargs(world))
        # Who is let in, and who gets as far as the permission check (403); for everyone else the page is a 404
        # before any view code runs.
        for persona in sorted(rule.ok | rule.forbidden):
            client.force_login(getattr(world, persona))
            with transaction.atomic(), CaptureQueriesContext(connection) as queries:
                response = client.get(url)
                transaction.set_rollback(True)
            if found := writes(queries.captured_queries):
                wrong.append(f"{persona} GET {url} ({response.status_code}): {', '.join(found)}")
    assert wrong == [], "\n".join(wrong)


def test_the_pages_of_a_link_from_a_mail_write_nothing_when_opened(client, world):
    """Mail scanners and link previews open these links before the person does; a calendar polls its feed."""
    feed, _made = CalendarFeed.start(world.opleider)
    urls = [
        reverse("stageplan:agenda_feed", args=[feed_token(feed)]),
        reverse("leerbedrijf:accept", args=[world.invitation_token]),
        reverse("beoordeling:collega_antwoord", args=[world.collega_token]),
        reverse("login"),
        reverse("password_reset"),
    ]
    for url in urls:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200, url
        assert writes(queries.captured_queries) == [], url


def test_the_pages_that_used_to_create_rows_on_get_create_them_on_the_first_post(client, world):
    """The gesprek, the evaluatie and the sjabloon are shown from unsaved defaults, then saved by the first POST."""
    moment, stage = world.moment, world.stage
    before_first_use(world)
    pages = [
        ("opleider", reverse("beoordeling:gesprek", args=[moment.pk])),
        ("stagiair", reverse("beoordeling:zelfreflectie", args=[moment.pk])),
        ("wpb", reverse("beoordeling:gesprek_notes", args=[moment.pk])),
        ("wpb", reverse("beoordeling:afspraak_add", args=[moment.pk])),
        ("stagiair", reverse("beoordeling:evaluatie", args=[stage.pk])),
        ("stagiair", reverse("beoordeling:evaluatie_fill", args=[stage.pk])),
        ("opleider", reverse("beoordeling:evaluatie_afronding", args=[stage.pk])),
        ("opleider", reverse("beoordeling:sjabloon", args=[stage.pk, "tussenbeoordeling"])),
    ]
    for persona, url in pages:
        client.force_login(getattr(world, persona))
        assert client.get(url).status_code == 200, url
    assert (Voortgangsgesprek.objects.count(), Evaluatie.objects.count(), Formuliersjabloon.objects.count()) == (
        0,
        0,
        0,
    )

    client.force_login(world.wpb)
    response = client.post(
        reverse("beoordeling:gesprek_notes", args=[moment.pk]), {"version": 1, "notes_goed": "Goed gesprek"}
    )
    assert response.status_code == 302
    assert Voortgangsgesprek.objects.get(moment=moment).notes_goed == "Goed gesprek"

    client.force_login(world.opleider)
    response = client.post(
        reverse("beoordeling:evaluatie_afronding", args=[stage.pk]), {"version": 1, "lessen": "Eerder uitleg"}
    )
    assert response.status_code == 302
    assert Evaluatie.objects.get(stage=stage).lessen == "Eerder uitleg"


def post_back(formset, *, change=None, delete=()):
    """The form as the browser posts it: every row as shown, `change` applied to each text, `delete` ticked."""
    data = {f"criteria-{key}": value for key, value in formset.management_form.initial.items()}
    for n, row in enumerate(formset):
        for name in ("id", "werkproces", "text", "order"):
            value = row[name].value()
            data[f"criteria-{n}-{name}"] = "" if value is None else value
        if row["critical"].value():
            data[f"criteria-{n}-critical"] = "on"
        if change and row["text"].value():
            data[f"criteria-{n}-text"] = change(row["text"].value())
        if n in delete:
            data[f"criteria-{n}-DELETE"] = "on"
    return data


@pytest.mark.parametrize("with_default", [True, False], ids=["from-the-default", "no-default-yet"])
def test_the_first_save_of_the_sjabloon_makes_the_own_copy_of_what_was_shown(client, world, with_default):
    if not with_default:
        Formuliersjabloon.objects.all().delete()
    client.force_login(world.opleider)
    url = reverse("beoordeling:sjabloon", args=[world.stage.pk, "tussenbeoordeling"])
    shown = client.get(url).context["formset"]
    texts = [row["text"].value() for row in shown if row["text"].value()]
    assert texts and not Formuliersjabloon.objects.filter(leerbedrijf=world.a).exists()

    response = client.post(url, {"scale": "novg", **post_back(shown, delete={0})})
    assert response.status_code == 302
    own = Formuliersjabloon.objects.get(leerbedrijf=world.a)
    assert own.scale == "novg"
    assert list(own.criteria.values_list("text", flat=True)) == texts[1:]

    # The second save edits the copy in place.
    shown = client.get(url).context["formset"]
    response = client.post(url, {"scale": "novg", **post_back(shown, change="Aangepast: {}".format)})
    assert response.status_code == 302
    assert list(own.criteria.values_list("text", flat=True)) == [f"Aangepast: {text}" for text in texts[1:]]
    assert Formuliersjabloon.objects.filter(leerbedrijf=world.a).count() == 1
