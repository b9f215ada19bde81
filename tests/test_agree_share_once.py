"""Akkoord on a stageplan version, sharing a verslag, the school's oordeel and the besluit over a kandidaat happen
once however often or however many at once click, and the second click says it was already done (issue 13)."""

import pytest
from django.urls import reverse

from leerbedrijf.intake import views as intake_views
from leerbedrijf.models import Kandidaat
from stagemap.models import Verslag, VerslagComment
from stagemap.signals import document_finished
from stageplan.models import StageplanVersion
from tests.test_confirm_steps import in_parallel, postgres_only


def agree_url(world):
    return reverse("stageplan:agree", args=[world.stage.pk, world.stageplan.version])


def latest(world):
    return StageplanVersion.objects.get(stageplan=world.stageplan, number=world.stageplan.version)


class Finished:
    """Counts the verslagen asked for: document_finished, sent once a version is agreed by both."""

    def __init__(self):
        self.stages = []

    def __call__(self, sender, **kwargs):
        self.stages.append(kwargs["stage_id"])

    def __enter__(self):
        document_finished.connect(self, sender=StageplanVersion, weak=False)
        return self.stages

    def __exit__(self, *exc):
        document_finished.disconnect(self, sender=StageplanVersion)


def test_a_second_akkoord_click_changes_nothing_and_says_it_was_done(client, world):
    client.force_login(world.stagiair)
    client.post(agree_url(world))
    agreed_at = latest(world).agreed_by_stagiair_at
    response = client.post(agree_url(world), follow=True)
    assert f"Versie {world.stageplan.version} was al door u afgestemd op" in response.text
    assert "er is niets gewijzigd" in response.text
    assert latest(world).agreed_by_stagiair_at == agreed_at


def test_akkoord_after_both_agreed_asks_no_second_verslag(client, world):
    client.force_login(world.stagiair)
    client.post(agree_url(world))
    client.force_login(world.opleider)
    with Finished() as finished:
        client.post(agree_url(world))
        response = client.post(agree_url(world), follow=True)
    assert finished == [world.stage.pk]
    assert "was al door u afgestemd" in response.text


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_parallel_akkoord_agrees_once_and_asks_one_verslag(world):
    with Finished() as finished:
        responses = in_parallel(
            *[(world.stagiair, agree_url(world), {})] * 2, *[(world.opleider, agree_url(world), {})] * 2
        )
    version = latest(world)
    assert version.agreed_by_stagiair_at and version.agreed_by_opleider_at
    assert finished == [world.stage.pk]
    said = [r.text for r in responses]
    assert sum("was al door u afgestemd" in text for text in said) == 2
    assert sum("is afgestemd door stagiair en praktijkopleider" in text for text in said) == 1


# --- a verslag shared with the school, and the school's oordeel -----------------------------------------------------


def share_url(world):
    return reverse("stagemap:verslag_share", args=[world.verslag.pk])


def review_url(world):
    return reverse("stagemap:verslag_review", args=[world.verslag.pk])


REVIEW = {"review": "akkoord", "text": "Prima verslag."}


def test_a_second_share_click_keeps_the_first_sharing_time_and_says_it_was_done(client, world):
    client.force_login(world.opleider)
    client.post(share_url(world), {"share": "1"})
    shared_at = Verslag.objects.get(pk=world.verslag.pk).shared_at
    response = client.post(share_url(world), {"share": "1"}, follow=True)
    assert "Dit verslag was al gedeeld door Olga Opleider op" in response.text
    assert "er is niets gewijzigd" in response.text
    assert Verslag.objects.get(pk=world.verslag.pk).shared_at == shared_at, "the school's reminder counts from it"


