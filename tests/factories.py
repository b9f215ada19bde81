from datetime import date, timedelta

import factory
from django.contrib.auth import get_user_model

from leerbedrijf.models import (
    Kerntaak,
    Kwalificatie,
    Kwalificatiedossier,
    Leerbedrijf,
    Membership,
    Onderwijsinstelling,
    Stage,
    Stagiair,
    Werkproces,
)
from stagegids.roles import Role

PASSWORD = "een-lang-testwachtwoord"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"persoon{n}@example.nl")
    name = factory.Faker("name", locale="nl_NL")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class LeerbedrijfFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Leerbedrijf

    name = factory.Sequence(lambda n: f"Installatiebedrijf {n}")
    kvk_nummer = factory.Sequence(lambda n: f"{10000000 + n}")
    plaats = "Utrecht"


class OnderwijsinstellingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Onderwijsinstelling

    name = factory.Sequence(lambda n: f"ROC {n}")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    role = Role.PRAKTIJKOPLEIDER
    leerbedrijf = factory.SubFactory(LeerbedrijfFactory)


class KwalificatieFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Kwalificatie
        django_get_or_create = ["crebo"]

    dossier = factory.LazyFunction(
        lambda: Kwalificatiedossier.objects.get_or_create(
            crebo="23127", defaults={"name": "Elektrotechnische Installaties", "source": "test"}
        )[0]
    )
    crebo = "25333"
    name = "Monteur elektrotechnische installaties"
    niveau = 2
    soort = "basisberoepsopleiding"
    source = "test"


class StagiairFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Stagiair

    leerbedrijf = factory.SubFactory(LeerbedrijfFactory)
    name = factory.Faker("name", locale="nl_NL")
    email = factory.Sequence(lambda n: f"student{n}@example.nl")


class StageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Stage

    leerbedrijf = factory.SubFactory(LeerbedrijfFactory)
    stagiair = factory.SubFactory(StagiairFactory, leerbedrijf=factory.SelfAttribute("..leerbedrijf"))
    kwalificatie = factory.SubFactory(KwalificatieFactory)
    leerweg = "bol"
    start_date = factory.LazyFunction(lambda: date.today() - timedelta(days=30))
    end_date = factory.LazyFunction(lambda: date.today() + timedelta(days=120))
    onderwijsinstelling = factory.SubFactory(OnderwijsinstellingFactory)


class KerntaakFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Kerntaak

    dossier = factory.LazyAttribute(lambda o: KwalificatieFactory().dossier)
    code = factory.Sequence(lambda n: f"B1-K{n + 1}")
    title = factory.Sequence(lambda n: f"Kerntaak {n + 1}")
    source = "test"


class WerkprocesFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Werkproces

    kerntaak = factory.SubFactory(KerntaakFactory)
    code = factory.Sequence(lambda n: f"W{n + 1}")
    title = factory.Sequence(lambda n: f"Werkproces {n + 1}")
    source = "test"
