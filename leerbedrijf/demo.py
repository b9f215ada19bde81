"""Demo data of this app, loaded by `manage.py demo` (beoordeling), which calls each app's demo in order.

Every loader can run again and changes nothing the second time.
"""

from datetime import date, timedelta

from django.contrib.auth import get_user_model

from stagegids.roles import Role

from .models import (
    DefaultResponsible,
    Kwalificatie,
    Leerbedrijf,
    Membership,
    OnboardingPhase,
    OnboardingTemplateItem,
    Onderwijsinstelling,
    Stage,
    Stagiair,
    onboarding_for,
)

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

    def stage(self, leerbedrijf, name, email, crebo, leerweg, school, start=None, **people):
        user = self.person(email, name)
        stagiair, _ = Stagiair.objects.get_or_create(
            leerbedrijf=leerbedrijf, email=email, defaults={"name": name, "user": user}
        )
        start = start or date.today().replace(day=1) - timedelta(days=60)
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
        onboarding_for(stage)
        return stage

    def onboarding_done(self, stage, by, *, except_keys=()):
        """Tick what a running stage has done; the items in except_keys stay open, so the demo shows late ones."""
        for item in stage.onboarding_items.open().exclude(gids_key__in=except_keys).exclude(gids_key=""):
            item.set_done(by=by)

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
