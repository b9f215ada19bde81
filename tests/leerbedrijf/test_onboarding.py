"""Onboarding (chapter 6 of the gids): checklists per stage, the company's own items, ticking and progress."""

from datetime import date, timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from leerbedrijf.models import OnboardingItem, OnboardingPhase, OnboardingTemplateItem, onboarding_for
from leerbedrijf.models.onboarding import GIDS_ITEMS
from tests.factories import StageFactory

MONDAY = date(2026, 3, 2)


def test_a_new_stage_gets_the_gids_checklists_with_people_and_due_dates(world):
    stage = StageFactory(
        leerbedrijf=world.a, werkplekbegeleider=world.wpb, start_date=MONDAY, end_date=date(2026, 7, 1)
    )
    items = {item.gids_key: item for item in stage.onboarding_items.exclude(gids_key="")}
    assert set(items) == {key for key, *_rest in GIDS_ITEMS}
    assert items["informeer_collegas"].text.startswith("Informeer directe collega’s en de receptiemedewerker")
    # Three working days before a Monday is the Wednesday before; the first week ends on Friday.
    assert items["praktische_spullen"].due_date == date(2026, 2, 25)
    assert items["opvangen"].due_date == MONDAY
    assert items["kleine_taken"].due_date == date(2026, 3, 6)
    assert items["bepaal_begeleider"].responsible == world.opleider
    assert items["opvangen"].responsible == world.wpb
    assert {item.phase for item in items.values()} == set(OnboardingPhase.values)
    # The company's own item (made in the world fixture after its stage) comes with this new stage.
    assert stage.onboarding_items.filter(custom_text="Toolbox veilig werken op hoogte").count() == 1


def test_onboarding_for_is_idempotent(world):
    before = OnboardingItem.objects.filter(stage=world.stage).count()
    onboarding_for(world.stage)  # picks up the template item added after the stage was made
    after = OnboardingItem.objects.filter(stage=world.stage).count()
    assert after == before + 1
    assert onboarding_for(world.stage) == 0
    assert OnboardingItem.objects.filter(stage=world.stage).count() == after


def test_without_werkplekbegeleider_the_praktijkopleider_holds_the_floor_items(world):
    stage = StageFactory(leerbedrijf=world.a, werkplekbegeleider=None)
    assert stage.onboarding_items.get(gids_key="opvangen").responsible == world.opleider


def test_praktijkopleider_ticks_an_item_without_javascript(client, world):
    item = world.onboarding_item
    client.force_login(world.opleider)
    url = reverse("leerbedrijf:onboarding", args=[world.stage.pk])
    page = client.get(url).content.decode()
    assert "Zorg dat er iemand klaarstaat om de stagiair op te vangen en welkom te heten." in page
    assert "0 van 13 gedaan" in page and "13 te laat" in page

    response = client.post(reverse("leerbedrijf:onboarding_tick", args=[world.stage.pk, item.pk]), {"done": "1"})
    assert response.status_code == 302 and response.url == f"{url}#actie-{item.pk}"
    item.refresh_from_db()
    assert item.done_by == world.opleider and item.done_at is not None
    page = client.get(url).content.decode()
    assert "1 van 13 gedaan" in page and "Afgevinkt door Olga Opleider" in page

    client.post(reverse("leerbedrijf:onboarding_tick", args=[world.stage.pk, item.pk]), {"done": "0"})
    item.refresh_from_db()
    assert item.done_at is None and item.done_by is None


def test_a_second_tick_changes_nothing(client, world):
    """A double click, or a colleague's tick from a page opened before: who ticked it off, and when, stay the first."""
    item = world.onboarding_item
    url = reverse("leerbedrijf:onboarding_tick", args=[world.stage.pk, item.pk])
    client.force_login(world.opleider)
    client.post(url, {"done": "1"})
    item.refresh_from_db()
    ticked_at = item.done_at
    with time_machine.travel(timezone.now() + timedelta(minutes=5)):
        client.post(url, {"done": "1"})
    item.refresh_from_db()
    assert item.done_at == ticked_at and item.done_by == world.opleider


