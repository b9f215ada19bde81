"""The long forms on a phone (issue 16): an error summary that links to each field, a progress count that is right
without script, a concept saved in the background through the optimistic lock, the comparison as cards, and the
branch's scale with n.v.t. only where the company cannot offer a werkproces."""

import re

import pytest
from django.urls import reverse

from beoordeling.beoordelingen.models import (
    NVT,
    AlreadyDone,
    Beoordeling,
    BeoordelingAction,
    BeoordelingKind,
    BeoordelingState,
    Formuliersjabloon,
    Invulling,
    Party,
    Schaal,
    TransitionNotAllowed,
)
from beoordeling.evaluatie.models import EVALUATIE_QUESTIONS, Evaluatie
from stagegids.models import Wijziging
from stagemap.verslagen import make_missing_verslagen
from tests.beoordeling.test_beoordeling import fill, fill_data
from tests.beoordeling.test_gesprekken import evaluatie_data
from tests.stagemap.test_verslag_kinds import stageplan_agreed
from tests.test_confirm_steps import in_parallel, postgres_only


def fill_url(beoordeling):
    return reverse("beoordeling:fill", args=[beoordeling.pk])


def zelfbeoordeling(world):
    b = world.beoordeling
    return b, Invulling.objects.get(beoordeling=b, party=Party.STAGIAIR)


def werkproces_criteria(beoordeling):
    """The criteria per werkproces label, in the form's order."""
    groups = {}
    for criterium in beoordeling.criteria.exclude(werkproces=None):
        groups.setdefault(criterium.werkproces_label, []).append(criterium)
    return groups


def autosave(client, user, url, data):
    client.force_login(user)
    return client.post(url, {**data, "autosave": "1"})


# --- the error summary ---------------------------------------------------------------------------------------------


def test_an_incomplete_zelfbeoordeling_opens_at_a_summary_linking_to_each_field(client, world):
    b, invulling = zelfbeoordeling(world)
    missing = list(b.criteria.all()[:2])
    client.force_login(world.stagiair)
    data = fill_data(b, invulling, note="half af", scores={c.pk: "" for c in missing})
    response = client.post(fill_url(b), data)
    html = response.content.decode()
    assert response.status_code == 200
    assert html.index('id="fouten"') < html.index('id="formulier"'), "the summary comes before the form"
    summary = html[html.index('id="fouten"') : html.index("</div>", html.index('id="fouten"'))]
    assert 'role="alert"' in summary and "autofocus" in summary and 'tabindex="-1"' in summary
    assert "Er zijn 2 punten om te verbeteren" in summary
    links = re.findall(r'href="#([^"]+)"', summary)
    assert links == [f"id_score_{c.pk}_0" for c in missing]
    for field_id in links:
        assert f'id="{field_id}"' in html, "each link leads to a field on the page"
    # Listed under its werkproces: a criterium's text recurs in every werkproces.
    group = summary.index(f"{missing[0].werkproces_label}<ul")
    assert summary.index(f"{missing[0].text}: Kies een score om in te leveren.") > group
    assert "<title>Fout:" in html
    assert not invulling.antwoorden.exists() and Invulling.objects.get(pk=invulling.pk).submitted_at is None


def test_a_too_long_toelichting_is_refused_and_linked_from_the_summary(client, world):
    b, invulling = zelfbeoordeling(world)
    first = b.criteria.first()
    client.force_login(world.stagiair)
    data = fill_data(b, invulling, submit=False)
    data[f"toelichting_{first.pk}"] = "x" * 5001
    html = client.post(fill_url(b), data).content.decode()
    assert f'href="#id_toelichting_{first.pk}"' in html and "hoogstens 5000 tekens" in html
    assert not invulling.antwoorden.exists()


def test_a_form_without_errors_has_no_summary(client, world):
    b, _invulling = zelfbeoordeling(world)
    client.force_login(world.stagiair)
    assert 'id="fouten"' not in client.get(fill_url(b)).content.decode()


def test_an_incomplete_evaluatie_opens_at_a_summary_linking_to_each_score(client, world):
    client.force_login(world.stagiair)
    url = reverse("beoordeling:evaluatie_fill", args=[world.stage.pk])
    first = next(q for q in EVALUATIE_QUESTIONS if q.scale)
    html = client.post(url, evaluatie_data(submit="1", **{f"score_{first.key}": ""})).content.decode()
    assert 'id="fouten"' in html
    assert re.findall(r'href="#([^"]+)"', html[html.index('id="fouten"') :])[0] == f"id_score_{first.key}_0"
    assert f'id="id_score_{first.key}_0"' in html


