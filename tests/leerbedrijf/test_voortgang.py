"""The voortgang overview (issue 16) through its page: each role sees exactly its stages; filters, sort, search and
pages; the late signal the start page knows; what each column shows follows the policy; constant queries."""

import re
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from beoordeling.zorgen.models import Zorg, ZorgKind
from leerbedrijf.models import OnboardingItem, StageStop, StopKind, StopReden
from leerbedrijf.voortgang import columns
from leerbedrijf.voortgang.columns import Column
from stageplan.models import MomentKind, Observatie
from tests.factories import KwalificatieFactory, MomentFactory, StageFactory, StagiairFactory
from tests.queries import count_queries

URL = reverse("leerbedrijf:voortgang")
ROW = re.compile(r'<th scope="row"[^>]*>\s*<a href="/stages/(\d+)/">([^<]+)</a>')


def listed(client, user, **params):
    client.force_login(user)
    response = client.get(URL, params)
    assert response.status_code == 200
    page = response.content.decode()
    return [int(pk) for pk, _name in ROW.findall(page)], page


def row_of(page, stage):
    """The html of the row of `stage`."""
    start = page.index(f'<a href="/stages/{stage.pk}/">')
    return page[start : page.index("</tr>", start)]


@pytest.fixture
def second(world):
    """A second stage at A: the other werkplekbegeleider's, without praktijkbeoordelaar, another school's student."""
    return StageFactory(
        leerbedrijf=world.a,
        stagiair=StagiairFactory(leerbedrijf=world.a, name="Ada Aansluiting"),
        werkplekbegeleider=world.wpb_other,
        onderwijsinstelling=world.other_school,
        mbo_begeleider=world.mbo_other_school,
        leerweg="bbl",
    )


def test_each_role_sees_exactly_its_stages(client, world, second):
    w = world
    expected = {
        "opleider": {w.stage.pk, second.pk},
        "wpb": {w.stage.pk},
        "wpb_other": {second.pk},
        "beoordelaar": {w.stage.pk},
        "mbo": {w.stage.pk},
        "mbo_same_school": set(),
        # The mbo-begeleider follows his students at every company.
        "mbo_other_school": {second.pk, w.stage_b.pk},
        "opleider_b": {w.stage_b.pk},
        "hybride": set(),
    }
    for persona, stages in expected.items():
        assert set(listed(client, getattr(w, persona))[0]) == stages, persona


def test_the_stagiair_is_refused_and_the_beheerder_follows_no_stage(client, world):
    client.force_login(world.stagiair)
    assert client.get(URL).status_code == 403
    assert listed(client, world.staff)[0] == []


def test_search_filters_and_sort(client, world, second):
    w = world
    planned = StageFactory(
        leerbedrijf=w.a,
        stagiair=StagiairFactory(leerbedrijf=w.a, name="Bram Boiler"),
        kwalificatie=KwalificatieFactory(crebo="25308", name="Monteur service en onderhoud"),
        start_date=date.today() + timedelta(days=10),
    )
    assert listed(client, w.opleider)[0] == [second.pk, planned.pk, w.stage.pk]  # by name: Ada, Bram, Sam
    assert listed(client, w.opleider, sorteer="-naam")[0] == [w.stage.pk, planned.pk, second.pk]
    assert listed(client, w.opleider, q="bOiL")[0] == [planned.pk]
    assert listed(client, w.opleider, status="gepland")[0] == [planned.pk]
    assert listed(client, w.opleider, leerweg="bbl")[0] == [second.pk]
    assert listed(client, w.opleider, kwalificatie=planned.kwalificatie_id)[0] == [planned.pk]
    assert listed(client, w.opleider, begeleider=w.wpb_other.pk)[0] == [second.pk]
    # By phase in the order of a stage's life: gepland before lopend.
    assert listed(client, w.opleider, sorteer="fase")[0] == [planned.pk, second.pk, w.stage.pk]
    # By the next moment: the world's stage has one in 30 days, the second gets one sooner; without one, last.
    MomentFactory(stage=second, starts_at=timezone.now() + timedelta(days=5))
    assert listed(client, w.opleider, sorteer="moment")[0] == [second.pk, w.stage.pk, planned.pk]
    assert listed(client, w.opleider, sorteer="-moment")[0] == [w.stage.pk, second.pk, planned.pk]
    # By the last observatie, newest first, the stages without one last.
    Observatie.objects.create(stage=second, author=w.wpb_other, date=date.today(), text="Netjes", kind="goed")
    assert listed(client, w.opleider, sorteer="-observatie")[0] == [second.pk, w.stage.pk, planned.pk]


