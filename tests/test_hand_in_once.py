"""Handing in happens once however often or however many at once click, and the second click says it was done:
the beoordeling form (inleveren), the zelfreflectie and the evaluatie (indienen). Issue 13."""

import pytest
from django.urls import reverse

from beoordeling.beoordelingen.models import BeoordelingAction, Invulling
from beoordeling.evaluatie.models import Evaluatie
from beoordeling.gesprekken.models import GesprekAction, Voortgangsgesprek
from stagegids.models import Wijziging
from tests.beoordeling.test_beoordeling import fill_data
from tests.beoordeling.test_gesprekken import REFLECTIE, evaluatie_data
from tests.test_confirm_steps import in_parallel, postgres_only


def form_post(world):
    b = world.beoordeling
    invulling = Invulling.objects.get(beoordeling=b, party=b.party_of(world.opleider))
    return reverse("beoordeling:fill", args=[b.pk]), fill_data(b, invulling)


def submitted_forms(world):
    trail = Wijziging.objects.for_object(world.beoordeling)
    return trail.filter(action=BeoordelingAction.FORM_SUBMITTED).count()


def test_a_second_inleveren_click_changes_nothing_and_says_it_was_done(client, world):
    url, data = form_post(world)
    client.force_login(world.opleider)
    client.post(url, data)
    invulling = Invulling.objects.get(beoordeling=world.beoordeling, submitted_at__isnull=False)
    response = client.post(url, data, follow=True)
    assert "Dit formulier was al ingeleverd door Olga Opleider op" in response.text
    assert "er is niets gewijzigd" in response.text
    assert Invulling.objects.get(pk=invulling.pk).submitted_at == invulling.submitted_at
    assert submitted_forms(world) == 1


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_parallel_inleveren_hands_in_once(world):
    url, data = form_post(world)
    responses = in_parallel(*[(world.opleider, url, data)] * 4)
    assert submitted_forms(world) == 1
    said = [r.text for r in responses]
    assert sum("Het formulier is ingeleverd." in text for text in said) == 1
    assert sum("Dit formulier was al ingeleverd door Olga Opleider" in text for text in said) == 3


def reflectie_post(world):
    return reverse("beoordeling:zelfreflectie", args=[world.moment.pk]), {"version": 1, "submit": "1", **REFLECTIE}


def reflectie_trail(world):
    return Wijziging.objects.for_object(world.gesprek).exclude(action=GesprekAction.AFSPRAAK_ADDED)


def test_a_second_zelfreflectie_indienen_changes_nothing_and_says_it_was_done(client, world):
    url, data = reflectie_post(world)
    client.force_login(world.stagiair)
    client.post(url, data)
    response = client.post(url, data, follow=True)
    assert "Je zelfreflectie was al ingediend op" in response.text and "er is niets gewijzigd" in response.text
    assert list(reflectie_trail(world).values_list("action", flat=True)) == [GesprekAction.REFLECTIE_SUBMITTED]


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_parallel_zelfreflectie_indienen_submits_once(world):
    url, data = reflectie_post(world)
    responses = in_parallel(*[(world.stagiair, url, data)] * 4)
    assert Voortgangsgesprek.objects.get(moment=world.moment).reflectie_submitted
    assert list(reflectie_trail(world).values_list("action", flat=True)) == [GesprekAction.REFLECTIE_SUBMITTED]
    said = [r.text for r in responses]
    assert sum("Je zelfreflectie is ingediend. Je begeleider kan hem nu lezen." in text for text in said) == 1
    assert sum("Je zelfreflectie was al ingediend op" in text for text in said) == 3


def evaluatie_post(world):
    return reverse("beoordeling:evaluatie_fill", args=[world.stage.pk]), evaluatie_data(submit="1")


def evaluatie_trail(world):
    return Wijziging.objects.for_object(Evaluatie.objects.get(stage=world.stage)).values_list("action", flat=True)


def test_a_second_evaluatie_indienen_changes_nothing_and_says_it_was_done(client, world):
    url, data = evaluatie_post(world)
    client.force_login(world.stagiair)
    client.post(url, data)
    response = client.post(url, data, follow=True)
    assert "Je evaluatie was al ingediend op" in response.text and "er is niets gewijzigd" in response.text
    assert list(evaluatie_trail(world)) == [GesprekAction.EVALUATIE_SUBMITTED]


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_parallel_evaluatie_indienen_submits_once(world):
    url, data = evaluatie_post(world)
    Evaluatie.shown_for(world.stage).ensure_saved()  # the row exists before the clicks, as after a first save
    responses = in_parallel(*[(world.stagiair, url, data)] * 4)
    assert list(evaluatie_trail(world)) == [GesprekAction.EVALUATIE_SUBMITTED]
    said = [r.text for r in responses]
    assert sum("Je evaluatie is ingediend. Dank je wel!" in text for text in said) == 1
    assert sum("Je evaluatie was al ingediend op" in text for text in said) == 3
