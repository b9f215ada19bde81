"""Demo stageplannen with leerdoelen, moments and observaties for the demo stages of leerbedrijf.demo.

Runs after leerbedrijf.demo.load(); a stage that already has a stageplan is left alone, so a second run changes
nothing.
"""

from datetime import timedelta

from django.utils import timezone

from leerbedrijf.models import Erkenning, ErkenningStatus, Stage, Werkproces

from .changes import agree, create_plan, save_change
from .models import Leerdoel, LeerdoelStatus, Observatie, ObservatieKind, Skill

LEERDOELEN = [
    ("B1-K1-W1", None, Skill.HARD, 14, LeerdoelStatus.BEHAALD, "Werkbon lezen en materiaal verzamelen met de monteur."),
    ("B1-K1-W2", None, Skill.HARD, 45, LeerdoelStatus.BEZIG, "Zelfstandig een groep aanleggen onder toezicht."),
    ("B1-K2-W2", None, Skill.HARD, 80, LeerdoelStatus.GEPLAND, "Meelopen met de storingsdienst, daarna zelf meten."),
    (None, "Zelf om feedback vragen na elke klus", Skill.SOFT, 30, LeerdoelStatus.BEZIG, "Na elke klus twee vragen."),
]


def _werkprocessen(kwalificatie):
    """The kwalificatie's werkprocessen by code: the examples of leerbedrijf.demo, which ran before."""
    return {werkproces.code: werkproces for werkproces in Werkproces.objects.for_kwalificatie(kwalificatie)}


def _plan(stage, *, agreed_by, change_after=False):
    student = stage.stagiair.user
    werkprocessen = _werkprocessen(stage.kwalificatie)
    erkenning, created = Erkenning.objects.get_or_create(
        leerbedrijf=stage.leerbedrijf, kwalificatie=stage.kwalificatie, defaults={"status": ErkenningStatus.ERKEND}
    )
    if created and "B1-K2-W1" in werkprocessen:
        erkenning.unavailable_werkprocessen.add(werkprocessen["B1-K2-W1"])
    stageplan = create_plan(stage=stage, by=student, interval_weeks=4, propose=True)
    stageplan.leerjaar = 2

    def beginsituatie():
        stageplan.capaciteiten = "Handig met gereedschap, werkt netjes. Nog weinig ervaring met klanten."
        stageplan.vorige_stage = "Vorig jaar vier weken meegelopen bij een loodgieter."
        stageplan.save()

    save_change(
        stageplan=stageplan, based_on=stageplan.version, by=student, summary="Beginsituatie", apply=beginsituatie
    )
    leerdoelen = []
    for code, title, skill, days, status, activiteiten in LEERDOELEN:
        werkproces = werkprocessen.get(code) if code else None
        if code and werkproces is None:
            continue

        def add(werkproces=werkproces, title=title, skill=skill, days=days, status=status, activiteiten=activiteiten):
            leerdoel = Leerdoel.objects.create(
                stageplan=stageplan,
                werkproces=werkproces,
                title=title or werkproces.title,
                skill=skill,
                activiteiten=activiteiten,
                benodigd="Werkplekbegeleider en een servicebus met meetapparatuur.",
                target_date=stage.start_date + timedelta(days=days),
                status=status,
            )
            leerdoel.record_status(old=None, by=student)
            return leerdoel

        leerdoelen.append(
            save_change(
                stageplan=stageplan,
                based_on=stageplan.version,
                by=student,
                summary=f"Leerdoel '{title or werkproces.title}' toegevoegd",
                apply=add,
            )
        )
    latest = stageplan.versions.get(number=stageplan.version)
    for person in agreed_by:
        agree(version=latest, by=person, as_stagiair=person == student, as_opleider=person != student)
    if change_after and leerdoelen:
        leerdoel = leerdoelen[-1]

        def move():
            leerdoel.target_date += timedelta(days=7)
            leerdoel.save()

        save_change(
            stageplan=stageplan,
            based_on=stageplan.version,
            by=student,
            summary=f"Leerdoel '{leerdoel.title}' aangepast",
            apply=move,
        )
    if stage.werkplekbegeleider and leerdoelen:
        today = timezone.localdate()
        for days_ago, kind, text, leerdoel in [
            (12, ObservatieKind.GOED, "Werkplek netjes opgeruimd en het materiaal vooraf nagelopen.", leerdoelen[0]),
            (5, ObservatieKind.AANDACHTSPUNT, "Begon met monteren voordat de tekening was bekeken.", leerdoelen[1]),
            (2, ObservatieKind.GOED, "Vroeg de klant zelf of alles duidelijk was.", None),
        ]:
            Observatie.objects.create(
                stage=stage,
                leerdoel=leerdoel,
                author=stage.werkplekbegeleider,
                date=today - timedelta(days=days_ago),
                text=text,
                kind=kind,
            )


def load():
    stages = Stage.objects.filter(stageplan__isnull=True, stagiair__user__isnull=False).select_related(
        "stagiair__user", "leerbedrijf", "kwalificatie__dossier", "werkplekbegeleider"
    )
    for stage in stages:
        opleider = (
            stage.leerbedrijf.memberships.active()
            .filter(role="praktijkopleider")
            .select_related("user")
            .order_by("pk")
            .first()
        )
        student = stage.stagiair.user
        if stage.stagiair.email == "stagiair.bol@student-demo.nl" and opleider:
            _plan(stage, agreed_by=[student, opleider.user])
        elif stage.stagiair.email == "stagiair.bbl@student-demo.nl" and opleider:
            _plan(stage, agreed_by=[student, opleider.user], change_after=True)
        else:
            _plan(stage, agreed_by=[student])
