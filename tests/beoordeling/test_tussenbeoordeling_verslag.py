"""The verslag of a tussenbeoordeling is short without losing a word (issue 18): per werkproces one table, the two
parties side by side, and a criterium nobody answered named once instead of taking rows."""

from io import BytesIO

from pypdf import PdfReader

from bench.verslagen import make_stage
from beoordeling.beoordelingen.models import Antwoord
from beoordeling.beoordelingen.verslagen import TUSSENBEOORDELING
from stagemap.verslagen import make_verslag_of


def flat(text):
    return " ".join(text.split())


def test_twelve_werkprocessen_with_long_toelichtingen_fit_in_six_pages_with_every_word(db):
    _stage, opleider, _version, _gesprek, tussen, _eind, _evaluatie = make_stage()
    # The bench's content, each toelichting made recognisable, and one criterium left empty by both parties.
    answers = list(Antwoord.objects.filter(invulling__beoordeling=tussen).select_related("criterium", "invulling"))
    empty = answers[-1].criterium
    for answer in answers:
        if answer.criterium == empty:
            answer.score, answer.toelichting = "", ""
        else:
            answer.toelichting = f"[{answer.criterium.text}, {answer.invulling.party}] {answer.toelichting}"
    Antwoord.objects.bulk_update(answers, ["score", "toelichting"])

    verslag = make_verslag_of(TUSSENBEOORDELING, tussen, by=opleider)
    with verslag.file.open("rb") as handle:
        reader = PdfReader(BytesIO(handle.read()))
    text = flat(" ".join(page.extract_text() for page in reader.pages))

    assert len(reader.pages) <= 6
    for answer in answers:
        if answer.toelichting:
            assert flat(answer.toelichting) in text, answer.toelichting[:40]
    for criterium in tussen.criteria.all():
        assert criterium.werkproces_label in text and criterium.text in text
    assert f"Door niemand ingevuld: {empty.text}" in text
    assert text.count("Praktijkopleider · oordeel") >= 12, "each werkproces has its table with the parties' oordeel"
