"""The search box (issue 16): each role finds what it may see and nothing else, odd input never breaks the page,
each kind is capped with a link to all, and the page keeps its number of queries as the results grow."""

import re

import pytest
from django.db import connection
from django.urls import reverse

from stagegids.roles import Role
from tests.conftest import PERSONAS
from tests.factories import MembershipFactory, OnderwijsinstellingFactory, StageFactory, StagiairFactory, UserFactory
from tests.queries import count_queries

URL = reverse("leerbedrijf:zoeken")


@pytest.fixture
def more(world):
    """Two stagiairs with awkward names next to the world's Sam Stagiair: Ümit at A, followed by the other
    werkplekbegeleider and the other mbo-begeleider of the same school; Gül at B, at the other school."""
    umit = StageFactory(
        leerbedrijf=world.a,
        stagiair=StagiairFactory(leerbedrijf=world.a, name="Ümit d'Hondt"),
        onderwijsinstelling=world.school,
        mbo_begeleider=world.mbo_same_school,
        werkplekbegeleider=world.wpb_other,
    )
    gul = StageFactory(
        leerbedrijf=world.b,
        stagiair=StagiairFactory(leerbedrijf=world.b, name="Gül Öztürk"),
        onderwijsinstelling=world.other_school,
        mbo_begeleider=world.mbo_other_school,
    )
    return {"umit": umit, "gul": gul}


def search(client, user, q, **params):
    client.force_login(user)
    response = client.get(URL, {"q": q, **params})
    assert response.status_code == 200
    return response


def found(response):
    """Per kind, the text of each result's link."""
    return {
        group["kind"].code: {_link_text(response, group["kind"].code, row) for row in group["rows"]}
        for group in response.context["groups"]
    }


def _link_text(response, code, row):
    if code == "stages":
        return f"{row.stagiair.name} bij {row.leerbedrijf.name}"
    return row.name


def stagiairs_found(client, user):
    names = set()
    for q in ("Sam Stag", "mit d'H", "Öztürk"):  # a quote, and letters SQLite's lower() leaves alone
        names |= found(search(client, user, q))["stagiairs"]
    return names


# Who finds which of the three stagiairs by name: exactly those whose stage they may see (Stage.visible_to).
STAGIAIRS = {
    "opleider": {"Sam Stagiair", "Ümit d'Hondt"},
    "wpb": {"Sam Stagiair"},
    "wpb_other": {"Ümit d'Hondt"},
    "beoordelaar": {"Sam Stagiair"},
    "hybride": set(),
    "informele": set(),
    "collega": {"Sam Stagiair"},
    "stagiair": {"Sam Stagiair"},
    "mbo": {"Sam Stagiair"},
    "mbo_same_school": {"Ümit d'Hondt"},
    "mbo_other_school": {"Gül Öztürk"},
    "opleider_b": {"Gül Öztürk"},
    "staff": set(),
}


def test_every_persona_is_listed():
    assert set(STAGIAIRS) == set(PERSONAS)


@pytest.mark.parametrize("persona", PERSONAS)
def test_each_role_finds_the_stagiairs_it_may_see_and_no_others(client, world, more, persona):
    assert stagiairs_found(client, getattr(world, persona)) == STAGIAIRS[persona]


def test_a_stagiair_leads_to_their_stage(client, world, more):
    response = search(client, world.mbo_same_school, "mit d'H")
    assert f'href="{more["umit"].get_absolute_url()}"' in response.content.decode()
    # and the stage opens for him: the link is one he may follow
    assert client.get(more["umit"].get_absolute_url()).status_code == 200


