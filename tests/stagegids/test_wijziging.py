"""The one audit trail (stagegids.Wijziging): one call to write, one way to read, the same trail on every page."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse

from beoordeling.beoordelingen.models import BeoordelingAction
from beoordeling.gesprekken.models import GesprekAction
from stagegids.models import Wijziging
from stageplan.models import LeerdoelAction
from tests.beoordeling.test_gesprekken import NOTES
from tests.stageplan.test_stageplan import leerdoel_data


def test_an_entry_names_who_when_what_and_in_which_role(world):
    entry = world.beoordeling.log_action(BeoordelingAction.SIGNED, by=world.stagiair, data={"side": "stagiair"})
    entry.refresh_from_db()
    assert (entry.content_object, entry.stage_id, entry.user, entry.role) == (
        world.beoordeling,
        world.stage.pk,
        world.stagiair,
        "stagiair",
    )
    assert entry.label == "Ondertekend door stagiair"
    assert entry in Wijziging.objects.for_object(world.beoordeling)
    assert entry in Wijziging.objects.for_stage(world.stage)
    assert not Wijziging.objects.for_stage(world.stage_b).exists()


def test_the_trail_of_a_stage_gathers_every_app(client, world):
    client.force_login(world.wpb)
    client.post(reverse("beoordeling:gesprek_notes", args=[world.moment.pk]), {"version": 1, **NOTES})
    client.force_login(world.stagiair)
    edit = reverse("stageplan:leerdoel_edit", kwargs={"pk": world.stage.pk, "leerdoel_pk": world.leerdoel.pk})
    client.post(edit, leerdoel_data(world, title="Leidingen aanleggen", status="bezig"))
    objects = {entry.content_object for entry in Wijziging.objects.for_stage(world.stage)}
    assert {world.gesprek, world.leerdoel, world.beoordeling} <= objects


def test_a_saved_field_keeps_its_old_and_new_value(client, world):
    client.force_login(world.wpb)
    url = reverse("beoordeling:gesprek_notes", args=[world.moment.pk])
    client.post(url, {"version": 1, **NOTES})
    client.post(url, {"version": 2, **NOTES, "notes_goed": "Nog beter"})
    first, second = Wijziging.objects.for_object(world.gesprek).filter(action=GesprekAction.NOTES_SAVED)
    assert first.changes["notes_goed"] == ["", NOTES["notes_goed"]]
    assert second.changes == {"notes_goed": [NOTES["notes_goed"], "Nog beter"]}, "unchanged fields are left out"
    assert (second.user, second.role) == (world.wpb, "werkplekbegeleider")


def test_the_gesprek_page_shows_who_in_which_role(client, world):
    client.force_login(world.wpb)
    client.post(reverse("beoordeling:gesprek_notes", args=[world.moment.pk]), {"version": 1, **NOTES})
    page = client.get(reverse("beoordeling:gesprek", args=[world.moment.pk])).content.decode()
    assert "Willem Begeleider (werkplekbegeleider / praktijkbegeleider) · notities bewaard" in page


def test_a_leerdoel_status_step_and_its_history_page(client, world):
    client.force_login(world.opleider)
    edit = reverse("stageplan:leerdoel_edit", kwargs={"pk": world.stage.pk, "leerdoel_pk": world.leerdoel.pk})
    client.post(edit, leerdoel_data(world, title="Leidingen aanleggen", status="bezig"))
    step = world.leerdoel.status_history().get()
    assert (step.changes, step.user, step.role) == (
        {"status": ["gepland", "bezig"]},
        world.opleider,
        "praktijkopleider",
    )
    page = client.get(world.leerdoel.get_absolute_url()).content.decode()
    assert "bezig (Olga Opleider, praktijkopleider)" in page


def test_an_account_that_is_gone_leaves_its_entries(client, world):
    world.leerdoel.status = "bezig"
    world.leerdoel.record_status(old="gepland", by=world.wpb)
    world.wpb.delete()
    step = world.leerdoel.status_history().get()
    assert (step.user, step.role, step.label) == (None, "werkplekbegeleider", "bezig")
    client.force_login(world.opleider)
    page = client.get(world.leerdoel.get_absolute_url()).content.decode()
    assert "bezig (–, werkplekbegeleider / praktijkbegeleider)" in page


def test_a_deleted_object_takes_its_trail_along(world):
    world.leerdoel.record_status(old=None, by=world.stagiair)
    pk = world.leerdoel.pk
    world.leerdoel.delete()
    assert not Wijziging.objects.filter(action=LeerdoelAction.STATUS, object_id=pk).exists()


def test_an_action_is_registered_once_with_one_meaning(world):
    with pytest.raises(ValueError, match="Unregistered"):
        Wijziging.log(world.leerdoel, "made_up", user=world.opleider)
    with pytest.raises(ImproperlyConfigured):
        Wijziging.register_actions({GesprekAction.NOTES_SAVED: "iets anders"})
    Wijziging.register_actions({GesprekAction.NOTES_SAVED: GesprekAction.NOTES_SAVED.label})


def test_the_other_partys_answers_stay_hidden_in_the_trail_until_the_reveal(client, world):
    b = world.beoordeling
    b.log_action(
        BeoordelingAction.ANSWERS_SAVED, by=world.opleider, data={"party": "praktijkopleider", "lines": ["X: goed"]}
    )
    client.force_login(world.stagiair)
    page = client.get(reverse("beoordeling:detail", args=[b.pk])).content.decode()
    assert "Antwoorden praktijkopleider opgeslagen" in page and "X: goed" not in page
    client.force_login(world.opleider)
    assert "X: goed" in client.get(reverse("beoordeling:detail", args=[b.pk])).content.decode()


def test_the_role_is_the_one_held_on_the_stage(world):
    stage = world.stage
    assert [stage.role_of(p) for p in (world.stagiair, world.opleider, world.beoordelaar, world.wpb, world.mbo)] == [
        "stagiair",
        "praktijkopleider",
        "praktijkbeoordelaar",
        "werkplekbegeleider",
        "mbo_begeleider",
    ]
    stage.werkplekbegeleider = world.hybride
    assert (stage.role_of(world.hybride), stage.role_of(world.wpb_other)) == ("hybride_techniekopleider", "")