def test_ticking_with_htmx_returns_the_item_and_the_progress(client, world):
    client.force_login(world.wpb)
    response = client.post(
        reverse("leerbedrijf:onboarding_tick", args=[world.stage.pk, world.onboarding_item.pk]),
        {"done": "1"},
        headers={"HX-Request": "true"},
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert f'id="actie-{world.onboarding_item.pk}"' in body
    assert 'id="onboarding-voortgang" hx-swap-oob="true"' in body
    assert "1 van 13 gedaan" in body
    assert "Toch niet gedaan" in body


def test_werkplekbegeleider_ticks_only_own_items_and_stagiair_only_looks(client, world):
    not_mine = world.stage.onboarding_items.get(gids_key="bepaal_begeleider")
    client.force_login(world.wpb)
    page = client.get(reverse("leerbedrijf:onboarding", args=[world.stage.pk])).content.decode()
    assert page.count("Afvinken") == 7  # the werkplekbegeleider's items of the gids (and none of the opleider's)
    response = client.post(reverse("leerbedrijf:onboarding_tick", args=[world.stage.pk, not_mine.pk]))
    assert response.status_code == 403

    client.force_login(world.stagiair)
    page = client.get(reverse("leerbedrijf:onboarding", args=[world.stage.pk])).content.decode()
    assert "Afvinken" not in page and "Andere verantwoordelijke" not in page
    assert "Stel de stagiair voor aan andere collega’s." in page


def test_praktijkopleider_gives_an_item_to_a_colleague_who_can_then_tick_it(client, world):
    item = world.stage.onboarding_items.get(gids_key="rondleiden")
    client.force_login(world.opleider)
    assign = reverse("leerbedrijf:onboarding_assign", args=[world.stage.pk, item.pk])
    client.post(assign, {"responsible": world.wpb_other.pk})
    item.refresh_from_db()
    assert item.responsible == world.wpb_other

    client.post(assign, {"responsible": world.opleider_b.pk})  # not of this leerbedrijf
    item.refresh_from_db()
    assert item.responsible == world.wpb_other

    client.force_login(world.wpb_other)
    assert client.get(reverse("leerbedrijf:onboarding", args=[world.stage.pk])).status_code == 200
    client.post(reverse("leerbedrijf:onboarding_tick", args=[world.stage.pk, item.pk]))
    item.refresh_from_db()
    assert item.done_by == world.wpb_other
    # Holding an item opens the checklist, not the rest of the stage.
    assert client.get(reverse("leerbedrijf:stage", args=[world.stage.pk])).status_code == 404


def test_company_items_go_to_new_stages_and_the_gids_items_stay(client, world):
    client.force_login(world.opleider)
    url = reverse("leerbedrijf:onboarding_template", args=[world.a.pk])
    response = client.post(
        url,
        {
            "phase": OnboardingPhase.EERSTE_DAG,
            "text": "  Geef de  stagiair een sleutel ",
            "responsible": "werkplekbegeleider",
        },
    )
    assert response.status_code == 302
    template = OnboardingTemplateItem.objects.get(text="Geef de stagiair een sleutel")
    page = client.get(url).content.decode()
    assert "Geef de stagiair een sleutel" in page and "Maak tijd voor een uitgebreide kennismaking." in page

    stage = StageFactory(leerbedrijf=world.a, werkplekbegeleider=world.wpb)
    own = stage.onboarding_items.get(template_item=template)
    assert own.phase == OnboardingPhase.EERSTE_DAG and own.responsible == world.wpb and own.due_date == stage.start_date
    assert stage.onboarding_items.exclude(gids_key="").count() == len(GIDS_ITEMS)
    assert not world.stage.onboarding_items.filter(template_item=template).exists()

    client.post(reverse("leerbedrijf:onboarding_template_delete", args=[world.a.pk, template.pk]))
    assert not OnboardingTemplateItem.objects.filter(pk=template.pk).exists()
    own.refresh_from_db()
    assert own.text == "Geef de stagiair een sleutel", "a stage keeps the item it had"


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({"phase": "eerste_dag", "text": "   "}, "Dit veld is verplicht."),
        ({"phase": "eerste_week", "text": "toolbox veilig werken op hoogte"}, "Deze actie staat al in deze fase."),
        ({"phase": "later", "text": "Iets"}, "Selecteer een geldige keuze."),
    ],
)
def test_bad_company_item_is_not_saved(client, world, data, error):
    client.force_login(world.opleider)
    response = client.post(
        reverse("leerbedrijf:onboarding_template", args=[world.a.pk]), {**data, "responsible": "praktijkopleider"}
    )
    assert response.status_code == 200
    assert error in response.content.decode()
    assert OnboardingTemplateItem.objects.count() == 1


def test_progress_on_the_stage_page(client, world):
    for item in world.stage.onboarding_items.all()[:3]:
        item.set_done(by=world.opleider)
    client.force_login(world.wpb)
    page = client.get(reverse("leerbedrijf:stage", args=[world.stage.pk])).content.decode()
    assert "3 van 13 gedaan" in page and "10 te laat" in page
    client.force_login(world.mbo)
    page = client.get(reverse("leerbedrijf:stage", args=[world.stage.pk])).content.decode()
    assert "gedaan" not in page, "the school is not shown the onboarding"


def test_start_pages_show_late_items_and_own_items(client, world):
    future = StageFactory(
        leerbedrijf=world.a,
        werkplekbegeleider=world.wpb,
        start_date=date.today() + timedelta(days=30),
        end_date=date.today() + timedelta(days=200),
    )
    client.force_login(world.opleider)
    page = client.get(reverse("start")).content.decode()
    assert "Onboarding: 13 acties te laat" in page
    assert reverse("leerbedrijf:onboarding", args=[world.stage.pk]) in page

    client.force_login(world.wpb)
    page = client.get(reverse("start")).content.decode()
    open_items = OnboardingItem.objects.open().filter(responsible=world.wpb).count()
    assert open_items == 2 * 7
    # One line a stage, each a link that says what and for whom.
    for stage in (world.stage, future):
        assert f"Onboarding: 7 acties voor u — {escape(stage.stagiair.name)}</a>" in page
        assert reverse("leerbedrijf:onboarding", args=[stage.pk]) in page

    client.force_login(world.stagiair)
    page = client.get(reverse("start")).content.decode()
    assert "acties voor u" not in page and "0 van 13 gedaan" in page


def test_onboarding_page_queries_do_not_grow_with_items(client, world, django_assert_num_queries):
    stage = StageFactory(leerbedrijf=world.a, werkplekbegeleider=world.wpb)
    url = reverse("leerbedrijf:onboarding", args=[stage.pk])
    client.force_login(world.opleider)

    def items(n):
        OnboardingItem.objects.filter(stage=stage).delete()
        OnboardingItem.objects.bulk_create(
            OnboardingItem(
                stage=stage,
                phase="eerste_dag",
                custom_text=f"actie {i}",
                responsible=world.wpb,
                due_date=stage.start_date,
            )
            for i in range(n)
        )

    items(1)
    client.get(url)
    with django_assert_num_queries(7) as one:  # with the header's count of unread notifications
        assert "0 van 1 gedaan" in client.get(url).content.decode()
    items(50)
    with django_assert_num_queries(len(one.captured_queries)):
        assert "0 van 50 gedaan" in client.get(url).content.decode()