# --- the progress count --------------------------------------------------------------------------------------------


def progress(html):
    return re.search(
        r"<strong data-voortgang-done>(\d+)</strong> van (\d+) (werkprocessen ingevuld|vragen beantw)", html
    )


def test_the_progress_count_counts_werkprocessen_with_every_criterium_scored(client, world):
    b, invulling = zelfbeoordeling(world)
    groups = werkproces_criteria(b)
    first, second = list(groups.values())[:2]
    client.force_login(world.stagiair)
    assert progress(client.get(fill_url(b)).content.decode()).groups()[:2] == ("0", str(len(groups)))

    # The first werkproces fully scored, the second half: one of them counts.
    scores = {c.pk: "" for c in b.criteria.all()} | {c.pk: "goed" for c in first} | {second[0].pk: "oefenen"}
    client.post(fill_url(b), fill_data(b, invulling, submit=False, scores=scores))
    assert progress(client.get(fill_url(b)).content.decode()).groups()[:2] == ("1", str(len(groups)))

    # Handed in with errors, the count is of what was posted, not of what is stored.
    invulling.refresh_from_db()
    scores |= {c.pk: "voldoende" for c in second}
    html = client.post(fill_url(b), fill_data(b, invulling, scores=scores)).content.decode()
    assert 'id="fouten"' in html and progress(html).groups()[:2] == ("2", str(len(groups)))


def test_the_evaluatie_counts_the_questions_answered(client, world):
    client.force_login(world.stagiair)
    url = reverse("beoordeling:evaluatie_fill", args=[world.stage.pk])
    assert progress(client.get(url).content.decode()).groups()[:2] == ("0", str(len(EVALUATIE_QUESTIONS)))
    scale, text = (next(q for q in EVALUATIE_QUESTIONS if bool(q.scale) is kind) for kind in (True, False))
    data = {"version": 1, "save": "1", f"score_{scale.key}": 4, f"text_{text.key}": "Meer uitleg", "text_x": ""}
    client.post(url, data)
    assert progress(client.get(url).content.decode()).groups()[:2] == ("2", str(len(EVALUATIE_QUESTIONS)))


# --- the concept, saved in the background -------------------------------------------------------------------------


def test_a_background_save_keeps_a_concept_and_answers_the_next_version(client, world):
    b, invulling = zelfbeoordeling(world)
    data = fill_data(b, invulling, note="Eerste zin", submit=True)  # a "submit" in a background save is ignored
    response = autosave(client, world.stagiair, fill_url(b), data)
    assert response.status_code == 200
    answer = response.json()
    assert re.fullmatch(r"Concept opgeslagen om \d\d:\d\d", answer["message"])
    invulling.refresh_from_db()
    assert answer["version"] == invulling.revision == 1
    assert invulling.submitted_at is None and invulling.antwoorden.filter(toelichting="Eerste zin").exists()

    # The next one is based on the version it was given.
    response = autosave(client, world.stagiair, fill_url(b), {**data, "revision": answer["version"]})
    assert response.status_code == 200 and response.json()["version"] == 2


def test_a_background_save_with_an_error_stores_nothing_and_says_why(client, world):
    b, invulling = zelfbeoordeling(world)
    first = b.criteria.first()
    data = fill_data(b, invulling, submit=False)
    data[f"toelichting_{first.pk}"] = "x" * 5001
    response = autosave(client, world.stagiair, fill_url(b), data)
    assert response.status_code == 400
    message = response.json()["message"]
    assert message.startswith("Concept níet opgeslagen.") and f"{first.text} (toelichting): Houd het korter" in message
    assert not invulling.antwoorden.exists()


def test_a_stale_background_save_is_refused_in_dutch_and_both_versions_are_kept(client, world):
    b, invulling = zelfbeoordeling(world)
    first = b.criteria.first()
    other_tab = fill_data(b, invulling, submit=False, note="Uit het andere tabblad")
    this_tab = fill_data(b, invulling, submit=False, note="Wat ik op mijn telefoon typte")
    assert autosave(client, world.stagiair, fill_url(b), other_tab).status_code == 200
    response = autosave(client, world.stagiair, fill_url(b), this_tab)
    assert response.status_code == 409
    answer = response.json()
    assert (
        "níet opgeslagen" in answer["message"]
        and "Iemand anders heeft dit formulier intussen opgeslagen" in (answer["message"])
    )
    # The stored version stays; the refused one is kept in the trail (and, in the browser, in the form).
    assert answer["stop"] is True and answer["version"] == 1
    assert invulling.antwoorden.get(criterium=first).toelichting == "Uit het andere tabblad"
    refused = Wijziging.objects.for_object(b).get(action=BeoordelingAction.ANSWERS_REFUSED)
    assert refused.user == world.stagiair and refused.data["party"] == Party.STAGIAIR
    assert f"{first.text}: voldoende – Wat ik op mijn telefoon typte" in refused.details()
    # Saving again on the version it was told is the user's own choice, and is stored.
    client.post(fill_url(b), {**this_tab, "revision": answer["version"]})
    assert invulling.antwoorden.get(criterium=first).toelichting == "Wat ik op mijn telefoon typte"


