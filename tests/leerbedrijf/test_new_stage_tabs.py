"""Every section of a brand-new stage (just through the intake: no plan, no moments, nothing yet) opens for everyone
who sees it and says in Dutch what comes there and how it starts: a button for whoever takes the next step, and who
does for the others. Never a 404 (issue 12). Each shows the stage's one bar of sections, the same on every page,
with its own section marked (issue 16)."""

import re

import pytest
from django.urls import reverse

from leerbedrijf.models import Stage
from stagegids import sections
from tests.factories import UserFactory
from tests.leerbedrijf.test_intake import intake_data

NAV = re.compile(r'<nav class="mb-4 stage-nav" aria-label="Onderdelen van de stage">(.*?)</nav>', re.S)
HREF = re.compile(r'href="([^"]+)"')
CURRENT = re.compile(r'aria-current="page" href="([^"]+)"')
PERSONAS = ["opleider", "wpb", "beoordelaar", "stagiair", "mbo"]
# A hybride techniekopleider or informele begeleider is linked to a stage as its werkplekbegeleider.
BEGELEIDERS = ["wpb", "hybride", "informele"]
MAKES_PLAN = {"opleider", "stagiair"}
OBSERVES = {"opleider", *BEGELEIDERS}
STARTS_BEOORDELING = {"opleider", "beoordelaar"}


def expected(section, persona):
    """What the section of a new stage says to `persona`: what comes there, and the next step."""
    no_plan = ["Er is nog geen stageplan voor deze stage."] + (
        ["Stageplan maken"] if persona in MAKES_PLAN else ["De stagiair en de praktijkopleider maken het stageplan."]
    )
    return {
        "stage": ["Opleiding en begeleiding"],
        "stageplan": ["Hier komen de beginsituatie en de leerdoelen", *no_plan],
        "planning": ["Hier komt de planning van de stage", *no_plan],
        "voortgangsbeeld": [
            "Leerdoelen behaald in de loop van de stage",
            "Het stageplan heeft nog geen leerdoelen.",
            "Er is nog geen tussenbeoordeling waarvan beide formulieren zijn ingeleverd",
        ],
        "gesprekken": ["Er zijn nog geen voortgangsgesprekken gepland.", "Naar de gesprekken en beoordelingen"],
        "observaties": ["Nog geen observaties.", "Hier komt wat de begeleiders de stagiair op de werkplek zien doen"]
        + (["Observatie vastleggen"] if persona in OBSERVES else ["De werkplekbegeleider en de praktijkopleider"]),
        "beoordelingen": ["Nog geen beoordelingen.", "Hier komen de tussenbeoordelingen en de eindbeoordeling"]
        + (
            ["Er zijn nog geen beoordelingsmomenten gepland."]
            if persona in STARTS_BEOORDELING
            else ["De praktijkopleider of de praktijkbeoordelaar start een beoordeling"]
        ),
        "gedeeld_stageplan": ["Er is nog geen stageplan afgestemd", "Hier komt het stageplan zodra"],
        "planning_school": ["Nog geen gesprekken of beoordelingen met de school gepland.", "Het leerbedrijf plant ze."],
        "zorgen": (
            ["Er zijn geen zorgen over je stage vastgelegd.", "legt je praktijkopleider of werkplekbegeleider"]
            if persona == "stagiair"
            else ["Er zijn geen zorgen vastgelegd."]
            + (
                ["Zorg vastleggen", "Gaat er iets niet goed, leg het dan hier vast"]
                if persona in {"opleider", *BEGELEIDERS}
                else ["zodra de praktijkopleider hem met u deelt"]
                if persona == "mbo"
                else ["De praktijkopleider en de werkplekbegeleider leggen hier vast"]
            )
        ),
        "onboarding": ["Vóór de start", "Eerste dag", "Eerste week"],
        "stagemap": ["Nog geen verslagen in de stagemap.", "Een verslag ontstaat wanneer"],
        "uren": ["Uren en aanwezigheid van", "Alleen weken die akkoord zijn, tellen mee", "Nog geen weken akkoord."],
        "ziekmeldingen": ["Ziekmeldingen van", "Geen ziekmeldingen."],
        "tegemoetkomingen": ["Tegemoetkomingen voor", "Alleen goedgekeurde uren tellen mee.", "nog niet geüpload"],
    }[section]