def test_a_stopped_stage_shows_its_phase_and_filters_by_it(client, world, second):
    stop = StageStop.record(
        stage=second,
        kind=StopKind.ONDERBROKEN,
        reden=StopReden.STAGIAIR,
        starts_on=date.today(),
        toelichting="",
        by=world.opleider,
    )
    assert stop is not None
    ids, page = listed(client, world.opleider, status="onderbroken")
    assert ids == [second.pk]
    assert "onderbroken" in row_of(page, second)


@pytest.mark.parametrize(
    "params",
    [
        {"sorteer": "wachtwoord"},
        {"status": "kwijt"},
        {"kwalificatie": "99999999"},
        {"kwalificatie": "abc"},
        {"begeleider": str(2**70)},
        {"leerweg": "xyz"},
        {"q": "x" * 101},
        {"pagina": "9999"},
        {"pagina": "-1"},
    ],
)
def test_a_bad_parameter_is_left_out_with_a_dutch_message(client, world, second, params):
    ids, page = listed(client, world.opleider, **params)
    assert sorted(ids) == sorted([world.stage.pk, second.pk])
    if "pagina" not in params:
        assert "is weggelaten" in page


def test_pages_of_25(client, world):
    for n in range(27):
        StageFactory(leerbedrijf=world.a, stagiair=StagiairFactory(leerbedrijf=world.a, name=f"Stagiair {n:02d}"))
    first, page = listed(client, world.opleider)
    assert len(first) == 25 and "Pagina 1 van 2" in page
    second_page, _page = listed(client, world.opleider, pagina=2)
    assert len(second_page) == 3 and not set(first) & set(second_page)
    # The filters and sort go along to the next page.
    _ids, page = listed(client, world.opleider, sorteer="-naam", leerweg="bol")
    assert "sorteer=-naam&amp;leerweg=bol&amp;pagina=2" in page


def test_the_late_signal_is_what_the_start_page_knows(client, world, second, settings):
    w = world
    # A voortgangsgesprek past its time and not held: "sla ze niet over" (stageplan/overdue.py).
    MomentFactory(
        stage=second,
        kind=MomentKind.VOORTGANGSGESPREK,
        starts_at=timezone.now() - timedelta(days=settings.MOMENT_OVERDUE_DAYS + 1),
    )
    # A concern whose next step is past its date.
    Zorg.record(
        stage=second,
        by=w.opleider,
        kind=ZorgKind.AANWEZIGHEID,
        happened="Te laat",
        next_step="Bellen",
        next_step_on=date.today() - timedelta(days=1),
    )
    OnboardingItem.objects.filter(stage=w.stage).update(done_at=timezone.now())
    late_onboarding = OnboardingItem.objects.overdue().filter(stage=second).count()
    assert late_onboarding  # the second stage started 30 days ago: its first-week items are late

    _ids, page = listed(client, w.opleider)
    row = row_of(page, second)
    assert "1 moment overgeslagen" in row
    assert "1 zorg: volgende stap over datum" in row
    assert f"{late_onboarding} onboarding-acties te laat" in row
    assert "niets" in row_of(page, w.stage)
    # The start page names the same skipped moment.
    assert "Voortgangsgesprek" in client.get("/").content.decode()

    # An interrupted stage's onboarding waits for nobody (issue 15), here as on the start page.
    StageStop.record(
        stage=second, kind=StopKind.ONDERBROKEN, reden=StopReden.STAGIAIR, starts_on=date.today(), toelichting="",
        by=w.opleider,
    )  # fmt: skip
    row = row_of(listed(client, w.opleider)[1], second)
    assert "onboarding" not in row and "1 zorg: volgende stap over datum" in row


