"""Demo data of this app, loaded by `manage.py demo` (beoordeling), which calls each app's demo in order.

Every loader can run again and changes nothing the second time.
"""

from datetime import date, timedelta

from django.contrib.auth import get_user_model

from stagegids.roles import Role

from .models import Besluit, Kandidaat, Kwalificatie, Leerbedrijf, Membership, Onderwijsinstelling, Stage, Stagiair

PASSWORD = "stagegids-demo"  # noqa: S105  shown on the login page, and only with debug on


def load():
    Loader().load()


class Loader:
    def person(self, email, name, **extra):
        user, created = get_user_model().objects.get_or_create(email=email, defaults={"name": name, **extra})
        if created:
            user.set_password(PASSWORD)
            user.save()
        return user

    def member(self, user, role, leerbedrijf=None, school=None):
        Membership.objects.get_or_create(
            user=user, role=role, leerbedrijf=leerbedrijf, onderwijsinstelling=school, ended_at=None
        )

    def stage(self, leerbedrijf, name, email, crebo, leerweg, school, **people):
        user = self.person(email, name)
        stagiair, _ = Stagiair.objects.get_or_create(
            leerbedrijf=leerbedrijf, email=email, defaults={"name": name, "user": user}
        )
        start = date.today().replace(day=1) - timedelta(days=60)
        stage, _ = Stage.objects.get_or_create(
            leerbedrijf=leerbedrijf,
            stagiair=stagiair,
            defaults={
                "kwalificatie": Kwalificatie.objects.get(crebo=crebo),
                "leerweg": leerweg,
                "start_date": start,
                "end_date": start + timedelta(days=300 if leerweg == "bbl" else 140),
                "onderwijsinstelling": school,
                **people,
            },
        )
        if stage.niveau is None:
            self.fill_contract(stage)

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
        self.person("beheerder@stagegids-demo.nl", "Beheerder Wij Techniek", is_staff=True, is_superuser=True)

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
        people = {"mbo_begeleider": mbo_begeleider, "praktijkbeoordelaar": beoordelaar}
        self.stage(
            bedrijf,
            "Sanne Meijer",
            "stagiair.bol@student-demo.nl",
            "25333",
            "bol",
            roc,
            werkplekbegeleider=wpb1,
            **people,
        )
        self.stage(
            bedrijf,
            "Daan Visser",
            "stagiair.bbl@student-demo.nl",
            "25349",
            "bbl",
            roc,
            werkplekbegeleider=wpb1,
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
