"""Demo data of this app, loaded by `manage.py demo` after the apps below it. Running it again changes nothing."""

from datetime import date, datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from leerbedrijf.models import (
    Kwalificatie,
    Leerbedrijf,
    Onderwijsinstelling,
    Stage,
    Stagiair,
)
from stagegids.models import Wijziging
from stagegids.roles import Role
from stagemap.verslagen import make_missing_verslagen
from stageplan import overdue
from stageplan.changes import save_change
from stageplan.models import Leerdoel, LeerdoelStatus, Moment, MomentKind

from .beoordelingen.models import Beoordeling, BeoordelingKind, Formuliersjabloon, Party
from .evaluatie.models import Evaluatie, EvaluatieAntwoord
from .gesprekken.models import Afspraak, Driegesprek, Voortgangsgesprek
from .zorgen.models import Zorg, ZorgKind


def load():
    load_reminder_moments()
    load_gesprekken()
    load_driegesprek()
    load_beoordelingen()
    load_voortgang()
    load_zorgen()
    load_verslagen()


def _at(day):
    return timezone.make_aware(datetime.combine(day, time(10, 0)))


def _moment(stage, *, past):
    """The stage's last held or next coming voortgangsgesprek, planned here when the stageplan demo has none."""
    moments = Moment.objects.planned().filter(stage=stage, kind=MomentKind.VOORTGANGSGESPREK)
    now = timezone.now()
    existing = (
        moments.filter(starts_at__lt=now).order_by("-starts_at") if past else moments.filter(starts_at__gte=now)
    ).first()
    if existing:
        return existing
    day = date.today() + timedelta(days=-21 if past else 7)
    return Moment.objects.create(stage=stage, kind=MomentKind.VOORTGANGSGESPREK, starts_at=_at(day), location="Kantine")


def load_gesprekken():
    bedrijf = Leerbedrijf.objects.get(kvk_nummer="12345678")
    users = get_user_model().objects
    opleider = users.get(email="praktijkopleider@installatiebedrijf-demo.nl")
    wpb = users.get(email="werkplekbegeleider@installatiebedrijf-demo.nl")
    stage = Stage.objects.get(leerbedrijf=bedrijf, stagiair__email="stagiair.bol@student-demo.nl")
    sanne = stage.stagiair.user

    held = Voortgangsgesprek.for_moment(_moment(stage, past=True))
    Voortgangsgesprek.for_moment(_moment(stage, past=False))
    if not held.is_afgerond:
        held.save_reflectie(
            version=held.reflectie_version,
            by=sanne,
            submit=True,
            values={
                "reflectie_goed": "Ik heb zelf een radiator aangesloten en het lekte niet.",
                "reflectie_moeilijk": "Tekeningen lezen gaat nog langzaam.",
                "reflectie_leren": "Ik wil een cv-ketel leren onderhouden.",
            },
        )
        held.save_notes(
            version=held.notes_version,
            by=opleider,
            values={
                "notes_goed": "Sanne is altijd op tijd en werkt netjes; de radiator zat in één keer goed.",
                "notes_ik_boodschap": "Ik merk dat je weinig vragen stelt als je iets niet weet.",
                "notes_reactie": "Sanne wil collega's niet storen als ze druk zijn.",
                "notes_verbeteren": "Vragen stellen hoort bij leren. Elke ochtend bespreken we samen de klus.",
            },
        )
        leerdoel = Leerdoel.objects.filter(stageplan__stage=stage).first()
        Afspraak.objects.create(
            stage=stage,
            gesprek=held,
            text="Elke ochtend vijf minuten de klus van de dag doornemen met Wim.",
            owner=wpb,
            due_date=date.today() - timedelta(days=7),
            created_by=opleider,
            done_at=timezone.now() - timedelta(days=8),
            done_by=wpb,
        )
        Afspraak.objects.create(
            stage=stage,
            gesprek=held,
            leerdoel=leerdoel,
            text="Meelopen met twee onderhoudsbeurten van een cv-ketel.",
            owner=sanne,
            due_date=date.today() + timedelta(days=14),
            created_by=opleider,
        )
        held.afronden(version=held.notes_version, by=opleider)
    Wijziging.objects.for_object(held).update(at=held.moment.starts_at)

    _finished_stage(bedrijf, opleider, "Mila Jansen", "oud-stagiair@student-demo.nl", [5, 4, 4, 3, 4, 5], "Ja, graag!")
    _finished_stage(bedrijf, opleider, "Tim de Wit", "oud-stagiair2@student-demo.nl", [4, 3, 2, 4, 3, 4], "Misschien.")


