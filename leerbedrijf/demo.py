"""Demo data of this app, loaded by `manage.py demo` (beoordeling), which calls each app's demo in order.

Every loader can run again and changes nothing the second time.
"""

from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django_otp.plugins.otp_totp.models import TOTPDevice

from stagegids import demo
from stagegids.dates import add_months, add_years
from stagegids.roles import Role

from .models import (
    Besluit,
    ChecklistItem,
    DefaultResponsible,
    Erkenning,
    ErkenningStatus,
    Kandidaat,
    Kerntaak,
    Kwalificatie,
    Leerbedrijf,
    MeewerkendeCollega,
    Membership,
    OnboardingPhase,
    OnboardingTemplateItem,
    Onderwijsinstelling,
    Stage,
    StageStop,
    Stagiair,
    StopKind,
    StopReden,
    Training,
    Werkproces,
    stage_create,
    training_save,
)

DEMO_NOTES = {
    ChecklistItem.WERKPLEK: "RI&E bijgewerkt; werkplaats en bus gecontroleerd.",
    ChecklistItem.PRAKTIJKOPLEIDER: "Petra heeft de training praktijkopleider gevolgd en 4 uur per week.",
    ChecklistItem.VERZEKERING: "Polis bij de brancheverzekeraar, studentendekking inbegrepen.",
}


EXAMPLE_SOURCE = "Voorbeelddata voor de demo, niet uit een kwalificatiedossier"
# No real source here gives kerntaken and werkprocessen (shared/reference/README.md), so the demo invents plausible
# ones, marked is_example so that every page that shows them says so.
EXAMPLE_BASISDEEL = [
    (
        "B1-K1",
        "Bereidt installatiewerkzaamheden voor",
        [
            ("B1-K1-W1", "Stemt de werkzaamheden af met de leidinggevende en de klant"),
            ("B1-K1-W2", "Verzamelt gereedschap en materiaal en richt de werkplek veilig in"),
        ],
    ),
    (
        "B1-K2",
        "Voert installatiewerkzaamheden uit",
        [
            ("B1-K2-W1", "Monteert leidingen, kabels en componenten volgens tekening"),
            ("B1-K2-W2", "Test de installatie en stelt haar in bedrijf"),
            ("B1-K2-W3", "Rapporteert over de uitgevoerde werkzaamheden"),
        ],
    ),
]
EXAMPLE_PROFIELDEEL = {
    "25333": ("P1-K1", "Sluit elektrotechnische installaties aan", ["Meet en controleert volgens NEN 1010"]),
    "25349": ("P1-K1", "Coördineert de montage in de woning", ["Begeleidt een monteur bij het werk"]),
    "25308": ("P1-K1", "Onderhoudt installaties en systemen", ["Verhelpt storingen"]),
    "25282": ("P1-K1", "Installeert koude- en klimaatsystemen", ["Vult en controleert het koudemiddel"]),
}


def load():
    load_example_werkprocessen()
    Loader().load()


def load_example_werkprocessen():
    for crebo, (code, title, profiel_werkprocessen) in EXAMPLE_PROFIELDEEL.items():
        kwalificatie = Kwalificatie.objects.get(crebo=crebo)
        for k_code, k_title, werkprocessen in EXAMPLE_BASISDEEL:
            _example_kerntaak(kwalificatie.dossier, None, k_code, k_title, werkprocessen)
        profiel = [(f"{code}-W{n}", text) for n, text in enumerate(profiel_werkprocessen, start=1)]
        _example_kerntaak(kwalificatie.dossier, kwalificatie, code, title, profiel)


def _example_kerntaak(dossier, kwalificatie, code, title, werkprocessen):
    kerntaak, _ = Kerntaak.objects.get_or_create(
        dossier=dossier,
        kwalificatie=kwalificatie,
        code=code,
        defaults={"title": title, "source": EXAMPLE_SOURCE, "is_example": True},
    )
    for w_code, w_title in werkprocessen:
        Werkproces.objects.get_or_create(
            kerntaak=kerntaak,
            code=w_code,
            defaults={"title": w_title, "source": EXAMPLE_SOURCE, "is_example": True},
        )


ENDED_STAGIAIR = "stagiair.bol4@student-demo.nl"