def test_a_second_oordeel_click_changes_nothing_and_says_it_was_given(client, world):
    world.verslag.share(by=world.opleider)
    client.force_login(world.mbo)
    client.post(review_url(world), REVIEW)
    response = client.post(review_url(world), {"review": "wijziging", "text": "Toch niet."}, follow=True)
    assert "gaf op" in response.text and "al een oordeel (akkoord); er is niets gewijzigd." in response.text
    assert Verslag.objects.get(pk=world.verslag.pk).review == "akkoord"
    assert list(VerslagComment.objects.values_list("text", flat=True)) == ["Prima verslag."]
    assert 'action="' + review_url(world) + '"' not in response.text, "the judged verslag offers no second oordeel"


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_parallel_share_shares_once(world):
    responses = in_parallel(*[(world.opleider, share_url(world), {"share": "1"})] * 4)
    said = [r.text for r in responses]
    assert sum("Het verslag is gedeeld met" in text for text in said) == 1
    assert sum("Dit verslag was al gedeeld door Olga Opleider" in text for text in said) == 3


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_parallel_oordeel_is_given_once_with_one_comment(world):
    world.verslag.share(by=world.opleider)
    responses = in_parallel(*[(world.mbo, review_url(world), REVIEW)] * 4)
    assert VerslagComment.objects.filter(verslag=world.verslag).count() == 1
    said = [r.text for r in responses]
    assert sum("Uw oordeel is opgeslagen." in text for text in said) == 1
    assert sum("al een oordeel (akkoord)" in text for text in said) == 3


# --- the besluit over a kandidaat ----------------------------------------------------------------------------------


def besluit_url(kandidaat):
    return reverse("leerbedrijf:kandidaat_besluit", args=[kandidaat.pk])


REJECT = {"besluit": "niet_aangenomen", "reden": "Wij bieden geen zonnepanelen."}
ACCEPT = {"besluit": "aangenomen", "reden": "Past goed."}


def test_a_second_besluit_changes_nothing_and_says_what_was_decided(client, world):
    client.force_login(world.opleider)
    client.post(besluit_url(world.kandidaat), REJECT)
    response = client.post(besluit_url(world.kandidaat), ACCEPT, follow=True)
    assert "Over deze kandidaat was al besloten op" in response.text
    assert "niet aangenomen; er is niets gewijzigd." in response.text
    kandidaat = Kandidaat.objects.get(pk=world.kandidaat.pk)
    assert (kandidaat.besluit, kandidaat.besluit_reden) == ("niet_aangenomen", REJECT["reden"])


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_parallel_besluiten_decide_once(world):
    url = besluit_url(world.kandidaat)
    responses = in_parallel(*[(world.opleider, url, REJECT)] * 2, *[(world.opleider, url, ACCEPT)] * 2)
    kandidaat = Kandidaat.objects.get(pk=world.kandidaat.pk)
    said = [r.text for r in responses]
    decided = [text for text in said if "was al besloten" not in text]
    assert len(decided) == 1, "one besluit is taken, the other three are told so"
    winner = "is aangenomen: vul nu de intake in" if kandidaat.besluit == "aangenomen" else "Het besluit is vastgelegd"
    assert winner in decided[0]
    assert kandidaat.besluit_reden == (ACCEPT if kandidaat.besluit == "aangenomen" else REJECT)["reden"]


def test_an_edit_racing_a_rejection_does_not_write_the_erased_data_back(client, world, monkeypatch):
    kandidaat = world.kandidaat
    is_valid = intake_views.KandidaatForm.is_valid

    def rejected_meanwhile(form):
        # A colleague's rejection lands between the edit's "still open?" and its save.
        valid = is_valid(form)
        Kandidaat.objects.get(pk=kandidaat.pk).decide(besluit="niet_aangenomen", reden=REJECT["reden"])
        return valid

    monkeypatch.setattr(intake_views.KandidaatForm, "is_valid", rejected_meanwhile)
    client.force_login(world.opleider)
    response = client.post(
        kandidaat.get_absolute_url(),
        {"name": kandidaat.name, "email": "kees@example.nl", "motivatie": "Techniek!", "leerwensen_geboden": ""},
        follow=True,
    )
    assert "Over deze kandidaat was al besloten op" in response.text
    kandidaat.refresh_from_db()
    assert (kandidaat.besluit, kandidaat.email, kandidaat.motivatie) == ("niet_aangenomen", "", "")
