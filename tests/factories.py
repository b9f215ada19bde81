import functools
from datetime import date, timedelta

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone

from leerbedrijf.models import (
    Erkenning,
    Kandidaat,
    Kerntaak,
    Kwalificatie,
    Kwalificatiedossier,
    Leerbedrijf,
    Membership,
    Onderwijsinstelling,
    Stage,
    Stagiair,
    Werkproces,
    stage_create,
)
from stagegids.roles import Role
from stageplan.models import Moment, MomentKind

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
    """A stage made by the function the intake and the CSV import call, so it has its onboarding checklists."""

    class Meta:
        model = Stage

    leerbedrijf = factory.SubFactory(LeerbedrijfFactory)
    stagiair = factory.SubFactory(StagiairFactory, leerbedrijf=factory.SelfAttribute("..leerbedrijf"))
    kwalificatie = factory.SubFactory(KwalificatieFactory)
    leerweg = "bol"
    start_date = factory.LazyFunction(lambda: date.today() - timedelta(days=30))
    end_date = factory.LazyFunction(lambda: date.today() + timedelta(days=120))
    onderwijsinstelling = factory.SubFactory(OnderwijsinstellingFactory)

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return stage_create(*args, **kwargs)


class ErkenningFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Erkenning

    leerbedrijf = factory.SubFactory(LeerbedrijfFactory)
    kwalificatie = factory.SubFactory(KwalificatieFactory)
    status = "erkend"
    sbb_reference = factory.Sequence(lambda n: f"SBB-{n:06d}")
    granted_on = factory.LazyFunction(lambda: date.today() - timedelta(days=365))


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


class VerslagFactory(factory.django.DjangoModelFactory):
    """A verslag row with a tiny stand-in file; tests of the rendering itself use make_verslag."""

    class Meta:
        model = "stagemap.Verslag"

    stage = factory.SubFactory(StageFactory)
    kind = "tussenbeoordeling"
    title = "Verslag tussenbeoordeling"
    file = factory.django.FileField(filename="verslag.pdf", data=b"%PDF-1.4 stand-in")
    sha256 = "0" * 64
    source_type = "leerbedrijf.Stage"
    source_id = factory.SelfAttribute("stage.pk")
    source_version = "1"
    created_by = factory.SubFactory(UserFactory)


class MomentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Moment

    stage = factory.SubFactory(StageFactory)
    kind = MomentKind.VOORTGANGSGESPREK
    starts_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=3))
    location = "Kantoor, Ambachtsweg 12"


class KandidaatFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Kandidaat

    leerbedrijf = factory.SubFactory(LeerbedrijfFactory)
    name = factory.Faker("name", locale="nl_NL")
    email = factory.Sequence(lambda n: f"kandidaat{n}@example.nl")
    motivatie = "Ik wil graag warmtepompen leren installeren."


@functools.cache
def png_bytes(*, exif_gps=False, size=(40, 30), fmt="PNG"):
    """A small image; with exif_gps a JPEG carrying a GPS location, as a phone camera writes it."""
    import io

    from PIL import Image

    image = Image.new("RGB", size, (200, 100, 50))
    out = io.BytesIO()
    if exif_gps:
        exif = Image.Exif()
        exif[0x8825] = {1: "N", 2: (52.0, 5.0, 30.0), 3: "E", 4: (5.0, 7.0, 12.0)}
        exif[0x010F] = "Telefoonmerk"
        image.save(out, format="JPEG", exif=exif)
    else:
        image.save(out, format=fmt)
    return out.getvalue()
