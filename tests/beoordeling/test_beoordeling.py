"""Tussenbeoordeling and eindbeoordeling through the pages: who may fill, submit, see, sign and correct."""

import re
from unittest import mock

import pytest
from django.urls import reverse

from beoordeling.beoordelingen.models import (
    Beoordeling,
    BeoordelingAction,
    BeoordelingKind,
    BeoordelingState,
    CollegaVraag,
    Formuliersjabloon,
    Invulling,
    Party,
)
from stagegids.models import Wijziging
from stageplan.changes import save_change
from stageplan.models import MomentKind, Stageplan
from tests.confirm import CONFIRMED
from tests.factories import MomentFactory, StageFactory, StagiairFactory
from tests.queries import count_queries


def fill_data(beoordeling, invulling, score="voldoende", note="", submit=True, scores=None):
    data = {"revision": invulling.revision}
    for criterium in beoordeling.criteria.all():
        data[f"score_{criterium.pk}"] = (scores or {}).get(criterium.pk, score)
        data[f"toelichting_{criterium.pk}"] = note
    data["submit" if submit else "save"] = "1"
    return data


def fill(client, user, beoordeling, **kwargs):
    client.force_login(user)
    invulling = Invulling.objects.get(beoordeling=beoordeling, party=beoordeling.party_of(user))
    return client.post(reverse("beoordeling:fill", args=[beoordeling.pk]), fill_data(beoordeling, invulling, **kwargs))


