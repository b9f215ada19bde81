"""The stagiair list with its filters, the leerbedrijf overview, and constant queries on every list."""

import re
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from leerbedrijf.models import ErkenningStatus
from tests.factories import KwalificatieFactory, StageFactory

TODAY = date.today()


@pytest.fixture
def stages(world):
    other = KwalificatieFactory(crebo="25349", name="Eerste monteur utiliteit", niveau=3)
    return {
        "gepland": StageFactory(
            leerbedrijf=world.a,
            stagiair__name="Gijs Gepland",
            start_date=TODAY + timedelta(days=10),
            end_date=TODAY + timedelta(days=100),
            leerweg="bbl",
            kwalificatie=other,
            werkplekbegeleider=world.wpb_other,
        ),
        "afgerond": StageFactory(
            leerbedrijf=world.a,
            stagiair__name="Anna Afgerond",
            start_date=TODAY - timedelta(days=200),
            end_date=TODAY - timedelta(days=1),
        ),
    }


def names(response):
    return [
        row.split("</a>")[0].rsplit(">", 1)[1]
        for row in response.content.decode().split("</table>")[0].split("<tr>")[2:]
        if "</a>" in row
    ]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({}, ["Gijs Gepland", "Sam Stagiair", "Anna Afgerond"]),
        ({"status": "gepland"}, ["Gijs Gepland"]),
        ({"status": "lopend"}, ["Sam Stagiair"]),
        ({"status": "afgerond"}, ["Anna Afgerond"]),
        ({"leerweg": "bbl"}, ["Gijs Gepland"]),
        ({"kwalificatie": "__other__"}, ["Gijs Gepland"]),
        ({"werkplekbegeleider": "__wpb__"}, ["Sam Stagiair"]),
        ({"status": "lopend", "leerweg": "bbl"}, []),
    ],
)
def test_filters(client, world, stages, query, expected):
    query = {
        key: {"__other__": stages["gepland"].kwalificatie_id, "__wpb__": world.wpb.pk}.get(value, value)
        for key, value in query.items()
    }
    client.force_login(world.opleider)
    response = client.get(reverse("leerbedrijf:stagiairs", args=[world.a.pk]), query)
    assert names(response) == expected
    assert "Installatiebedrijf B" not in response.content.decode()


def test_a_filter_value_that_does_not_exist_says_so(client, world, stages):
    client.force_login(world.opleider)
    response = client.get(
        reverse("leerbedrijf:stagiairs", args=[world.a.pk]), {"werkplekbegeleider": world.opleider_b.pk}
    )
    assert "Een filter heeft een waarde die niet bestaat" in response.content.decode()
    assert names(response) == []


def test_status_and_progress_in_the_list(client, world, stages):
    client.force_login(world.opleider)
    body = client.get(reverse("leerbedrijf:stagiairs", args=[world.a.pk])).content.decode()
    assert 'status-gepland">gepland' in body and 'status-afgerond">afgerond' in body and 'status-lopend">lopend' in body
    assert "0 van 13 gedaan" in body


def test_pagination_keeps_the_filters(client, world):
    StageFactory.create_batch(30, leerbedrijf=world.a)
    client.force_login(world.opleider)
    url = reverse("leerbedrijf:stagiairs", args=[world.a.pk])
    first = client.get(url, {"status": "lopend"}).content.decode()
    assert "31 stages" in first and "Pagina 1 van 2" in first and "?status=lopend&amp;pagina=2" in first
    second = client.get(url, {"status": "lopend", "pagina": 2})
    assert len(names(second)) == 6


def test_overview_shows_erkenningen_people_and_current_stagiairs(client, world, stages):
    assert world.erkenning.status == ErkenningStatus.ERKEND  # the world has one for the stage's kwalificatie
    client.force_login(world.opleider)
    body = client.get(reverse("leerbedrijf:detail", args=[world.a.pk])).content.decode()
    assert "Monteur elektrotechnische installaties" in body and 'erkenning-erkend">erkend' in body
    assert "Willem Begeleider" in body
    assert "Sam Stagiair" in body and "Gijs Gepland" in body
    assert "Anna Afgerond" not in body, "the overview shows running and planned stages; the list has all"
    assert "Alle stagiairs (3)" in body


def grow(world, n):
    """n stages of leerbedrijf A around the same people, so every role's lists have n rows."""
    for stage in StageFactory.create_batch(
        n,
        leerbedrijf=world.a,
        werkplekbegeleider=world.wpb,
        praktijkbeoordelaar=world.beoordelaar,
        mbo_begeleider=world.mbo,
        onderwijsinstelling=world.stage.onderwijsinstelling,
    ):
        stage.stagiair.user = world.stagiair
        stage.stagiair.save()


@pytest.mark.parametrize(
    ("persona", "url", "shown"),
    [
        ("opleider", lambda w: reverse("leerbedrijf:stagiairs", args=[w.a.pk]), 20),
        ("opleider", lambda w: reverse("leerbedrijf:detail", args=[w.a.pk]), 20),
        # The stages one follows are folded on the start page, read when opened (issue 18); a stagiair's own in view.
        ("opleider", lambda w: reverse("start"), 0),
        ("opleider", lambda w: reverse("start_panel", args=["stages"]), 20),
        ("wpb", lambda w: reverse("start"), 0),
        ("wpb", lambda w: reverse("start_panel", args=["stages"]), 20),
        ("beoordelaar", lambda w: reverse("start"), 0),
        ("stagiair", lambda w: reverse("start"), 20),
        ("mbo", lambda w: reverse("start"), 0),
        ("mbo", lambda w: reverse("start_panel", args=["stages"]), 0),
    ],
)
def test_queries_do_not_grow_with_rows(client, world, django_assert_num_queries, persona, url, shown):
    """One row (the world's stage) and 50 rows: the same number of queries."""
    client.force_login(getattr(world, persona))
    url = url(world)
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    grow(world, 49)
    with django_assert_num_queries(len(one)):
        response = client.get(url)
    assert response.status_code == 200
    rows = len(re.findall(r"van 1[34] gedaan", response.content.decode()))
    assert rows >= shown
