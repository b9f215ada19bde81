import pytest
from django.contrib.auth import get_user_model

import leerbedrijf.demo
from leerbedrijf.models import Erkenning, ErkenningCheck, Kerntaak, Werkproces


@pytest.fixture
def demo(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    leerbedrijf.demo.load()


def counts():
    return [model.objects.count() for model in (Erkenning, ErkenningCheck, Kerntaak, Werkproces)] + [
        ErkenningCheck.objects.filter(done=True).count()
    ]


def test_demo_erkenningen_in_every_state_and_loading_twice_changes_nothing(demo):
    before = counts()
    leerbedrijf.demo.load()
    assert counts() == before
    demo_company = Erkenning.objects.filter(leerbedrijf__kvk_nummer="12345678")
    assert set(demo_company.values_list("status", flat=True)) == {"erkend", "aangevraagd", "in_voorbereiding"}
    assert set(demo_company.values_list("kwalificatie__crebo", flat=True)) == {"25333", "25349", "25308", "25282"}
    done = ErkenningCheck.objects.filter(erkenning__in=demo_company, done=True).count()
    assert 0 < done < ErkenningCheck.objects.filter(erkenning__in=demo_company).count()
    assert not Werkproces.objects.filter(is_example=False).exists(), "all demo werkprocessen are marked as examples"


def test_demo_shows_example_werkprocessen_as_voorbeelddata(demo, client):
    client.force_login(get_user_model().objects.get(email="praktijkopleider@installatiebedrijf-demo.nl"))
    erkenning = Erkenning.objects.get(leerbedrijf__kvk_nummer="12345678", kwalificatie__crebo="25333")
    page = client.get(erkenning.get_absolute_url()).content.decode()
    assert "P1-K1-W1" in page and "voorbeelddata" in page
    start = client.get("/").content.decode()
    assert "herbeoordeling door SBB is uiterlijk" in start
    assert "maar daarvoor is het bedrijf niet erkend" in start