def test_a_late_background_save_does_not_change_a_handed_in_form(client, world):
    b, invulling = zelfbeoordeling(world)
    concept = fill_data(b, invulling, submit=False, note="Concept")
    client.force_login(world.stagiair)
    client.post(fill_url(b), fill_data(b, invulling, note="Ingeleverd"))
    response = autosave(client, world.stagiair, fill_url(b), {**concept, "revision": 1})
    assert response.status_code == 409
    assert "Dit formulier was al ingeleverd door" in response.json()["message"]
    assert not invulling.antwoorden.filter(toelichting="Concept").exists()


def test_a_signature_is_not_withdrawn_by_a_background_save(client, world):
    """The praktijkopleider may open the gesprek and sign before the stagiair handed in: her changes would withdraw
    his signature, so only her click saves them."""
    b, invulling = zelfbeoordeling(world)
    fill(client, world.opleider, b)
    client.force_login(world.opleider)
    client.post(reverse("beoordeling:open_gesprek", args=[b.pk]))
    Beoordeling.objects.filter(pk=b.pk).update(conclusie="ja")
    b.refresh_from_db()
    b.sign(by=world.opleider)
    client.force_login(world.stagiair)
    html = client.get(fill_url(b)).content.decode()
    assert "data-voortgang>" in html and "data-concept" not in html and "niet vanzelf opgeslagen" in html
    response = autosave(client, world.stagiair, fill_url(b), fill_data(b, invulling, submit=False, note="Typend"))
    assert response.status_code == 409 and "handtekening laat vervallen" in response.json()["message"]
    b.refresh_from_db()
    assert b.bedrijf_signed_at is not None and not invulling.antwoorden.exists()


def test_a_save_already_past_the_checks_changes_nothing_once_handed_in_or_signed(world):
    """The update itself is conditional on the form still being open: a save that read the form before it was
    handed in (or before the beoordeling was signed) changes nothing, even on the revision that is stored now."""
    b, invulling = zelfbeoordeling(world)
    answers = {c: ("goed", "Te laat") for c in b.criteria.all()}
    late = Invulling.objects.get(pk=invulling.pk)  # read before the hand-in
    invulling.save_answers(by=world.stagiair, revision=0, answers={c: ("voldoende", "") for c in answers}, submit=True)
    with pytest.raises(AlreadyDone, match="Dit formulier was al ingeleverd"):
        late.save_answers(by=world.stagiair, revision=1, answers=answers)

    opleider = Invulling.objects.get(beoordeling=b, party=Party.PRAKTIJKOPLEIDER)
    Beoordeling.objects.filter(pk=b.pk).update(state=BeoordelingState.ONDERTEKEND)
    with pytest.raises(TransitionNotAllowed, match="kan niet meer worden gewijzigd"):
        opleider.save_answers(by=world.opleider, revision=opleider.revision, answers=answers)
    assert not b.invullingen.filter(antwoorden__toelichting="Te laat").exists()


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_a_background_save_racing_the_hand_in_never_changes_what_was_handed_in(world):
    b, invulling = zelfbeoordeling(world)
    url = fill_url(b)
    invulling.save_answers(by=world.stagiair, revision=0, answers={c: ("oefenen", "") for c in b.criteria.all()})
    handed_in = fill_data(b, invulling, note="Ingeleverd")
    late = {**fill_data(b, invulling, submit=False, note="Concept"), "autosave": "1"}
    in_parallel((world.stagiair, url, handed_in), *[(world.stagiair, url, late)] * 3)
    invulling.refresh_from_db()
    texts = set(invulling.antwoorden.values_list("toelichting", flat=True))
    # One of the four won on revision 1: the hand-in with its own text, or a concept (the hand-in then refused).
    assert (invulling.submitted_at is not None) == (texts == {"Ingeleverd"})
    assert texts in ({"Ingeleverd"}, {"Concept"})
    saved = Wijziging.objects.for_object(b).filter(action=BeoordelingAction.ANSWERS_SAVED)
    assert saved.count() == 2


