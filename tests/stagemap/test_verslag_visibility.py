"""A verslag is seen by exactly who may see its source document, plus the stage's mbo-begeleider once shared.

For every registered kind and every persona of the `world` fixture, the source document's own page and the download
of its verslag agree: both open, or both refused. A new kind without a source page here fails
test_every_kind_has_a_source_page.
"""

import pytest
from django.urls import reverse
from django.utils import timezone

from beoordeling.beoordelingen.models import Beoordeling, BeoordelingKind
from stagegids.roles import Role
from stagemap import kinds
from stagemap.models import Verslag
from stagemap.verslagen import make_missing_verslagen
from stageplan.models import MomentKind
from tests.conftest import PERSONAS
from tests.factories import MomentFactory, VerslagFactory

# The page of each kind's source document on world.stage.
SOURCE_PAGES = {
    "stageplan": lambda w: reverse("stageplan:detail", args=[w.stage.pk]),
    "voortgangsgesprek": lambda w: reverse("beoordeling:gesprek", args=[w.moment.pk]),
    "tussenbeoordeling": lambda w: reverse("beoordeling:detail", args=[w.beoordeling.pk]),
    "eindbeoordeling": lambda w: reverse(
        "beoordeling:detail",
        args=[Beoordeling.start(stage=w.stage, kind=BeoordelingKind.BPV, by=w.beoordelaar).pk],
    ),
    "evaluatie": lambda w: reverse("beoordeling:evaluatie", args=[w.stage.pk]),
    # The closing verslag of an interrupted or ended stage is of the stage itself (issue 15).
    "stage_stop": lambda w: reverse("leerbedrijf:stage", args=[w.stage.pk]),
    # A driegesprek: everyone on the stage, its mbo-begeleider too (he took part).
    "driegesprek": lambda w: reverse(
        "beoordeling:driegesprek",
        args=[MomentFactory(stage=w.stage, kind=MomentKind.STARTGESPREK, starts_at=w.moment.starts_at).pk],
    ),
}


def test_every_kind_has_a_source_page():
    assert {kind.code for kind in kinds.registered()} == SOURCE_PAGES.keys()


def opens(client, url):
    status = client.get(url).status_code
    assert status in (200, 403, 404), f"{url}: {status}"
    return status == 200


@pytest.mark.parametrize("code", list(SOURCE_PAGES))
def test_the_download_of_a_verslag_agrees_with_the_page_of_its_source(client, world, code):
    page = SOURCE_PAGES[code](world)
    verslag = VerslagFactory(stage=world.stage, kind=code, created_by=world.opleider)
    download = reverse("stagemap:verslag_download", args=[verslag.pk])
    # The verslag read in the page (issue 16) is seen by exactly who downloads it.
    in_page = reverse("stagemap:verslag", args=[verslag.pk])

    def reach():
        seen = {}
        for persona in PERSONAS:
            client.force_login(getattr(world, persona))
            seen[persona] = (opens(client, page), opens(client, download))
            assert opens(client, in_page) == seen[persona][1], persona
        return seen

    before = reach()
    assert {persona for persona, (_page, got) in before.items() if got} >= {"opleider", "stagiair"}
    assert not before["opleider_b"][1] and not before["mbo_other_school"][1]
    assert [persona for persona, (sees_page, got) in before.items() if sees_page != got] == []

    verslag.share(by=world.opleider)
    after = reach()
    assert after["mbo"][1], "shared: the stage's mbo-begeleider downloads it"
    assert [persona for persona, (sees_page, got) in after.items() if got != (sees_page or persona == "mbo")] == []


def test_a_werkplekbegeleider_and_a_praktijkbeoordelaar_see_only_the_verslagen_of_what_they_may_read(client, world):
    """The stagemap page lists the verslagen each person may download, not every verslag of the stage."""
    Beoordeling.start(stage=world.stage, kind=BeoordelingKind.PVB, by=world.beoordelaar)
    for code in SOURCE_PAGES:
        VerslagFactory(stage=world.stage, kind=code, title=f"Verslag {code}", created_by=world.opleider)
    expected = {
        "wpb": {"stageplan", "voortgangsgesprek", "stage_stop", "driegesprek"},
        "beoordelaar": {
            "stageplan",
            "voortgangsgesprek",
            "tussenbeoordeling",
            "eindbeoordeling",
            "stage_stop",
            "driegesprek",
        },
        "stagiair": set(SOURCE_PAGES),
        "mbo": {"eindbeoordeling", "stage_stop", "driegesprek"},
    }
    for persona, codes in expected.items():
        user = getattr(world, persona)
        assert set(Verslag.objects.visible_to(user).filter(stage=world.stage).values_list("kind", flat=True)) == codes
        client.force_login(user)
        page = client.get(reverse("stagemap:stagemap", args=[world.stage.pk])).text
        assert {code for code in SOURCE_PAGES if f"Verslag {code}<" in page} == codes, persona

    # Shared with the school, they wait for its review on the start page: each only for who may read it.
    Verslag.objects.update(shared_at=timezone.now(), shared_by=world.opleider)
    client.force_login(world.wpb)
    start = client.get(reverse("start")).text
    assert {code for code in SOURCE_PAGES if f"Verslag {code}<" in start} == expected["wpb"]


class Aanwezigheid(kinds.VerslagKind):
    """A kind as a new chapter would add it, from its own app: here the stage itself, for the stagiair only."""

    code = "aanwezigheid"
    label = "aanwezigheid"

    source_roles = (Role.STAGIAIR,)

    def finished(self, stage):
        return [stage]

    def source(self, stage):
        return stage, "aanwezigheid-1"

    def build(self, stage):
        return kinds.Draft(stage=stage, title="Aanwezigheid", template="verslagen/stagemap_inhoud.html")


def test_a_new_kind_plugs_in_by_registering(monkeypatch, world):
    monkeypatch.setattr(kinds, "_kinds", dict(kinds._kinds))
    kinds.register(Aanwezigheid())
    with pytest.raises(Exception, match="registered twice"):
        kinds.register(Aanwezigheid())
    assert ("aanwezigheid", "aanwezigheid") in Verslag._meta.get_field("kind").choices

    (made,) = make_missing_verslagen(world.stage, by=world.opleider)
    assert (made.kind, made.get_kind_display(), made.source_type) == (
        "aanwezigheid",
        "aanwezigheid",
        "leerbedrijf.Stage",
    )
    assert make_missing_verslagen(world.stage, by=world.opleider) == [], "made once"
    assert list(Verslag.objects.visible_to(world.stagiair).filter(kind="aanwezigheid")) == [made]
    assert not Verslag.objects.visible_to(world.opleider).filter(kind="aanwezigheid").exists()
