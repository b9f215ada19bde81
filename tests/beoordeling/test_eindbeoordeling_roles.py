"""Who fills in, concludes and signs each kind of eindbeoordeling (gids ch. 9), through the pages: the praktijkopleider
fills in the bpv-beoordeling (or the beoordelaar assigned to the stage, its praktijkbeoordelaar) and discusses it
with the stagiair and the mbo-begeleider, who writes the school's part; the pvb is the praktijkbeoordelaar's."""

import pytest
from django.urls import reverse

from beoordeling.beoordelingen.models import Beoordeling, BeoordelingAction, BeoordelingState, Party
from beoordeling.beoordelingen.verslagen import EINDBEOORDELING
from leerbedrijf.models import Stage
from stagegids.models import Wijziging
from tests.beoordeling.test_beoordeling import fill, page
from tests.confirm import CONFIRMED


def start(client, user, stage, kind):
    client.force_login(user)
    return client.post(reverse("beoordeling:start", args=[stage.pk]), {"kind": kind})


def conclude(client, user, beoordeling, **data):
    client.force_login(user)
    revision = Beoordeling.objects.get(pk=beoordeling.pk).revision
    return client.post(
        reverse("beoordeling:conclude", args=[beoordeling.pk]), {"revision": revision, "uitkomst": "behaald", **data}
    )


def sign(client, user, beoordeling):
    client.force_login(user)
    return client.post(reverse("beoordeling:sign", args=[beoordeling.pk]), CONFIRMED)


@pytest.mark.parametrize("with_beoordelaar", [True, False])
def test_the_praktijkopleider_fills_concludes_and_signs_the_bpv_beoordeling(client, world, with_beoordelaar):
    if not with_beoordelaar:
        Stage.objects.filter(pk=world.stage.pk).update(praktijkbeoordelaar=None)
    assert start(client, world.opleider, world.stage, "bpv").status_code == 302
    bpv = Beoordeling.objects.get(kind="bpv")
    assert bpv.parties == (Party.LEERBEDRIJF,)
    assert fill(client, world.opleider, bpv, note="Sluit zelfstandig een groep aan").status_code == 302
    bpv.refresh_from_db()
    assert bpv.state == BeoordelingState.GESPREK
    assert conclude(client, world.opleider, bpv, observaties_beoordelaar="Werkt veilig").status_code == 302
    assert sign(client, world.opleider, bpv).status_code == 302
    assert sign(client, world.stagiair, bpv).status_code == 302
    bpv.refresh_from_db()
    assert bpv.state == BeoordelingState.ONDERTEKEND and bpv.uitkomst == "behaald"
    assert bpv.bedrijf_signed_by == world.opleider and bpv.stagiair_signed_by == world.stagiair
    html = page(client, world.mbo, bpv)
    assert "Sluit zelfstandig een groep aan" in html and "Observaties van het leerbedrijf" in html
    assert {w.role for w in Wijziging.objects.for_object(bpv).filter(user=world.opleider)} == {"praktijkopleider"}


def test_the_stages_praktijkbeoordelaar_may_fill_and_sign_the_bpv_beoordeling_in_his_own_role(client, world):
    assert start(client, world.beoordelaar, world.stage, "bpv").status_code == 302
    bpv = Beoordeling.objects.get(kind="bpv")
    assert fill(client, world.beoordelaar, bpv).status_code == 302
    assert conclude(client, world.beoordelaar, bpv).status_code == 302
    assert sign(client, world.beoordelaar, bpv).status_code == 302
    bpv.refresh_from_db()
    assert bpv.bedrijf_signed_by == world.beoordelaar
    roles = {w.role for w in Wijziging.objects.for_object(bpv).filter(user=world.beoordelaar)}
    assert roles == {"praktijkbeoordelaar"}
    assert "<li>Leerbedrijf:" in page(client, world.opleider, bpv)


def test_a_praktijkbeoordelaar_of_another_stage_does_not_fill_this_bpv_beoordeling(client, world):
    Stage.objects.filter(pk=world.stage.pk).update(praktijkbeoordelaar=None)
    assert start(client, world.beoordelaar, world.stage, "bpv").status_code == 404
    start(client, world.opleider, world.stage, "bpv")
    bpv = Beoordeling.objects.get(kind="bpv")
    client.force_login(world.beoordelaar)
    assert client.get(reverse("beoordeling:fill", args=[bpv.pk])).status_code == 404