def section_of(link):
    for name, pattern in [
        ("stageplan", r"/stageplan/$"),
        ("planning", r"/stageplan/planning/$"),
        ("gedeeld_stageplan", r"/stageplan/gedeeld/$"),
        ("planning_school", r"/momenten/$"),
        ("voortgangsbeeld", r"/stages/\d+/voortgang/$"),
        ("gesprekken", r"/gesprekken/$"),
        ("zorgen", r"/zorgen/$"),
        ("observaties", r"/observaties/\?stage="),
        ("beoordelingen", r"/beoordelingen/$"),
        ("onboarding", r"/onboarding/$"),
        ("stagemap", r"/stagemap/$"),
        ("uren", r"/uren/$"),
        ("ziekmeldingen", r"/ziekmeldingen/$"),
        ("tegemoetkomingen", r"/tegemoetkomingen/$"),
        ("stage", r"^/stages/\d+/$"),
    ]:
        if re.search(pattern, link):
            return name
    raise AssertionError(f"a section this test does not know: {link}")


@pytest.fixture
def begeleider():
    """Who the intake links as the stage's werkplekbegeleider."""
    return "wpb"


@pytest.fixture
def new_stage(client, world, begeleider):
    """A stage as the intake makes it, with the world's people in its roles."""
    client.force_login(world.opleider)
    data = intake_data(
        world,
        werkplekbegeleider=getattr(world, begeleider).pk,
        praktijkbeoordelaar=world.beoordelaar.pk,
        mbo_begeleider=world.mbo.pk,
    )
    response = client.post(reverse("leerbedrijf:intake", args=[world.a.pk]), data)
    stage = Stage.objects.get(stagiair__email="ilse@student.nl")
    assert response.url == stage.get_absolute_url()
    # The stagiair's own account, as accepting the invitation links it.
    stage.stagiair.user = UserFactory(email="ilse@student.nl", name="Ilse Instroom")
    stage.stagiair.save(update_fields=["user"])
    client.logout()
    assert not stage.moments.exists() and not hasattr(stage, "stageplan")
    return stage


def open_every_section(client, world, stage, persona):
    """The names of the sections `persona` is shown on the new stage, each opened and its empty state checked."""
    client.force_login(stage.stagiair.user if persona == "stagiair" else getattr(world, persona))
    overview = client.get(stage.get_absolute_url())
    assert overview.status_code == 200
    links = [link.replace("&amp;", "&") for link in HREF.findall(NAV.search(overview.content.decode()).group(1))]
    assert len(links) > 3, links
    for link in links:
        response = client.get(link)
        assert response.status_code == 200, (persona, link, response.status_code)
        page = response.content.decode()
        for text in expected(section_of(link), persona):
            assert text in page, (persona, link, text)
        bars = NAV.findall(page)
        assert len(bars) == 1, (persona, link, "one bar of sections on every page of a stage")
        assert HREF.findall(bars[0]) == HREF.findall(NAV.search(overview.content.decode()).group(1)), (persona, link)
        assert CURRENT.search(bars[0]).group(1).replace("&amp;", "&") == link, (persona, link)
    return {section_of(link) for link in links}


@pytest.mark.parametrize(
    ("persona", "begeleider"),
    [*((persona, "wpb") for persona in PERSONAS), ("hybride", "hybride"), ("informele", "informele")],
)
def test_every_section_of_a_new_stage_opens_with_a_dutch_empty_state(client, world, new_stage, persona):
    open_every_section(client, world, new_stage, persona)


def test_every_registered_section_is_one_of_them(client, world, new_stage):
    """A section an app registers later is opened on a new stage too: someone on the stage is shown it. The
    ziekmeldingen are the school's once the company chose so for the stage (uren, issue 14): it does here."""
    client.force_login(world.opleider)
    client.post(reverse("uren:instelling", args=[new_stage.pk]), {"school_sees_ziekmeldingen": "on"})
    seen = set().union(*(open_every_section(client, world, new_stage, persona) for persona in PERSONAS))
    assert seen == {section.name for section in sections._sections.values()}


@pytest.mark.parametrize(
    ("name", "title"),
    [
        ("stageplan:moments", "Gesprekken en beoordelingen"),
        ("stageplan:moment_add", "Gesprekken en beoordelingen"),
        ("stageplan:versions", "Versies"),
        ("stageplan:diff", "Versies"),
        ("stageplan:beginsituatie", "Beginsituatie"),
        ("stageplan:leerdoel_add", "Leerdoel toevoegen"),
    ],
)
def test_the_pages_of_the_plan_explain_it_is_not_there_yet(client, world, new_stage, name, title):
    client.force_login(world.opleider)
    response = client.get(reverse(name, args=[new_stage.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert title in page and "Er is nog geen stageplan voor deze stage." in page
    assert reverse("stageplan:create", args=[new_stage.pk]) in page
    assert client.get(reverse("stageplan:create", args=[new_stage.pk])).status_code == 200