def test_stages_are_found_by_leerbedrijf_and_school(client, world, more):
    a_stages = {f"{world.stage.stagiair.name} bij Installatiebedrijf A", "Ümit d'Hondt bij Installatiebedrijf A"}
    assert found(search(client, world.opleider, "Installatiebedrijf"))["stages"] == a_stages
    assert found(search(client, world.stagiair, "Installatiebedrijf"))["stages"] == {
        "Sam Stagiair bij Installatiebedrijf A"
    }
    assert found(search(client, world.mbo, "Installatiebedrijf"))["stages"] == {"Sam Stagiair bij Installatiebedrijf A"}
    # A stage at another leerbedrijf and another school is nobody's business at A, nor at the first school.
    assert found(search(client, world.opleider, "ROC Noord"))["stages"] == set()
    assert found(search(client, world.mbo, "ROC Noord"))["stages"] == set()
    noord = found(search(client, world.mbo_other_school, "ROC Noord"))["stages"]
    assert "Gül Öztürk bij Installatiebedrijf B" in noord
    assert all(name.endswith("bij Installatiebedrijf B") for name in noord)
    assert found(search(client, world.wpb, "Installatiebedrijf"))["stages"] == {"Sam Stagiair bij Installatiebedrijf A"}
    assert found(search(client, world.hybride, "Installatiebedrijf"))["stages"] == set()


def test_schools_are_those_of_the_stages_one_sees_or_ones_own(client, world, more):
    assert found(search(client, world.opleider, "ROC"))["scholen"] == {"ROC Zuid"}
    assert found(search(client, world.stagiair, "ROC"))["scholen"] == {"ROC Zuid"}
    assert found(search(client, world.mbo_other_school, "ROC"))["scholen"] == {"ROC Noord"}
    assert found(search(client, world.opleider_b, "ROC"))["scholen"] == {"ROC Noord"}
    assert found(search(client, world.hybride, "ROC"))["scholen"] == set()
    assert found(search(client, world.staff, "ROC"))["scholen"] == set()
    # An mbo-begeleider without students yet still finds his own school.
    newcomer = UserFactory()
    MembershipFactory(user=newcomer, role=Role.MBO_BEGELEIDER, leerbedrijf=None, onderwijsinstelling=world.school)
    assert found(search(client, newcomer, "ROC"))["scholen"] == {"ROC Zuid"}


def test_a_school_leads_to_its_stages_that_one_sees(client, world, more):
    response = search(client, world.mbo_other_school, "ROC Noord")
    link = f"{URL}?soort=stages&amp;school={world.other_school.pk}"
    assert link in response.content.decode()
    page = client.get(URL, {"soort": "stages", "school": world.other_school.pk})
    assert {stage.pk for stage in page.context["page"].object_list} == {world.stage_b.pk, more["gul"].pk}
    # A school one does not see does not exist; a malformed id leads nowhere.
    client.force_login(world.opleider)
    assert client.get(URL, {"soort": "stages", "school": world.other_school.pk}).status_code == 404
    assert client.get(URL, {"soort": "stages", "school": "1x"}).status_code == 404


def test_colleagues_are_the_people_whose_roles_one_sees(client, world):
    assert found(search(client, world.opleider, "Begeleider"))["collegas"] == {"Willem Begeleider"}
    assert found(search(client, world.opleider, "Mo Mont"))["collegas"] == {"Mo Monteur"}
    response = search(client, world.opleider, "Willem")
    assert f'href="{reverse("leerbedrijf:detail", args=[world.a.pk])}#mensen-titel"' in response.content.decode()
    # Membership's policy: only a praktijkopleider sees the people of the leerbedrijf; nobody else, and nobody
    # of another leerbedrijf or school.
    for persona in ("wpb_other", "collega", "stagiair", "mbo", "opleider_b", "mbo_other_school", "staff"):
        assert found(search(client, getattr(world, persona), "Begeleider"))["collegas"] == set(), persona
    # The one searching is not his own colleague.
    assert found(search(client, world.opleider, "Olga"))["collegas"] == set()


@pytest.mark.parametrize(
    ("q", "message"),
    [
        ("", ""),
        ("   ", ""),
        ("x", "Typ minstens 2 tekens om te zoeken."),
        (" x\x00 ", "Typ minstens 2 tekens om te zoeken."),
        ("x" * 101, "Zoek met hoogstens 100 tekens."),
        ("x" * 5000, "Zoek met hoogstens 100 tekens."),
    ],
)
def test_a_query_out_of_bounds_is_a_message_not_an_error(client, world, q, message):
    response = search(client, world.opleider, q)
    assert message in response.content.decode()
    assert "groups" not in response.context