def test_the_evaluatie_keeps_a_concept_refuses_a_stale_one_and_a_late_one(client, world):
    url = reverse("beoordeling:evaluatie_fill", args=[world.stage.pk])
    concept = {"version": 1, "text_tips": "Meer uitleg"}
    response = autosave(client, world.stagiair, url, concept)
    assert response.status_code == 200 and response.json()["version"] == 2
    stale = autosave(client, world.stagiair, url, {**concept, "text_tips": "Andere tekst"})
    assert stale.status_code == 409 and "níet opgeslagen" in stale.json()["message"]
    assert stale.json()["version"] == 2
    evaluatie = Evaluatie.objects.get()
    assert evaluatie.antwoorden.get(question="tips").text == "Meer uitleg" and not evaluatie.is_submitted

    client.post(url, evaluatie_data(version=2, submit="1"))
    late = autosave(client, world.stagiair, url, {**concept, "version": 3})
    assert late.status_code == 409 and "Je evaluatie was al ingediend op" in late.json()["message"]
    assert Evaluatie.objects.get().antwoorden.get(question="tips").text == "Antwoord op tips"


# --- the comparison as cards -------------------------------------------------------------------------------------


def test_the_comparison_names_each_cell_for_the_cards_on_a_phone(client, world):
    b = world.beoordeling
    fill(client, world.opleider, b, note="Netjes")
    fill(client, world.stagiair, b, note="Lastig")
    client.force_login(world.stagiair)
    html = client.get(b.get_absolute_url()).content.decode()
    assert 'class="table table-sm align-top mb-2 vergelijking stack-on-phone"' in html
    assert '<td data-label="Praktijkopleider"><strong>voldoende</strong><br><span class="small">Netjes' in html
    assert '<td data-label="Stagiair"><strong>voldoende</strong><br><span class="small">Lastig' in html


def test_the_leerdoelen_of_a_verslag_read_in_the_page_stack_as_cards_on_a_phone(client, world):
    stageplan_agreed(world)
    (verslag,) = make_missing_verslagen(world.stage, by=world.opleider)
    client.force_login(world.opleider)
    html = client.get(reverse("stagemap:verslag", args=[verslag.pk])).text
    table = html[html.index("<h2>Leerdoelen</h2>") : html.index("</table>", html.index("<h2>Leerdoelen</h2>"))]
    assert '<table class="data leerdoelen stack-on-phone">' in table
    cells = re.findall(r'<td data-label="([^"]+)">', table)
    assert cells[:5] == ["Leerdoel", "Werkproces", "Activiteiten", "Wat is nodig", "Streefdatum"]


# --- the scale and n.v.t. ------------------------------------------------------------------------------------------


def test_a_new_form_template_has_the_scale_of_the_branch(client, world):
    kind = BeoordelingKind.PVB
    default = Formuliersjabloon.default_for(kind=kind, kwalificatie=world.stage.kwalificatie)
    assert default.scale == Schaal.NOVG
    assert [label for _v, label, _ok in Beoordeling(scale=default.scale).scale_steps()] == [
        "nooit",
        "oefenen",
        "voldoende",
        "goed",
    ]
    # The company's own form, before it adjusts one, starts from it as well.
    client.force_login(world.opleider)
    html = client.get(reverse("beoordeling:sjabloon", args=[world.stage.pk, "bpv"])).content.decode()
    assert re.search(r'<option value="novg" selected>', html)


def test_nvt_is_offered_and_accepted_only_for_a_werkproces_the_company_cannot_offer(client, world):
    b, invulling = zelfbeoordeling(world)
    unavailable = b.criteria.filter(werkproces=world.werkproces_unavailable).first()
    available = b.criteria.filter(werkproces=world.werkproces).first()
    assert unavailable is not None and available is not None
    client.force_login(world.stagiair)
    html = client.get(fill_url(b)).content.decode()
    offered = set(re.findall(r'name="score_(\d+)" value="nvt"', html))
    assert offered == {str(c.pk) for c in b.criteria.filter(werkproces=world.werkproces_unavailable)}

    refused = client.post(fill_url(b), fill_data(b, invulling, scores={available.pk: NVT}))
    assert refused.status_code == 200 and "Selecteer een geldige keuze" in refused.content.decode()
    assert client.post(fill_url(b), fill_data(b, invulling, scores={unavailable.pk: NVT})).status_code == 302
    assert invulling.antwoorden.get(criterium=unavailable).score == NVT