def page(client, user, beoordeling):
    client.force_login(user)
    response = client.get(reverse("beoordeling:detail", args=[beoordeling.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_default_form_has_criteria_per_werkproces_and_beroepshouding(world):
    criteria = list(world.beoordeling.criteria.all())
    labels = {c.werkproces_label for c in criteria}
    assert {str(wp) for wp in world.werkprocessen} <= labels
    houding = [c.text for c in criteria if not c.werkproces_id]
    assert "Werkt veilig" in houding and "Leert van feedback" in houding
    assert any(c.critical for c in criteria)


def test_answers_stay_hidden_from_the_other_party_until_both_hand_in(client, world):
    b = world.beoordeling
    fill(client, world.opleider, b, score="goed", note="Monteert netjes volgens tekening", submit=False)
    assert "Monteert netjes" in page(client, world.opleider, b)
    stagiair_view = page(client, world.stagiair, b)
    assert "Monteert netjes" not in stagiair_view and ": goed" not in stagiair_view
    fill(client, world.stagiair, b, score="voldoende", note="Ik vind solderen lastig", submit=True)
    assert "Ik vind solderen lastig" not in page(client, world.opleider, b)
    assert "Monteert netjes" not in page(client, world.stagiair, b)

    fill(client, world.opleider, b, score="goed", note="Monteert netjes volgens tekening", submit=True)
    b.refresh_from_db()
    assert b.state == BeoordelingState.GESPREK
    for user in (world.opleider, world.stagiair):
        html = page(client, user, b)
        assert "Monteert netjes" in html and "Ik vind solderen lastig" in html
        assert "Naast elkaar: eerst de verschillen" in html


def test_differences_come_first(client, world):
    b = world.beoordeling
    criteria = list(b.criteria.all())
    last_wp = criteria[-6]  # a werkproces criterium late in the form
    fill(client, world.opleider, b, score="voldoende")
    fill(client, world.stagiair, b, score="voldoende", scores={last_wp.pk: "goed"})
    html = page(client, world.opleider, b)
    headings = re.findall(r'<h3 class="h6">([^<]+)', html)
    assert headings[0].strip() == last_wp.werkproces_label


def test_praktijkopleider_opens_the_gesprek_and_reveals(client, world):
    b = world.beoordeling
    fill(client, world.stagiair, b, note="Mijn eigen kijk", submit=False)
    client.force_login(world.stagiair)
    assert client.post(reverse("beoordeling:open_gesprek", args=[b.pk])).status_code == 403
    client.force_login(world.opleider)
    client.post(reverse("beoordeling:open_gesprek", args=[b.pk]))
    b.refresh_from_db()
    assert b.state == BeoordelingState.GESPREK and b.opened_by == world.opleider
    assert "Mijn eigen kijk" in page(client, world.opleider, b)


def test_handing_in_needs_every_score_and_saves_nothing_otherwise(client, world):
    b = world.beoordeling
    first = b.criteria.first()
    response = fill(client, world.opleider, b, note="half", scores={first.pk: ""})
    assert response.status_code == 200
    assert "Kies een score om in te leveren." in response.content.decode()
    invulling = b.invullingen.get(party=Party.PRAKTIJKOPLEIDER)
    assert invulling.submitted_at is None and not invulling.antwoorden.exists()


def test_nvt_only_for_a_werkproces_the_company_cannot_offer(client, world):
    b = world.beoordeling
    criterium = b.criteria.filter(werkproces=world.werkprocessen[2]).first()
    response = fill(client, world.opleider, b, scores={criterium.pk: "nvt"})
    assert response.status_code == 200 and "Selecteer een geldige keuze" in response.content.decode()

    world.erkenning.unavailable_werkprocessen.add(world.werkprocessen[2])
    assert fill(client, world.opleider, b, scores={criterium.pk: "nvt"}).status_code == 302
    other = b.criteria.filter(werkproces=world.werkprocessen[0]).first()
    assert b.invullingen.get(party=Party.PRAKTIJKOPLEIDER).antwoorden.get(criterium=criterium).score == "nvt"
    assert other is not None


def test_one_onvoldoende_on_a_critical_criterium_makes_the_werkproces_onvoldoende(client, world):
    b = world.beoordeling
    critical = b.criteria.filter(werkproces=world.werkprocessen[1], critical=True).first()
    fill(client, world.opleider, b, score="goed", scores={critical.pk: "oefenen"})
    fill(client, world.stagiair, b, score="goed")
    assert "onvoldoende (kritisch criterium)" in page(client, world.opleider, b)


def conclude_and_sign(client, world, b):
    client.force_login(world.opleider)
    client.post(
        reverse("beoordeling:conclude", args=[b.pk]),
        {"revision": Beoordeling.objects.get(pk=b.pk).revision, "conclusie": "ja", "afspraken": "Vaker zelf inmeten"},
    )
    client.post(reverse("beoordeling:sign", args=[b.pk]), CONFIRMED)
    client.force_login(world.stagiair)
    client.post(reverse("beoordeling:sign", args=[b.pk]), CONFIRMED)
    b.refresh_from_db()


def test_sign_needs_a_conclusie_then_both_signatures(client, world):
    b = world.beoordeling
    fill(client, world.opleider, b)
    fill(client, world.stagiair, b)
    client.force_login(world.opleider)
    response = client.post(reverse("beoordeling:sign", args=[b.pk]), CONFIRMED, follow=True)
    assert "Vul eerst de conclusie in." in response.content.decode()
    conclude_and_sign(client, world, b)
    assert b.state == BeoordelingState.ONDERTEKEND
    assert b.bedrijf_signed_by == world.opleider and b.stagiair_signed_by == world.stagiair
    assert b.bedrijf_signed_at and b.stagiair_signed_at


def test_a_signed_beoordeling_does_not_change_and_a_correction_is_a_new_version(client, world):
    b = world.beoordeling
    fill(client, world.opleider, b)
    fill(client, world.stagiair, b)
    conclude_and_sign(client, world, b)
    signed_at = b.bedrijf_signed_at

    client.force_login(world.opleider)
    client.post(
        reverse("beoordeling:conclude", args=[b.pk]), {"revision": b.revision, "conclusie": "nee", "afspraken": "x"}
    )
    b.refresh_from_db()
    assert b.conclusie == "ja"
    client.force_login(world.stagiair)
    assert client.post(reverse("beoordeling:correct", args=[b.pk]), {"reason": "x"}).status_code == 403

    client.force_login(world.opleider)
    response = client.post(reverse("beoordeling:correct", args=[b.pk]), {"reason": "Verkeerde score bij W2"})
    new = Beoordeling.objects.get(previous=b)
    assert response.url == new.get_absolute_url()
    assert new.version == 2 and new.correction_reason == "Verkeerde score bij W2"
    assert new.state == BeoordelingState.GESPREK
    assert new.bedrijf_signed_at is None and new.stagiair_signed_at is None
    assert new.criteria.count() == b.criteria.count()
    assert new.invullingen.get(party=Party.STAGIAIR).antwoorden.count() == b.criteria.count()
    b.refresh_from_db()
    assert b.state == BeoordelingState.VERVANGEN and b.bedrijf_signed_at == signed_at and b.conclusie == "ja"
    assert "Verkeerde score bij W2" in page(client, world.stagiair, new)
    assert new.invullingen.get(party=Party.PRAKTIJKOPLEIDER).submitted_at is None
    assert fill(client, world.opleider, new, score="goed").status_code == 302
    assert new.invullingen.get(party=Party.PRAKTIJKOPLEIDER).antwoorden.filter(score="goed").exists()
    assert not b.invullingen.get(party=Party.PRAKTIJKOPLEIDER).antwoorden.filter(score="goed").exists()


def test_a_change_after_one_signature_withdraws_it(client, world):
    b = world.beoordeling
    fill(client, world.opleider, b)
    fill(client, world.stagiair, b)
    b.refresh_from_db()
    client.force_login(world.opleider)
    client.post(reverse("beoordeling:conclude", args=[b.pk]), {"revision": b.revision, "conclusie": "ja"})
    client.post(reverse("beoordeling:sign", args=[b.pk]), CONFIRMED)
    b.refresh_from_db()
    assert b.bedrijf_signed_at
    client.post(
        reverse("beoordeling:conclude", args=[b.pk]), {"revision": b.revision, "conclusie": "twijfel", "afspraken": "x"}
    )
    b.refresh_from_db()
    assert b.conclusie == "twijfel" and b.bedrijf_signed_at is None and b.bedrijf_signed_by is None
    trail = Wijziging.objects.for_object(b)
    assert trail.filter(action=BeoordelingAction.SIGNATURES_WITHDRAWN).exists()
    assert any(
        "→ twijfel" in "\n".join(w.details())
        for w in trail.filter(action=BeoordelingAction.CONCLUSIE_SAVED, user=world.opleider)
    )


def test_changing_the_form_template_never_changes_a_filled_form(client, world):
    b = world.beoordeling
    fill(client, world.opleider, b)
    before = list(b.criteria.values_list("text", flat=True))
    client.force_login(world.opleider)
    url = reverse("beoordeling:sjabloon", args=[world.stage.pk, "tussenbeoordeling"])
    response = client.get(url)
    assert response.status_code == 200
    data, criteria = sjabloon_post_data(response)
    response = client.post(url, {**data, "scale": "ovg"})
    assert response.status_code == 302
    own = Formuliersjabloon.objects.get(leerbedrijf=world.a)
    assert own.criteria.count() == len(criteria) + 1
    assert list(b.criteria.values_list("text", flat=True)) == before
    assert Formuliersjabloon.objects.get(leerbedrijf=None).criteria.filter(text__startswith="Gewijzigd").count() == 0
    new = Beoordeling.start(stage=world.stage, kind=BeoordelingKind.TUSSENBEOORDELING, by=world.opleider)
    assert new.scale == "ovg" and new.criteria.filter(text="Ruimt de werkplek op").exists()
    assert b.scale == "novg"


def sjabloon_post_data(response):
    """What the browser posts back from the sjabloon page: every criterium changed, one added, one empty row."""
    # The leerbedrijf's own copy is made by the first POST, not by the GET.
    formset = response.context["formset"]
    criteria = [form for form in formset if form["text"].value()]
    data = {"scale": "novg", **{f"criteria-{key}": value for key, value in formset.management_form.initial.items()}}
    for n, c in enumerate(criteria):
        data |= {
            f"criteria-{n}-id": c["id"].value() or "",
            f"criteria-{n}-werkproces": c["werkproces"].value() or "",
            f"criteria-{n}-text": "Gewijzigd: " + c["text"].value(),
            f"criteria-{n}-order": c["order"].value(),
        }
        if c["critical"].value():
            data[f"criteria-{n}-critical"] = "on"
    data |= {f"criteria-{len(criteria)}-text": "Ruimt de werkplek op", f"criteria-{len(criteria)}-order": 99}
    data[f"criteria-{len(criteria) + 1}-order"] = 0  # an empty extra row, as the browser posts it
    return data, criteria


def test_two_first_saves_of_the_form_template_at_once_keep_the_first_and_say_so(client, world):
    client.force_login(world.opleider)
    url = reverse("beoordeling:sjabloon", args=[world.stage.pk, "tussenbeoordeling"])
    data, _criteria = sjabloon_post_data(client.get(url))
    kwargs = {"kind": "tussenbeoordeling", "kwalificatie": world.stage.kwalificatie, "leerbedrijf": world.a}
    as_opened = Formuliersjabloon.for_leerbedrijf(**kwargs)  # both opened the page before either saved
    assert client.post(url, data).status_code == 302  # the colleague's save
    with mock.patch.object(Formuliersjabloon, "for_leerbedrijf", return_value=as_opened):
        response = client.post(url, {**data, "scale": "ovg"}, follow=True)
    assert response.status_code == 200
    assert "Een collega heeft dit formulier net aangepast" in response.content.decode()
    assert Formuliersjabloon.objects.get(leerbedrijf=world.a).scale == "novg"


def test_concurrent_edits_are_refused_and_the_text_is_kept(client, world):
    b = world.beoordeling
    invulling = b.invullingen.get(party=Party.PRAKTIJKOPLEIDER)
    stale = fill_data(b, invulling, note="Mijn eerste versie", submit=False)
    client.force_login(world.opleider)
    client.post(reverse("beoordeling:fill", args=[b.pk]), fill_data(b, invulling, note="Andere tab", submit=False))
    response = client.post(reverse("beoordeling:fill", args=[b.pk]), stale)
    html = response.content.decode()
    assert response.status_code == 200
    assert "níet opgeslagen" in html and "Mijn eerste versie" in html
    assert not invulling.antwoorden.filter(toelichting="Mijn eerste versie").exists()
    assert invulling.antwoorden.filter(toelichting="Andere tab").exists()

    fill(client, world.opleider, b)
    fill(client, world.stagiair, b)
    b.refresh_from_db()
    old_revision = b.revision
    client.force_login(world.opleider)
    client.post(reverse("beoordeling:conclude", args=[b.pk]), {"revision": old_revision, "conclusie": "ja"})
    response = client.post(
        reverse("beoordeling:conclude", args=[b.pk]),
        {"revision": old_revision, "conclusie": "nee", "afspraken": "Mijn afspraken"},
    )
    assert "níet opgeslagen" in response.content.decode() and "Mijn afspraken" in response.content.decode()
    b.refresh_from_db()
    assert b.conclusie == "ja" and b.afspraken == ""


def test_every_change_is_traceable_to_a_person(client, world):
    b = world.beoordeling
    fill(client, world.opleider, b, note="eerste", submit=False)
    fill(client, world.opleider, b, score="goed", note="eerste")
    trail = list(Wijziging.objects.for_object(b).select_related("user"))
    assert trail[0].user == world.opleider and trail[0].label == "Beoordeling gestart"
    saved = [w for w in trail if w.label.startswith("Antwoorden")]
    assert saved[-1].user == world.opleider and "voldoende → goed" in "\n".join(saved[-1].details())
    assert "voldoende → goed" not in page(client, world.stagiair, b)


def test_filled_in_form_cannot_be_filled_again(client, world):
    b = world.beoordeling
    fill(client, world.stagiair, b)
    response = fill(client, world.stagiair, b, score="goed")
    assert response.status_code == 302
    assert not Invulling.objects.get(beoordeling=b, party=Party.STAGIAIR).antwoorden.filter(score="goed").exists()


def test_start_page_shows_what_to_fill_and_sign(client, world):
    client.force_login(world.stagiair)
    assert "formulier invullen" in client.get(reverse("start")).content.decode()
    fill(client, world.stagiair, world.beoordeling)
    fill(client, world.opleider, world.beoordeling)
    client.force_login(world.stagiair)
    assert "ondertekenen" in client.get(reverse("start")).content.decode()
    client.force_login(world.wpb)
    assert "beoordelingen-titel" not in client.get(reverse("start")).content.decode()


def test_eindbeoordeling_by_the_praktijkbeoordelaar_with_earlier_beoordelingen_in_view(client, world):
    b = world.beoordeling
    fill(client, world.opleider, b)
    fill(client, world.stagiair, b)
    conclude_and_sign(client, world, b)
    client.force_login(world.beoordelaar)
    client.post(reverse("beoordeling:start", args=[world.stage.pk]), {"kind": "pvb"})
    eind = Beoordeling.objects.get(kind="pvb")
    assert eind.parties == (Party.PRAKTIJKBEOORDELAAR,)
    fill(client, world.beoordelaar, eind)
    eind.refresh_from_db()
    assert eind.state == BeoordelingState.GESPREK
    html = page(client, world.beoordelaar, eind)
    assert "Eerdere beoordelingen (geen verrassing)" in html and "Vaker zelf inmeten" in html
    client.force_login(world.opleider)
    assert client.get(reverse("beoordeling:fill", args=[eind.pk])).status_code == 403
    client.force_login(world.beoordelaar)
    client.post(
        reverse("beoordeling:conclude", args=[eind.pk]),
        {
            "revision": eind.revision,
            "uitkomst": "behaald",
            "observaties_beoordelaar": "Werkte veilig en zelfstandig tijdens de proeve",
        },
    )
    client.post(reverse("beoordeling:sign", args=[eind.pk]), CONFIRMED)
    client.force_login(world.stagiair)
    client.post(reverse("beoordeling:sign", args=[eind.pk]), CONFIRMED)
    eind.refresh_from_db()
    assert eind.state == BeoordelingState.ONDERTEKEND and eind.uitkomst == "behaald"
    assert eind.bedrijf_signed_by == world.beoordelaar


def test_detail_page_queries_do_not_grow_with_the_form(client, world, django_assert_num_queries):
    def measure(beoordeling):
        client.force_login(world.opleider)
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("beoordeling:detail", args=[beoordeling.pk])).status_code == 200
        return len(ctx.captured_queries)

    small = world.beoordeling
    fill(client, world.opleider, small)
    fill(client, world.stagiair, small)
    from tests.factories import WerkprocesFactory

    for n in range(20):
        WerkprocesFactory(kerntaak=world.werkprocessen[0].kerntaak, code=f"X{n}")
    other = StageFactory(
        leerbedrijf=world.a,
        stagiair=StagiairFactory(leerbedrijf=world.a, user=world.stagiair),
        kwalificatie=world.stage.kwalificatie,
    )
    Formuliersjabloon.objects.all().delete()
    big = Beoordeling.start(stage=other, kind=BeoordelingKind.TUSSENBEOORDELING, by=world.opleider)
    assert big.criteria.count() > small.criteria.count() + 30
    fill(client, world.opleider, big)
    fill(client, world.stagiair, big)
    assert measure(small) == measure(big)


@pytest.mark.parametrize("persona", ["opleider", "mbo"])
def test_stage_list_queries_do_not_grow_with_the_number_of_beoordelingen(client, world, persona):
    def measure():
        client.force_login(getattr(world, persona))
        return count_queries(client, reverse("beoordeling:stage", args=[world.stage.pk])) + count_queries(
            client, reverse("start")
        )

    def add():
        for kind, moment_kind in [("tussenbeoordeling", "tussenbeoordeling"), ("pvb", "eindbeoordeling")]:
            moment = MomentFactory(stage=world.stage, kind=moment_kind)
            Beoordeling.start(stage=world.stage, kind=kind, by=world.opleider, moment=moment)
            MomentFactory(stage=world.stage, kind=moment_kind)

    add()
    one = measure()
    for _n in range(15):
        add()
    assert measure() == one


# --- the planned moment ---------------------------------------------------------------------------------------------


def test_a_beoordeling_is_started_from_its_planned_moment_once(client, world):
    planned = MomentFactory(stage=world.stage, kind=MomentKind.TUSSENBEOORDELING)
    cancelled = MomentFactory(stage=world.stage, kind=MomentKind.TUSSENBEOORDELING)
    stageplan = Stageplan.objects.get(stage=world.stage)
    # As the moments page cancels one.
    save_change(stageplan=stageplan, based_on=stageplan.version, by=world.opleider, summary="", apply=cancelled.cancel)
    client.force_login(world.opleider)
    listing = client.get(reverse("beoordeling:stage", args=[world.stage.pk])).content.decode()
    assert listing.count('name="moment"') == 1 and f'value="{planned.pk}"' in listing
    start = reverse("beoordeling:start", args=[world.stage.pk])
    response = client.post(start, {"kind": "tussenbeoordeling", "moment": planned.pk}, follow=True)
    started = Beoordeling.objects.get(moment=planned)
    assert response.redirect_chain[-1][0] == started.get_absolute_url()
    assert "Gepland moment: tussenbeoordeling op" in response.content.decode()
    listing = client.get(reverse("beoordeling:stage", args=[world.stage.pk])).content.decode()
    assert 'name="moment"' not in listing and "gepland op" in listing

    response = client.post(start, {"kind": "tussenbeoordeling", "moment": planned.pk}, follow=True)
    assert "Voor dit geplande moment is al een beoordeling gestart" in response.content.decode()
    assert Beoordeling.objects.filter(moment=planned).count() == 1


def test_a_moment_of_another_kind_or_stage_is_refused(client, world):
    eind = MomentFactory(stage=world.stage, kind=MomentKind.EINDBEOORDELING)
    elsewhere = MomentFactory(stage=world.stage_b, kind=MomentKind.TUSSENBEOORDELING)
    client.force_login(world.opleider)
    start = reverse("beoordeling:start", args=[world.stage.pk])
    before = Beoordeling.objects.count()
    response = client.post(start, {"kind": "tussenbeoordeling", "moment": eind.pk}, follow=True)
    assert "past niet bij deze soort" in response.content.decode()
    response = client.post(start, {"kind": "tussenbeoordeling", "moment": elsewhere.pk}, follow=True)
    assert "Dit geplande moment bestaat niet (meer)." in response.content.decode()
    assert Beoordeling.objects.count() == before


def test_a_correction_keeps_the_moment(client, world):
    planned = MomentFactory(stage=world.stage, kind=MomentKind.TUSSENBEOORDELING)
    b = Beoordeling.start(stage=world.stage, kind=BeoordelingKind.TUSSENBEOORDELING, by=world.opleider, moment=planned)
    fill(client, world.opleider, b)
    fill(client, world.stagiair, b)
    conclude_and_sign(client, world, b)
    client.force_login(world.opleider)
    client.post(reverse("beoordeling:correct", args=[b.pk]), {"reason": "Score verkeerd aangeklikt"})
    assert b.correction.moment == planned
    assert not Beoordeling.open_moments(world.stage).filter(pk=planned.pk).exists()


# --- the school's part of an eindbeoordeling ------------------------------------------------------------------------


@pytest.fixture
def eind(world):
    return Beoordeling.start(stage=world.stage, kind=BeoordelingKind.PVB, by=world.beoordelaar)


def school_part(client, user, beoordeling, **values):
    client.force_login(user)
    revision = Beoordeling.objects.get(pk=beoordeling.pk).revision
    return client.post(
        reverse("beoordeling:school_part", args=[beoordeling.pk]), {"revision": revision, **values}, follow=True
    )


def test_the_mbo_begeleider_writes_the_school_part_and_the_company_reads_it(client, world, eind):
    client.force_login(world.mbo)
    assert "deel van de school invullen" in client.get(reverse("start")).content.decode()
    assert "Proeve van bekwaamheid" in client.get(reverse("beoordeling:stage", args=[world.stage.pk])).content.decode()
    response = school_part(
        client,
        world.mbo,
        eind,
        mbo_inhoudelijke_opdracht="Opdracht warmtepomp goed uitgewerkt",
        mbo_projectmap="Compleet",
    )
    assert "Het deel van de school is opgeslagen." in response.content.decode()
    eind.refresh_from_db()
    assert eind.mbo_projectmap == "Compleet" and eind.mbo_updated_by == world.mbo
    for reader in (world.beoordelaar, world.opleider, world.stagiair):
        assert "Opdracht warmtepomp goed uitgewerkt" in page(client, reader, eind)
    assert "Deel van de school opgeslagen" in page(client, world.opleider, eind)
    client.force_login(world.mbo)
    assert "deel van de school invullen" not in client.get(reverse("start")).content.decode()


def test_the_school_sees_eindbeoordelingen_only_and_no_collega_feedback(client, world, eind):
    vraag, _token = CollegaVraag.create(beoordeling=eind, name="Piet", email="piet@example.nl", asked_by=world.opleider)
    vraag.answer(zelfstandigheid="Werkt heel zelfstandig", houding="", resultaten="")
    html = page(client, world.mbo, eind)
    assert "Feedback van collega's" not in html and "Werkt heel zelfstandig" not in html
    assert "Feedback van collega's" in page(client, world.opleider, eind)
    client.force_login(world.mbo)
    assert client.get(reverse("beoordeling:detail", args=[world.beoordeling.pk])).status_code == 404
    listing = client.get(reverse("beoordeling:stage", args=[world.stage.pk])).content.decode()
    assert "Tussenbeoordeling" not in listing and "Beoordeling starten" not in listing
    for outsider in (world.mbo_same_school, world.mbo_other_school):
        client.force_login(outsider)
        assert client.get(reverse("beoordeling:detail", args=[eind.pk])).status_code == 404


def test_an_empty_school_part_is_refused_and_changes_nothing(client, world, eind):
    response = school_part(client, world.mbo, eind, mbo_eindproduct="  ")
    assert "Vul ten minste één onderdeel in." in response.content.decode()
    eind.refresh_from_db()
    assert eind.mbo_updated_at is None
    assert not Wijziging.objects.for_object(eind).filter(action=BeoordelingAction.SCHOOL_PART_SAVED).exists()


def test_a_stale_school_part_is_refused_and_keeps_the_text(client, world, eind):
    client.force_login(world.mbo)
    url = reverse("beoordeling:school_part", args=[eind.pk])
    stale = eind.revision
    school_part(client, world.mbo, eind, mbo_eindproduct="Eerste versie")
    response = client.post(url, {"revision": stale, "mbo_eindproduct": "Mijn nieuwe tekst"})
    html = response.content.decode()
    assert "níet opgeslagen" in html and "Mijn nieuwe tekst" in html
    eind.refresh_from_db()
    assert eind.mbo_eindproduct == "Eerste versie"


def test_a_school_part_change_withdraws_signatures_and_a_signed_one_does_not_change(client, world, eind):
    fill(client, world.beoordelaar, eind)
    client.post(
        reverse("beoordeling:conclude", args=[eind.pk]),
        {"revision": Beoordeling.objects.get(pk=eind.pk).revision, "uitkomst": "behaald"},
    )
    client.post(reverse("beoordeling:sign", args=[eind.pk]), CONFIRMED)
    eind.refresh_from_db()
    assert eind.bedrijf_signed_at
    school_part(client, world.mbo, eind, mbo_eindproduct="Eindproduct in orde")
    eind.refresh_from_db()
    assert eind.bedrijf_signed_at is None
    assert Wijziging.objects.for_object(eind).filter(action=BeoordelingAction.SIGNATURES_WITHDRAWN).exists()
    client.force_login(world.beoordelaar)
    client.post(reverse("beoordeling:sign", args=[eind.pk]), CONFIRMED)
    client.force_login(world.stagiair)
    client.post(reverse("beoordeling:sign", args=[eind.pk]), CONFIRMED)
    eind.refresh_from_db()
    assert eind.state == BeoordelingState.ONDERTEKEND
    response = school_part(client, world.mbo, eind, mbo_eindproduct="Toch anders")
    assert "alleen in een gecorrigeerde versie" in response.content.decode()
    eind.refresh_from_db()
    assert eind.mbo_eindproduct == "Eindproduct in orde"
    assert "Deel van de school invullen" not in page(client, world.mbo, eind)
