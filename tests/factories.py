import functools
import hashlib
from datetime import date, timedelta

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone

from leerbedrijf.models import (
    Erkenning,
    Invitation,
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
from stageplan.changes import create_plan, save_change
from stageplan.models import Moment, MomentKind, Stageplan

PASSWORD = "een-lang-testwachtwoord"


class UserFactory(factory.django.DjangoModelFactory):
    """An account as the invitation page makes it, with create_user (the e-mail address in lower case, the password
    hashed); a beheerder (is_staff, is_superuser) as createsuperuser makes one, through the same function."""

    class Meta:
        model = get_user_model()

    email = factory.Sequence(lambda n: f"persoon{n}@example.nl")
    name = factory.Faker("name", locale="nl_NL")
    password = PASSWORD

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return model_class.objects.create_user(*args, **kwargs)


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


def _praktijkopleider_of(leerbedrijf):
    membership = leerbedrijf.memberships.active().filter(role=Role.PRAKTIJKOPLEIDER).select_related("user").first()
    return membership.user if membership else None


class MembershipFactory(factory.django.DjangoModelFactory):
    """A role as the pages give it: in a leerbedrijf that has a praktijkopleider, by his invitation and its
    acceptance (Invitation.create, Invitation.accept); the first praktijkopleider of a leerbedrijf and a role at a
    school as the beheerder adds them in /beheer/ (the intake's invitation of an mbo-begeleider comes with a stage;
    a test of that uses the intake's page)."""

    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    role = Role.PRAKTIJKOPLEIDER
    leerbedrijf = factory.SubFactory(LeerbedrijfFactory)

    @classmethod
    def _create(cls, model_class, *, user, role, leerbedrijf=None, onderwijsinstelling=None):
        inviter = _praktijkopleider_of(leerbedrijf) if leerbedrijf is not None else None
        if inviter is None:
            return model_class.objects.create(
                user=user, role=role, leerbedrijf=leerbedrijf, onderwijsinstelling=onderwijsinstelling
            )
        invitation, _token = Invitation.create(
            leerbedrijf=leerbedrijf, email=user.email, name=user.name, role=role, invited_by=inviter
        )
        invitation.accept(user)
        return model_class.objects.active().get(user=user, role=role, leerbedrijf=leerbedrijf)


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
    """A stagiair as the intake and the CSV import make one; given a `user`, linked to that account the one way a
    page links it: the stagiair's invitation by the praktijkopleider, accepted (Invitation.create, accept)."""

    class Meta:
        model = Stagiair

    leerbedrijf = factory.SubFactory(LeerbedrijfFactory)
    name = factory.Faker("name", locale="nl_NL")
    email = factory.Sequence(lambda n: f"student{n}@example.nl")

    @classmethod
    def _create(cls, model_class, *, user=None, email, **fields):
        stagiair = model_class.objects.create(email=email.lower(), **fields)
        if user is not None:
            invitation, _token = Invitation.create(
                leerbedrijf=stagiair.leerbedrijf,
                email=stagiair.email,
                name=stagiair.name,
                role=Role.STAGIAIR,
                stagiair=stagiair,
                invited_by=_praktijkopleider_of(stagiair.leerbedrijf),
            )
            invitation.accept(user)
            stagiair.user = user
        return stagiair


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


STAND_IN_PDF = b"%PDF-1.4 stand-in"


class VerslagFactory(factory.django.DjangoModelFactory):
    """A verslag row as the stagemap stores one (its file's hash, made by the stage's praktijkopleider), with two
    shortcuts that no page takes, both kept for speed: the file is a tiny stand-in instead of a rendering (two
    seconds each; tests/stagemap/test_verslagen.py renders with make_verslag), and its source is the stage itself
    instead of a finished document of its kind (which would need that whole chapter done first). A test that needs
    either real makes the verslag with make_verslag or through the stagemap's page."""

    class Meta:
        model = "stagemap.Verslag"

    stage = factory.SubFactory(StageFactory)
    kind = "tussenbeoordeling"
    title = "Verslag tussenbeoordeling"
    file = factory.django.FileField(filename="verslag.pdf", data=STAND_IN_PDF)
    sha256 = hashlib.sha256(STAND_IN_PDF).hexdigest()
    source_type = "leerbedrijf.Stage"
    source_id = factory.SelfAttribute("stage.pk")
    source_version = "1"
    created_by = factory.LazyAttribute(
        lambda o: _praktijkopleider_of(o.stage.leerbedrijf) or MembershipFactory(leerbedrijf=o.stage.leerbedrijf).user
    )


class MomentFactory(factory.django.DjangoModelFactory):
    """A moment as the moments page plans one: a change to the stage's stageplan (save_change), by its praktijkopleider.
    The page plans nothing before the stage has a plan, so a stage without one first gets it as the plan's page
    makes it (create_plan, without proposed moments)."""

    class Meta:
        model = Moment

    stage = factory.SubFactory(StageFactory)
    kind = MomentKind.VOORTGANGSGESPREK
    starts_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=3))
    location = "Kantoor, Ambachtsweg 12"

    @classmethod
    def _create(cls, model_class, *, stage, **fields):
        by = _praktijkopleider_of(stage.leerbedrijf)
        stageplan = Stageplan.objects.filter(stage=stage).first() or create_plan(
            stage=stage, by=by, interval_weeks=4, propose=False
        )
        return save_change(
            stageplan=stageplan,
            based_on=stageplan.version,
            by=by,
            summary="Moment gepland",
            apply=lambda: model_class.objects.create(stage=stage, **fields),
        )


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


def totp_device(user, *, key="3132333435363738393031323334353637383930"):
    """A confirmed app of `user`, as the set-up page stores one (stagegids.twofactor.set_up)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    return TOTPDevice.objects.create(user=user, name="app", key=key, confirmed=True)


def totp_code(user, *, key=None):
    """A code the person's app shows now (or one step on, within the tolerance, when the current one was used)."""
    from django_otp.oath import TOTP, hotp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    if key is None:
        device = TOTPDevice.objects.get(user=user)
        key, last_t = device.key, device.last_t
    else:
        last_t = -1
    now_t = TOTP(bytes.fromhex(key)).t()
    step = max(now_t, last_t + 1)
    assert step <= now_t + 1, "no unused code within the tolerance: wait for the next step"
    return f"{hotp(bytes.fromhex(key), step):06d}"