def load_driegesprek():
    """Sanne's startgesprek with the school, held and recorded by both sides (the verslag follows in
    load_verslagen), and her middengesprek planned a few days ago and not recorded: it is flagged on the start pages
    of her praktijkopleider and werkplekbegeleider ("sla ze niet over", stageplan.overdue)."""
    stage = Stage.objects.filter(stagiair__email="stagiair.bol@student-demo.nl", mbo_begeleider__isnull=False).first()
    if stage is None:
        return
    users = get_user_model().objects
    opleider = users.get(email="praktijkopleider@installatiebedrijf-demo.nl")
    now = timezone.now()
    start = Moment.objects.planned().filter(stage=stage, kind=MomentKind.STARTGESPREK).first()
    if start is None:
        start = Moment.objects.create(
            stage=stage, kind=MomentKind.STARTGESPREK, starts_at=_at(stage.start_date + timedelta(days=3))
        )
    gesprek = Driegesprek.for_moment(start)
    if not gesprek.is_afgerond and start.starts_at < now:
        gesprek.save_notes(
            version=gesprek.notes_version,
            by=opleider,
            values={
                "deelnemer_stagiair": True,
                "deelnemer_bedrijf": True,
                "deelnemer_school": True,
                "deelnemers_anders": "Wim de Vries (monteur)",
                "notes_besproken": "Sanne is goed gestart. Het stageplan is besproken; de leerdoelen passen bij "
                "leerjaar 2. De school vraagt om de projectopdracht in week 6 in te plannen.",
            },
        )
        gesprek.save_school_notes(
            version=gesprek.school_version,
            by=stage.mbo_begeleider,
            values={"school_notes": "Goede eerste indruk. Sanne weet bij wie ze terecht kan. Schoolbezoek in week 8."},
        )
        gesprek.add_afspraak(
            by=opleider,
            text="Projectopdracht van school inplannen met Wim.",
            owner=stage.werkplekbegeleider or opleider,
            due_date=stage.start_date + timedelta(days=42),
        )
        gesprek.afronden(version=gesprek.notes_version, school_version=gesprek.school_version, by=opleider)
        Wijziging.objects.for_object(gesprek).update(at=start.starts_at)
    midden = Moment.objects.planned().filter(stage=stage, kind=MomentKind.MIDDENGESPREK).first()
    if midden is not None and midden.starts_at > now:
        # Moved three days back, as a stage whose middengesprek passed without anyone recording it.
        midden.reschedule(starts_at=now - timedelta(days=3), location=midden.location)
    # The demo stages started before the portal was used: the moments the stageplan proposed for those weeks were
    # held on paper. Cancelled with that reason, they leave the middengesprek as the one moment not recorded.
    for moment in overdue.overdue(now).exclude(pk=getattr(midden, "pk", None)):
        moment.cancel(reason="Gehouden vóór de Stagegids in gebruik was; het verslag zit in de papieren stagemap.")


def _finished_stage(bedrijf, opleider, name, email, scores, hier_werken):
    stagiair, _ = Stagiair.objects.get_or_create(leerbedrijf=bedrijf, email=email, defaults={"name": name})
    start = date.today() - timedelta(days=300)
    stage, _ = Stage.objects.get_or_create(
        leerbedrijf=bedrijf,
        stagiair=stagiair,
        defaults={
            "kwalificatie": Kwalificatie.objects.get(crebo="25333"),
            "leerweg": "bol",
            "start_date": start,
            "end_date": start + timedelta(days=140),
            "onderwijsinstelling": Onderwijsinstelling.objects.get(name="ROC Midden-Nederland (demo)"),
        },
    )
    evaluatie, created = Evaluatie.objects.get_or_create(
        stage=stage,
        defaults={
            "submitted_at": timezone.make_aware(datetime.combine(stage.end_date, time(16, 0))),
            "gesprek_notes": "Open gesprek; de stage is goed bevallen.",
            "bijbaan": True,
            "vooruitzichten": "Komt in de zomer als vakantiekracht.",
            "lessen": "Begin de eerste week met een vaste klus samen met de werkplekbegeleider.",
            "recorded_by": opleider,
            "recorded_at": timezone.make_aware(datetime.combine(stage.end_date, time(16, 30))),
        },
    )
    if not created:
        return
    texts = {
        "stage_ervaren": "Leerzaam, en een fijn team.",
        "hier_werken": hier_werken,
        "werkdruk": "Soms druk aan het eind van de week.",
        "manager": "Meer tijd voor uitleg op de bouw.",
        "tips": "Vaker even vragen hoe het gaat.",
    }
    scored = ["stage_ervaren", "verwachtingen", "hier_werken", "werkdruk", "duidelijk", "begeleiding"]
    for key, score in zip(scored, scores, strict=True):
        EvaluatieAntwoord.objects.create(evaluatie=evaluatie, question=key, score=score, text=texts.get(key, ""))
    for key in ("manager", "tips"):
        EvaluatieAntwoord.objects.create(evaluatie=evaluatie, question=key, text=texts[key])