def load_ended_stage():
    """A stage that went wrong (issue 15): ended three days ago on the stagiair's request, as the praktijkopleider's
    page ends one; its coming moments are cancelled and the stagemap gets the closing verslag."""
    stage = Stage.objects.filter(stagiair__email=ENDED_STAGIAIR).select_related("stagiair", "mbo_begeleider").first()
    if stage is None or stage.stopped:
        return
    StageStop.record(
        stage=stage,
        kind=StopKind.BEEINDIGD,
        reden=StopReden.STAGIAIR,
        starts_on=max(stage.start_date, date.today() - timedelta(days=3)),
        toelichting="Lotte kiest na een gesprek met school voor een andere opleiding (elektrotechniek). Afgesproken: "
        "zij haalt haar gereedschap vrijdag op en de school regelt de overstap.",
        by=get_user_model().objects.get(email="praktijkopleider@installatiebedrijf-demo.nl"),
    )


class Loader:
    def person(self, email, name, **extra):
        user, created = get_user_model().objects.get_or_create(email=email, defaults={"name": name, **extra})
        if created:
            user.set_password(demo.PASSWORD)
            user.save()
        return user

    def member(self, user, role, leerbedrijf=None, school=None):
        Membership.objects.get_or_create(
            user=user, role=role, leerbedrijf=leerbedrijf, onderwijsinstelling=school, ended_at=None
        )

    def stage(self, leerbedrijf, name, email, crebo, leerweg, school, start=None, **people):
        user = self.person(email, name)
        stagiair, _ = Stagiair.objects.get_or_create(
            leerbedrijf=leerbedrijf, email=email, defaults={"name": name, "user": user}
        )
        start = start or date.today().replace(day=1) - timedelta(days=60)
        # Loading the demo twice keeps the stage it made the first time; a new one is made as every page makes it.
        stage = Stage.objects.filter(leerbedrijf=leerbedrijf, stagiair=stagiair).first() or stage_create(
            leerbedrijf=leerbedrijf,
            stagiair=stagiair,
            kwalificatie=Kwalificatie.objects.get(crebo=crebo),
            leerweg=leerweg,
            start_date=start,
            end_date=start + timedelta(days=300 if leerweg == "bbl" else 140),
            onderwijsinstelling=school,
            **people,
        )
        if stage.niveau is None:
            self.fill_contract(stage)
        return stage

    def collegas(self, stage, bedrijf, opleider, monteur):
        """Daan, a zij-instromer, rides along with a second monteur for six weeks and has an informele begeleider
        (issue 15), added as the stage's page adds them; only the first time."""
        if stage.collegas.exists():
            return
        informeel = self.person("monteur@installatiebedrijf-demo.nl", "Kees Mulder")
        self.member(informeel, Role.INFORMELE_BEGELEIDER, bedrijf)
        today = date.today()
        MeewerkendeCollega.add(
            stage=stage,
            user=monteur,
            kind=Role.WERKPLEKBEGELEIDER,
            start_date=max(stage.start_date, today - timedelta(days=14)),
            end_date=min(stage.end_date, today + timedelta(days=28)),
            by=opleider,
        )
        MeewerkendeCollega.add(
            stage=stage,
            user=informeel,
            kind=Role.INFORMELE_BEGELEIDER,
            start_date=stage.start_date,
            end_date=stage.end_date,
            by=opleider,
        )

    def onboarding_done(self, stage, by, *, except_keys=()):
        """Tick what a running stage has done; the items in except_keys stay open, so the demo shows late ones."""
        for item in stage.onboarding_items.open().exclude(gids_key__in=except_keys).exclude(gids_key=""):
            item.set_done(by=by)

    def erkenning(self, leerbedrijf, crebo, status, ticked, by, **dates):
        kwalificatie = Kwalificatie.objects.get(crebo=crebo)
        erkenning, created = Erkenning.objects.get_or_create(
            leerbedrijf=leerbedrijf, kwalificatie=kwalificatie, defaults={"status": status, **dates}
        )
        if not created:
            return erkenning
        for check in erkenning.checks.filter(item__in=ticked):
            check.record(done=True, note=DEMO_NOTES.get(check.item, ""), by=by)
        return erkenning

    def erkenningen(self, bedrijf, ander, opleider, ander_opleider):
        today = date.today()
        # Erkend almost four years ago: the herbeoordeling is due within three months and shows as a warning.
        granted = add_months(add_years(today, -4), 2)
        items = ChecklistItem.values
        elektro = self.erkenning(
            bedrijf,
            "25333",
            ErkenningStatus.ERKEND,
            items,
            opleider,
            sbb_reference="SBB-2022-104233",
            applied_on=granted - timedelta(days=45),
            granted_on=granted,
        )
        if not elektro.unavailable_werkprocessen.exists():
            elektro.unavailable_werkprocessen.set(
                Werkproces.objects.for_kwalificatie(elektro.kwalificatie).filter(code="P1-K1-W1")
            )
        self.erkenning(
            bedrijf,
            "25349",
            ErkenningStatus.ERKEND,
            items,
            opleider,
            sbb_reference="SBB-2019-087311",
            applied_on=date(2019, 2, 1),
            granted_on=date(2019, 3, 14),
            last_herbeoordeling=date(2023, 3, 2),
        )
        self.erkenning(
            bedrijf,
            "25308",
            ErkenningStatus.AANGEVRAAGD,
            items[:4],
            opleider,
            applied_on=today - timedelta(days=20),
        )
        self.erkenning(bedrijf, "25282", ErkenningStatus.IN_VOORBEREIDING, items[:2], opleider)
        self.erkenning(
            ander,
            "25282",
            ErkenningStatus.ERKEND,
            items,
            ander_opleider,
            sbb_reference="SBB-2021-066120",
            applied_on=date(2021, 4, 1),
            granted_on=date(2021, 5, 20),
        )

    def fill_contract(self, stage):
        """What the praktijkovereenkomst holds; only filled once, so a second run changes nothing."""
        bbl = stage.leerweg == "bbl"
        stage.niveau = stage.kwalificatie.niveau
        stage.leerjaar = 2 if bbl else 1
        stage.herkomst = "zij_instromer" if bbl else "vo"
        stage.pok_signed_on = stage.start_date - timedelta(days=21)
        stage.bpv_overeenkomst_signed_on = stage.start_date - timedelta(days=21) if bbl else None
        stage.salaris = 2150 if bbl else None
        stage.stagevergoeding = None if bbl else 300
        stage.days_per_week = 4 if bbl else 3
        stage.hours_per_week = 32 if bbl else 24
        stage.bpv_coordinator_name = "Marloes Hendriks"
        stage.bpv_coordinator_email = "bpv@roc-demo.nl"
        stage.save()

    def kandidaten(self, bedrijf, school):
        Kandidaat.objects.get_or_create(
            leerbedrijf=bedrijf,
            name="Yara Jansen",
            defaults={
                "email": "yara.jansen@student-demo.nl",
                "kwalificatie": Kwalificatie.objects.get(crebo="25333"),
                "onderwijsinstelling": school,
                "motivatie": "Ik sleutel thuis aan alles en wil leren hoe een installatie in een woning werkt.",
                "leerwensen": "Groepenkasten aanleggen en storingen zoeken.",
                "leerwensen_geboden": True,
                "meeloopdag_on": date.today() + timedelta(days=7),
                "meeloopdag_met": "Wim de Vries",
            },
        )
        rejected, created = Kandidaat.objects.get_or_create(
            leerbedrijf=bedrijf,
            name="Tim Verhoeven",
            defaults={
                "email": "tim.verhoeven@student-demo.nl",
                "motivatie": "Ik wil vooral zonnepanelen leggen.",
                "leerwensen": "Zonnepanelen op daken.",
                "leerwensen_geboden": False,
                "meeloopdag_on": date.today() - timedelta(days=14),
                "meeloopdag_met": "Ahmed El Amrani",
                "meeloopdag_uitkomst": "Weinig interesse in binneninstallaties.",
            },
        )
        if created:
            rejected.decide(
                besluit=Besluit.NIET_AANGENOMEN,
                reden="Wat hij wil leren (zonnepanelen) bieden wij niet; doorverwezen naar de school.",
            )

    def load(self):
        beheerder = self.person(
            "beheerder@stagegids-demo.nl", "Beheerder Wij Techniek", is_staff=True, is_superuser=True
        )
        # Staff log in with a second step: the demo beheerder's app has the known secret of stagegids/demo.py.
        TOTPDevice.objects.get_or_create(
            user=beheerder, defaults={"name": "app", "key": demo.TOTP_KEY, "confirmed": True}
        )

        roc, _ = Onderwijsinstelling.objects.get_or_create(
            name="ROC Midden-Nederland (demo)", defaults={"plaats": "Utrecht"}
        )
        other_roc, _ = Onderwijsinstelling.objects.get_or_create(
            name="Noorderpoort (demo)", defaults={"plaats": "Groningen"}
        )
        mbo_begeleider = self.person("mbo-begeleider@roc-demo.nl", "Karin Bos")
        self.member(mbo_begeleider, Role.MBO_BEGELEIDER, school=roc)
        other_mbo = self.person("mbo-begeleider@noorderpoort-demo.nl", "Jeroen Wiersma")
        self.member(other_mbo, Role.MBO_BEGELEIDER, school=other_roc)

        bedrijf, _ = Leerbedrijf.objects.get_or_create(
            kvk_nummer="12345678",
            defaults={
                "name": "Van Dijk Installatietechniek (demo)",
                "straat": "Ambachtsweg 12",
                "postcode": "3542 DB",
                "plaats": "Utrecht",
                "sbb_leerbedrijf_id": "100012345",
            },
        )
        opleider = self.person("praktijkopleider@installatiebedrijf-demo.nl", "Petra van Dijk")
        wpb1 = self.person("werkplekbegeleider@installatiebedrijf-demo.nl", "Wim de Vries")
        wpb2 = self.person("werkplekbegeleider2@installatiebedrijf-demo.nl", "Ahmed El Amrani")
        beoordelaar = self.person("praktijkbeoordelaar@installatiebedrijf-demo.nl", "Bert Smit")
        self.member(opleider, Role.PRAKTIJKOPLEIDER, bedrijf)
        self.member(wpb1, Role.WERKPLEKBEGELEIDER, bedrijf)
        self.member(wpb2, Role.WERKPLEKBEGELEIDER, bedrijf)
        self.member(beoordelaar, Role.PRAKTIJKBEOORDELAAR, bedrijf)
        if not opleider.trainingen.exists():
            # What the erkenning's checklist names of her (gids ch. 3), as her profile page records it.
            training_save(
                Training(
                    user=opleider,
                    name="Training praktijkopleider",
                    provider="SBB",
                    completed_on=date.today() - timedelta(days=700),
                )
            )
        people = {"mbo_begeleider": mbo_begeleider, "praktijkbeoordelaar": beoordelaar}
        OnboardingTemplateItem.objects.get_or_create(
            leerbedrijf=bedrijf,
            phase=OnboardingPhase.EERSTE_WEEK,
            text="Laat de stagiair de toolbox ‘veilig werken op hoogte’ volgen.",
            defaults={"responsible": DefaultResponsible.WERKPLEKBEGELEIDER, "created_by": opleider},
        )
        sanne = self.stage(
            bedrijf,
            "Sanne Meijer",
            "stagiair.bol@student-demo.nl",
            "25333",
            "bol",
            roc,
            werkplekbegeleider=wpb1,
            **people,
        )
        self.onboarding_done(sanne, opleider)
        daan = self.stage(
            bedrijf,
            "Daan Visser",
            "stagiair.bbl@student-demo.nl",
            "25349",
            "bbl",
            roc,
            werkplekbegeleider=wpb1,
            **people,
        )
        self.onboarding_done(daan, wpb1, except_keys={"klant_tot_plank", "pauze"})
        self.collegas(daan, bedrijf, opleider, wpb2)
        next_monday = date.today() + timedelta(days=7 - date.today().weekday())
        self.stage(
            bedrijf,
            "Mila Jansen",
            "stagiair.bol3@student-demo.nl",
            "25333",
            "bol",
            roc,
            start=next_monday + timedelta(days=7),
            werkplekbegeleider=wpb2,
            **people,
        )
        self.stage(
            bedrijf,
            "Noah Bakker",
            "stagiair.bol2@student-demo.nl",
            "25308",
            "bol",
            roc,
            werkplekbegeleider=wpb2,
            **people,
        )
        # Ended early (load_ended_stage, once the stageplan has planned its moments).
        self.stage(
            bedrijf,
            "Lotte de Boer",
            ENDED_STAGIAIR,
            "25333",
            "bol",
            roc,
            werkplekbegeleider=wpb2,
            **people,
        )

        self.kandidaten(bedrijf, roc)

        ander, _ = Leerbedrijf.objects.get_or_create(
            kvk_nummer="87654321",
            defaults={
                "name": "Klimaattechniek Noord (demo)",
                "plaats": "Groningen",
                "sbb_leerbedrijf_id": "100098765",
            },
        )
        ander_opleider = self.person("praktijkopleider@klimaattechniek-demo.nl", "Hilde Postma")
        ander_wpb = self.person("werkplekbegeleider@klimaattechniek-demo.nl", "Sjoerd Dijkstra")
        self.member(ander_opleider, Role.PRAKTIJKOPLEIDER, ander)
        self.member(ander_wpb, Role.WERKPLEKBEGELEIDER, ander)
        self.stage(
            ander,
            "Lisa de Jong",
            "stagiair@klimaat-student-demo.nl",
            "25282",
            "bol",
            other_roc,
            werkplekbegeleider=ander_wpb,
            mbo_begeleider=other_mbo,
        )
        self.erkenningen(bedrijf, ander, opleider, ander_opleider)
