"""Demo data of this app: example werkprocessen, a beoordelingsformulier per demo kwalificatie and one
tussenbeoordeling in progress (the praktijkopleider has handed in, the stagiair not yet). Runs twice unchanged."""

from django.contrib.auth import get_user_model

from leerbedrijf.models import Kerntaak, Stage, Werkproces

from .models import Beoordeling, BeoordelingKind, Formuliersjabloon, Party

SOURCE = "voorbeeld voor de demo"
EXAMPLE_WERKPROCESSEN = {
    "B1-K1": (
        "Installeert en monteert installaties (voorbeeld)",
        [
            (
                "B1-K1-W1",
                "Bereidt de werkzaamheden voor",
                "Het werk is goed voorbereid; materiaal en gereedschap liggen klaar.",
            ),
            (
                "B1-K1-W2",
                "Monteert leidingen en componenten",
                "Leidingen en componenten zijn volgens tekening gemonteerd.",
            ),
            ("B1-K1-W3", "Controleert en levert op", "De installatie is getest en netjes opgeleverd."),
        ],
    ),
}
DEMO_CREBOS = ["25333", "25349", "25308", "25282"]


def load():
    stages = list(Stage.objects.filter(kwalificatie__crebo__in=DEMO_CREBOS).select_related("kwalificatie"))
    kwalificaties = {stage.kwalificatie.pk: stage.kwalificatie for stage in stages}
    for kwalificatie in kwalificaties.values():
        _example_werkprocessen(kwalificatie)
        Formuliersjabloon.default_for(kind=BeoordelingKind.TUSSENBEOORDELING, kwalificatie=kwalificatie)
    stage = next((s for s in stages if s.stagiair.email == "stagiair.bol@student-demo.nl"), None)
    if stage is None or stage.beoordelingen.exists():
        return
    opleider = get_user_model().objects.get(email="praktijkopleider@installatiebedrijf-demo.nl")
    beoordeling = Beoordeling.start(stage=stage, kind=BeoordelingKind.TUSSENBEOORDELING, by=opleider)
    invulling = beoordeling.invullingen.get(party=Party.PRAKTIJKOPLEIDER)
    criteria = list(beoordeling.criteria.all())
    answers = {
        criterium: ("goed" if i % 3 == 0 else "voldoende", "Zie observaties." if i == 0 else "")
        for i, criterium in enumerate(criteria)
    }
    invulling.save_answers(by=opleider, revision=invulling.revision, answers=answers, submit=True)


def _example_werkprocessen(kwalificatie):
    if Werkproces.objects.for_kwalificatie(kwalificatie).exists():
        return
    for code, (title, werkprocessen) in EXAMPLE_WERKPROCESSEN.items():
        kerntaak, _ = Kerntaak.objects.get_or_create(
            dossier=kwalificatie.dossier,
            kwalificatie=None,
            code=code,
            defaults={"title": title, "source": SOURCE, "is_example": True},
        )
        for wp_code, wp_title, resultaat in werkprocessen:
            Werkproces.objects.get_or_create(
                kerntaak=kerntaak,
                code=wp_code,
                defaults={"title": wp_title, "resultaat": resultaat, "source": SOURCE, "is_example": True},
            )