def test_the_pvb_is_filled_concluded_and_signed_by_the_praktijkbeoordelaar_alone(client, world):
    assert start(client, world.opleider, world.stage, "pvb").status_code == 403
    assert not Beoordeling.objects.filter(kind="pvb").exists()
    assert start(client, world.beoordelaar, world.stage, "pvb").status_code == 302
    pvb = Beoordeling.objects.get(kind="pvb")
    fill(client, world.beoordelaar, pvb)
    client.force_login(world.opleider)
    for name in ("fill", "conclude", "correct"):
        assert client.get(reverse(f"beoordeling:{name}", args=[pvb.pk])).status_code == 403, name
    assert conclude(client, world.opleider, pvb).status_code == 403
    assert sign(client, world.opleider, pvb).status_code == 403
    html = page(client, world.opleider, pvb)
    assert "Conclusie invullen" not in html and "Ondertekenen" not in html
    assert conclude(client, world.beoordelaar, pvb, observaties_beoordelaar="Veilig gewerkt").status_code == 302
    sign(client, world.beoordelaar, pvb)
    sign(client, world.stagiair, pvb)
    pvb.refresh_from_db()
    assert pvb.state == BeoordelingState.ONDERTEKEND and pvb.bedrijf_signed_by == world.beoordelaar
    assert "Observaties van de praktijkbeoordelaar" in page(client, world.stagiair, pvb)


def test_the_praktijkopleider_does_not_open_a_pvb_before_the_praktijkbeoordelaar_hands_it_in(client, world):
    start(client, world.beoordelaar, world.stage, "pvb")
    pvb = Beoordeling.objects.get(kind="pvb")
    assert "Gesprek openen" not in page(client, world.opleider, pvb)
    response = client.post(reverse("beoordeling:open_gesprek", args=[pvb.pk]), follow=True)
    assert "begint zodra het formulier is ingeleverd" in response.text
    pvb.refresh_from_db()
    assert pvb.state == BeoordelingState.INVULLEN
    assert sign(client, world.stagiair, pvb).status_code == 302
    pvb.refresh_from_db()
    assert pvb.stagiair_signed_at is None


def test_the_start_page_offers_each_person_the_kinds_they_fill(client, world):
    def offered(user):
        client.force_login(user)
        html = client.get(reverse("beoordeling:stage", args=[world.stage.pk])).content.decode()
        return {kind for kind in ("tussenbeoordeling", "bpv", "pvb") if f'<option value="{kind}">' in html}

    assert offered(world.opleider) == {"tussenbeoordeling", "bpv"}
    assert offered(world.beoordelaar) == {"bpv", "pvb"}
    client.force_login(world.opleider)
    html = client.get(reverse("beoordeling:stage", args=[world.stage.pk])).content.decode()
    assert "Een proeve van bekwaamheid (pvb) start en vult de praktijkbeoordelaar van de stage in." in html


def test_the_verslag_names_the_role_the_company_signed_in(client, world):
    start(client, world.opleider, world.stage, "bpv")
    bpv = Beoordeling.objects.get(kind="bpv")
    fill(client, world.beoordelaar, bpv)
    conclude(client, world.opleider, bpv)
    sign(client, world.opleider, bpv)
    sign(client, world.stagiair, bpv)
    bpv.refresh_from_db()
    draft = EINDBEOORDELING.build(bpv)
    assert [(s["role"], s["name"]) for s in draft.signatures] == [
        ("praktijkopleider, namens het leerbedrijf", world.opleider.name),
        ("stagiair", world.stagiair.name),
    ]
    assert draft.context["columns"] == ["leerbedrijf"]

    start(client, world.beoordelaar, world.stage, "pvb")
    pvb = Beoordeling.objects.get(kind="pvb")
    fill(client, world.beoordelaar, pvb)
    conclude(client, world.beoordelaar, pvb)
    sign(client, world.beoordelaar, pvb)
    sign(client, world.stagiair, pvb)
    pvb.refresh_from_db()
    [company, _stagiair] = EINDBEOORDELING.build(pvb).signatures
    assert (company["role"], company["name"]) == ("praktijkbeoordelaar, namens het leerbedrijf", world.beoordelaar.name)
    assert Wijziging.objects.for_object(pvb).filter(action=BeoordelingAction.SIGNED_BY_BOTH).count() == 1