@pytest.mark.parametrize("q", ["%%", "_a", "%_%", "a\x00m", '"Sam"', "'; drop table x; --", "x" * 100, "Sam\\"])
def test_odd_input_finds_only_what_it_says(client, world, more, q):
    """LIKE's wildcards match themselves: '%%' would find everyone if they were not escaped."""
    groups = found(search(client, world.opleider, q))
    assert groups["stagiairs"] == set()


def test_nul_and_white_space_inside_the_query_are_one_space(client, world):
    assert found(search(client, world.opleider, "Sam\x00  Stagiair"))["stagiairs"] == {"Sam Stagiair"}


@pytest.mark.skipif(connection.vendor != "postgresql", reason="unaccent exists on PostgreSQL only")
@pytest.mark.parametrize(
    ("q", "persona", "name"),
    [
        ("umit", "opleider", "Ümit d'Hondt"),
        ("ÜMIT", "opleider", "Ümit d'Hondt"),
        ("D'HONDT", "opleider", "Ümit d'Hondt"),
        ("gul ozturk", "opleider_b", "Gül Öztürk"),
    ],
)
def test_accents_and_case_do_not_matter_on_postgresql(client, world, more, q, persona, name):
    assert found(search(client, getattr(world, persona), q))["stagiairs"] == {name}


def test_each_kind_shows_its_first_ten_and_a_link_to_all(client, world):
    for n in range(12):
        StageFactory(leerbedrijf=world.a, stagiair__name=f"Reeks {n:02d}", onderwijsinstelling=world.school)
    response = search(client, world.opleider, "Reeks")
    group = next(group for group in response.context["groups"] if group["kind"].code == "stagiairs")
    assert group["count"] == 12
    assert [row.name for row in group["rows"]] == [f"Reeks {n:02d}" for n in range(10)]
    assert "?q=Reeks&amp;soort=stagiairs" in response.content.decode()
    all_of_them = client.get(URL, {"q": "Reeks", "soort": "stagiairs"})
    assert [row.name for row in all_of_them.context["page"].object_list] == [f"Reeks {n:02d}" for n in range(12)]
    assert client.get(URL, {"q": "Reeks", "soort": "stagiairs", "pagina": "999"}).status_code == 200


def test_suggestions_while_typing_are_a_short_list(client, world):
    for n in range(5):
        StageFactory(leerbedrijf=world.a, stagiair__name=f"Reeks {n}", onderwijsinstelling=world.school)
    client.force_login(world.opleider)
    response = client.get(URL, {"q": "Reeks", "suggesties": "1"}, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert "<html" not in html
    assert len(re.findall(r'class="zoek-suggestie"><a href="/stages/', html)) == 3
    assert "Alle resultaten voor" in html
    # Without htmx the same URL is the whole page.
    assert "<html" in client.get(URL, {"q": "Reeks", "suggesties": "1"}).content.decode()


def test_the_header_has_the_search_box_for_every_logged_in_person(client, world):
    client.force_login(world.stagiair)
    html = client.get(reverse("start")).content.decode()
    assert f'action="{URL}" role="search"' in html
    client.logout()
    assert f'action="{URL}"' not in client.get(reverse("login")).content.decode()


def _grow(world, n, start):
    """n of every kind for the praktijkopleider of A to find with 'Zoek': stagiairs with their stages at schools of
    their own, and colleagues."""
    for i in range(start, start + n):
        school = OnderwijsinstellingFactory(name=f"Zoekschool {i}")
        StageFactory(leerbedrijf=world.a, stagiair__name=f"Zoek stagiair {i}", onderwijsinstelling=school)
        MembershipFactory(user=UserFactory(name=f"Zoek collega {i}"), role=Role.WERKPLEKBEGELEIDER, leerbedrijf=world.a)


@pytest.mark.parametrize(
    "params", [{"q": "Zoek"}, {"q": "Zoek", "soort": "stages"}, {"q": "Zoek", "soort": "collegas", "pagina": "2"}]
)
def test_constant_queries_as_the_results_grow(client, world, params):
    client.force_login(world.opleider)
    url = f"{URL}?" + "&".join(f"{key}={value}" for key, value in params.items())
    _grow(world, 2, 0)
    few = count_queries(client, url)
    _grow(world, 30, 2)
    assert count_queries(client, url) == few