def load_zorgen():
    """One open concern on Sanne's stage, recorded by her werkplekbegeleider: on the start pages of Wim and the
    praktijkopleider, and readable for Sanne; not shared with the school yet."""
    stage = Stage.objects.filter(stagiair__email="stagiair.bol@student-demo.nl").first()
    if stage is None or stage.zorgen.exists():
        return
    wpb = get_user_model().objects.get(email="werkplekbegeleider@installatiebedrijf-demo.nl")
    Zorg.record(
        stage=stage,
        by=wpb,
        kind=ZorgKind.AANWEZIGHEID,
        happened="Sanne was deze week twee keer een half uur te laat, zonder te bellen. Ze zegt dat de bus uitviel.",
        agreed="Sanne belt voor half acht als ze later komt. We kijken samen naar een vroegere bus.",
        next_step="Kort gesprek met Sanne: is het opgelost?",
        next_step_on=date.today() + timedelta(days=4),
    )


def load_reminder_moments():
    """Sanne's voortgangsgesprek tomorrow and tussenbeoordeling in five days: with worker and beat running
    (`make run`) their reminders appear in the console within a minute, and on the start pages."""
    stage = Stage.objects.filter(stagiair__email="stagiair.bol@student-demo.nl").first()
    if stage is None:
        return
    today = timezone.localdate()
    for kind, days, hour in [(MomentKind.VOORTGANGSGESPREK, 1, 10), (MomentKind.TUSSENBEOORDELING, 5, 14)]:
        starts_at = timezone.make_aware(datetime.combine(today + timedelta(days=days), time(hour)))
        # The stageplan demo proposes moments too; one of this kind in the coming week is enough.
        planned = Moment.objects.planned().filter(
            stage=stage, kind=kind, starts_at__date__range=(today, today + timedelta(days=7))
        )
        if not planned.exists():
            Moment.objects.create(
                stage=stage,
                kind=kind,
                starts_at=starts_at,
                location="Van Dijk Installatietechniek, Ambachtsweg 12, Utrecht",
            )


DEMO_CREBOS = ["25333", "25349", "25308", "25282"]


def load_beoordelingen():
    stages = list(Stage.objects.filter(kwalificatie__crebo__in=DEMO_CREBOS).select_related("kwalificatie"))
    kwalificaties = {stage.kwalificatie.pk: stage.kwalificatie for stage in stages}
    for kwalificatie in kwalificaties.values():
        Formuliersjabloon.default_for(kind=BeoordelingKind.TUSSENBEOORDELING, kwalificatie=kwalificatie)
    stage = next((s for s in stages if s.stagiair.email == "stagiair.bol@student-demo.nl"), None)
    if stage is None or stage.beoordelingen.exists():
        return
    opleider = get_user_model().objects.get(email="praktijkopleider@installatiebedrijf-demo.nl")
    # The coming tussenbeoordeling (load_reminder_moments plans one in five days), so Sanne's zelfbeoordeling is
    # what the reminders ask for.
    moment = (
        Beoordeling.open_moments(stage).filter(kind=MomentKind.TUSSENBEOORDELING, starts_at__gte=timezone.now()).first()
    )
    beoordeling = Beoordeling.start(stage=stage, kind=BeoordelingKind.TUSSENBEOORDELING, by=opleider, moment=moment)
    invulling = beoordeling.invullingen.get(party=Party.PRAKTIJKOPLEIDER)
    criteria = list(beoordeling.criteria.all())
    answers = {
        criterium: ("goed" if i % 3 == 0 else "voldoende", "Zie observaties." if i == 0 else "")
        for i, criterium in enumerate(criteria)
    }
    invulling.save_answers(by=opleider, revision=invulling.revision, answers=answers, submit=True)


