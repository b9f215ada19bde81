"""A stage's sections come from a registry that each app adds to; a link is shown exactly to whom its page opens."""

import re

import pytest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from leerbedrijf.models import OnboardingItem, Stage
from stagegids import sections
from stagegids.sections import Section, sections_for
from tests.conftest import PERSONAS

ALL = [
    "stage", "stageplan", "planning", "voortgangsbeeld", "gesprekken", "zorgen", "observaties", "beoordelingen",
    "onboarding", "uren", "stagemap",
]  # fmt: skip


def _names(links):
    return [link.name for link in links]


def test_each_role_gets_its_sections_in_order(world):
    # The tegemoetkomingen are the company's application: its praktijkopleider and the stage's werkplekbegeleider.
    assert _names(sections_for(world.opleider, world.stage)) == [*ALL, "tegemoetkomingen"]
    assert _names(sections_for(world.stagiair, world.stage)) == ALL
    assert _names(sections_for(world.wpb, world.stage)) == [
        *(name for name in ALL if name != "beoordelingen"),
        "tegemoetkomingen",
    ]
    assert _names(sections_for(world.beoordelaar, world.stage)) == [name for name in ALL if name != "onboarding"]
    # The school reads the agreed version of the plan, never the plan itself, and no gesprekken or onboarding; of
    # the planning the moments it takes part in; of the zorgen the ones shared with it.
    assert _names(sections_for(world.mbo, world.stage)) == [
        "stage", "planning_school", "zorgen", "gedeeld_stageplan", "beoordelingen", "stagemap"
    ]  # fmt: skip


def test_a_list_of_stages_leaves_out_the_overview_and_the_onboarding(world):
    names = _names(sections_for(world.opleider, world.stage, compact=True))
    assert names == [name for name in [*ALL, "tegemoetkomingen"] if name not in {"stage", "onboarding"}]


@pytest.mark.parametrize("persona", PERSONAS)
def test_a_section_is_linked_exactly_when_its_page_opens(client, world, persona):
    user = getattr(world, persona)
    client.force_login(user)
    # The sections are shown on a stage the user sees; of a stage they do not see, no section opens.
    sees = Stage.objects.visible_to(user).filter(pk=world.stage.pk).exists()
    shown = {link.name for link in sections_for(user, world.stage)} if sees else set()
    for section in sections._sections.values():
        status = client.get(section.url_for(world.stage)).status_code
        if section.name in shown:
            assert status == 200, (section.name, status)
        elif not (section.unless and user.has_perm(section.unless, world.stage)):
            assert status in {403, 404}, (section.name, status)


def test_a_new_chapter_adds_a_section_without_touching_the_template(client, world, monkeypatch):
    monkeypatch.setitem(
        sections._sections,
        "uren",
        Section(
            "uren",
            _("Uren"),
            lambda stage: f"/stages/{stage.pk}/uren/",
            permission="leerbedrijf.view_pay",
            order=75,
        ),
    )
    url = reverse("leerbedrijf:stage", args=[world.stage.pk])
    client.force_login(world.opleider)
    page = client.get(url).content.decode()
    links = re.findall(r'<li class="nav-item"><a class="nav-link[^"]*"[^>]* href="([^"]+)">([^<]+)</a></li>', page)
    labels = [label for _href, label in links]
    assert labels[labels.index("Onboarding") :][:3] == ["Onboarding", "Uren", "Stagemap"]
    assert (f"/stages/{world.stage.pk}/uren/", "Uren") in links
    client.force_login(world.wpb)
    assert "/uren/" not in client.get(url).content.decode()
    client.force_login(world.opleider)
    assert f'<li class="list-inline-item"><a href="/stages/{world.stage.pk}/uren/">Uren</a></li>' in (
        client.get(reverse("start_panel", args=["stages"])).content.decode()  # the folded panel, opened
    )


def test_the_start_page_asks_the_onboarding_rule(client, world):
    """Whoever holds an item of a stage's onboarding may open it (leerbedrijf.view_onboarding), so the start page
    links it for them too: it used to decide by a copy of the rule that had left them out."""
    client.force_login(world.beoordelaar)
    onboarding = reverse("leerbedrijf:onboarding", args=[world.stage.pk])
    assert client.get(onboarding).status_code == 403
    assert f'href="{onboarding}"' not in client.get(reverse("start")).content.decode()
    OnboardingItem.objects.filter(pk=world.onboarding_item.pk).update(responsible=world.beoordelaar)
    assert client.get(onboarding).status_code == 200
    assert f'href="{onboarding}"' in client.get(reverse("start")).content.decode()
    assert f'href="{onboarding}"' in client.get(reverse("leerbedrijf:stage", args=[world.stage.pk])).content.decode()