def test_each_column_shows_only_what_the_user_may_see(client, world):
    w = world
    # The praktijkopleider reads the plan and the tussenbeoordeling.
    row = row_of(listed(client, w.opleider)[1], w.stage)
    assert "0 van 1" in row and "Tussenbeoordeling" in row
    # The werkplekbegeleider reads the plan, not the beoordeling.
    row = row_of(listed(client, w.wpb)[1], w.stage)
    assert "0 van 1" in row and "Tussenbeoordeling" not in row
    # The school reads neither the plan nor the tussenbeoordeling (they reach it as shared verslagen).
    row = row_of(listed(client, w.mbo)[1], w.stage)
    assert "van 1" not in row and "Tussenbeoordeling" not in row
    # Nor the internal concern, nor one not shared; the company sees it.
    Zorg.record(
        stage=w.stage, by=w.opleider, kind=ZorgKind.AANWEZIGHEID, happened="x", next_step="y",
        next_step_on=date.today() + timedelta(days=3), internal=True,
    )  # fmt: skip
    assert re.search(r'data-label="Open zorgen"><div>\s*1\s*<', row_of(listed(client, w.opleider)[1], w.stage))
    assert re.search(r'data-label="Open zorgen"><div>\s*0\s*<', row_of(listed(client, w.mbo)[1], w.stage))


def test_a_column_registered_by_another_app_is_shown_and_sorts(client, world, second, monkeypatch):
    """The registry, used from outside leerbedrijf as an app above it does: an annotated, sortable column."""
    from django.db.models import F

    monkeypatch.setitem(
        columns._columns,
        "einde",
        Column(
            "einde",
            "Einddatum",
            template="stageplan/voortgang/cell_date.html",
            annotate=lambda stages, user: stages.annotate(einde=F("end_date")),
            read=lambda stage: stage.einde,
            sort="einde",
        ),
    )
    world.stage.end_date = date.today() + timedelta(days=400)
    world.stage.save(update_fields=["end_date"])
    ids, page = listed(client, world.opleider, sorteer="einde")
    assert ids == [second.pk, world.stage.pk]
    assert '>Einddatum <span aria-hidden="true">▲</span></a>' in page
    assert listed(client, world.opleider, sorteer="-einde")[0] == [world.stage.pk, second.pk]


def test_a_column_must_say_where_its_values_come_from():
    with pytest.raises(ValueError):
        Column("x", "X")
    with pytest.raises(ValueError):
        Column("x", "X", batch=lambda ids, user: {}, sort="x")


def add_stages(world, n):
    """Stages with something in every column: a plan with a leerdoel, an observatie, a moment, a concern."""
    for index in range(n):
        stage = StageFactory(leerbedrijf=world.a, werkplekbegeleider=world.wpb, mbo_begeleider=world.mbo,
                             onderwijsinstelling=world.school, praktijkbeoordelaar=world.beoordelaar)  # fmt: skip
        MomentFactory(stage=stage, starts_at=timezone.now() + timedelta(days=index + 1))
        MomentFactory(stage=stage, starts_at=timezone.now() - timedelta(days=10))
        Observatie.objects.create(stage=stage, author=world.wpb, date=date.today(), text="Goed", kind="goed")
        Zorg.record(stage=stage, by=world.opleider, kind=ZorgKind.AANWEZIGHEID, happened="x", next_step="y",
                    next_step_on=date.today() - timedelta(days=1))  # fmt: skip


@pytest.mark.parametrize("persona", ["opleider", "wpb", "beoordelaar", "mbo"])
def test_constant_queries_as_stages_grow(client, world, persona):
    client.force_login(getattr(world, persona))
    add_stages(world, 1)
    few = count_queries(client, URL + "?sorteer=-zorgen")
    add_stages(world, 4)
    assert count_queries(client, URL + "?sorteer=-zorgen") == few


def test_the_header_and_the_start_page_link_to_it(client, world):
    for persona in ("opleider", "wpb", "mbo"):
        client.force_login(getattr(world, persona))
        # The header's link, and the one under the stages the person follows (folded, read when opened).
        assert client.get("/").content.decode().count(f'href="{URL}"') == 1, persona
        panel = client.get(reverse("start_panel", args=["stages"]), headers={"HX-Request": "true"})
        assert panel.content.decode().count(f'href="{URL}"') == 1, persona
    client.force_login(world.stagiair)
    assert f'href="{URL}"' not in client.get("/").content.decode()