def load_voortgang():
    """Noah's progress picture: a tussenbeoordeling he and his praktijkopleider both handed in, where their views
    differ, and his leerdoelen reached one by one over the past weeks (the status steps backdated in the trail)."""
    stage = Stage.objects.filter(stagiair__email="stagiair.bol2@student-demo.nl").first()
    if stage is None or stage.beoordelingen.exists() or not hasattr(stage, "stageplan"):
        return
    opleider = get_user_model().objects.get(email="praktijkopleider@installatiebedrijf-demo.nl")
    stagiair = stage.stagiair.user or opleider
    beoordeling = Beoordeling.start(stage=stage, kind=BeoordelingKind.TUSSENBEOORDELING, by=opleider)
    criteria = list(beoordeling.criteria.all())
    steps = [value for value, _label, _ok in beoordeling.scale_steps()]
    groups = list(dict.fromkeys(criterium.werkproces_label for criterium in criteria))
    for party, user, shift in ((Party.PRAKTIJKOPLEIDER, opleider, 0), (Party.STAGIAIR, stagiair, 1)):
        invulling = beoordeling.invullingen.get(party=party)
        answers = {
            # The stagiair rates himself a step higher on every other werkproces: the points to talk about.
            criterium: (steps[min(len(steps) - 1, 1 + (groups.index(criterium.werkproces_label) + shift * i) % 2)], "")
            for i, criterium in enumerate(criteria)
        }
        invulling.save_answers(by=user, revision=invulling.revision, answers=answers, submit=True)
    Wijziging.objects.filter(
        content_type=ContentType.objects.get_for_model(Beoordeling), object_id=beoordeling.pk
    ).update(at=timezone.now() - timedelta(days=3))
    Beoordeling.objects.filter(pk=beoordeling.pk).update(created_at=timezone.now() - timedelta(days=3))
    leerdoelen = list(Leerdoel.objects.filter(stageplan__stage=stage).order_by("pk"))
    for weeks_ago, leerdoel in zip((4, 2), [d for d in leerdoelen if d.status != LeerdoelStatus.BEHAALD], strict=False):
        old, leerdoel.status = leerdoel.status, LeerdoelStatus.BEHAALD
        plan = stage.stageplan
        plan.refresh_from_db()
        # As the leerdoel's page saves a new status: a version of the plan, and the step in its history.
        save_change(
            stageplan=plan,
            based_on=plan.version,
            by=stagiair,
            summary=f"Leerdoel '{leerdoel.title}' behaald",
            apply=lambda leerdoel=leerdoel: leerdoel.save(update_fields=["status"]),
        )
        step = leerdoel.record_status(old=old, by=stagiair)
        Wijziging.objects.filter(pk=step.pk).update(at=timezone.now() - timedelta(weeks=weeks_ago))
    first = timezone.make_aware(datetime.combine(stage.start_date, time(9, 0)))
    Wijziging.objects.filter(
        content_type=ContentType.objects.get_for_model(Leerdoel),
        object_id__in=[leerdoel.pk for leerdoel in leerdoelen],
        changes__status__0=None,
    ).update(at=first)


def load_verslagen():
    """The stagemap of every demo stage holds the verslagen of what is already agreed, afgerond, signed or recorded."""
    User = get_user_model()
    for stage in Stage.objects.filter(kwalificatie__crebo__in=DEMO_CREBOS).select_related("leerbedrijf"):
        opleider = User.objects.filter(
            memberships__leerbedrijf=stage.leerbedrijf,
            memberships__role=Role.PRAKTIJKOPLEIDER,
            memberships__ended_at__isnull=True,
        ).first()
        if opleider is not None:
            made = make_missing_verslagen(stage, by=opleider)
            # The first waits for the school's oordeel: its mbo-begeleider reads it from the start page (issue 16).
            if made and stage.mbo_begeleider_id:
                made[0].share(by=opleider)
