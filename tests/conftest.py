from types import SimpleNamespace

import pytest
from django.core.files.base import ContentFile
from django.db import transaction

from leerbedrijf.models import Erkenning, Invitation
from stagegids.roles import Role
from stageplan.changes import create_plan, save_change
from stageplan.models import Leerdoel, Observatie

from .factories import (
    KerntaakFactory,
    LeerbedrijfFactory,
    MembershipFactory,
    OnderwijsinstellingFactory,
    StageFactory,
    StagiairFactory,
    UserFactory,
    WerkprocesFactory,
    png_bytes,
)


@pytest.fixture
def world(db):
    """Leerbedrijf A with one person in every role around one stage, and the outsiders who must see none of it.

    Personas (attribute names) are the rows of the authorization matrix.
    """
    return build_world()


@pytest.fixture(scope="module")
def shared_world(django_db_setup, django_db_blocker):
    """The same world, built once per module for tests that only read it (the authorization matrix). Each test
    still runs in its own rolled-back transaction (`db`), so what one test writes the next does not see.
    """
    with django_db_blocker.unblock(), transaction.atomic():
        yield build_world()
        transaction.set_rollback(True)


def build_world():
    a = LeerbedrijfFactory(name="Installatiebedrijf A")
    b = LeerbedrijfFactory(name="Installatiebedrijf B")
    school = OnderwijsinstellingFactory(name="ROC Zuid")
    other_school = OnderwijsinstellingFactory(name="ROC Noord")

    def member(role, leerbedrijf=None, onderwijsinstelling=None, **user):
        person = UserFactory(**user)
        MembershipFactory(user=person, role=role, leerbedrijf=leerbedrijf, onderwijsinstelling=onderwijsinstelling)
        return person

    w = SimpleNamespace(a=a, b=b, school=school, other_school=other_school)
    w.opleider = member(Role.PRAKTIJKOPLEIDER, a, email="opleider@a.nl", name="Olga Opleider")
    w.wpb = member(Role.WERKPLEKBEGELEIDER, a, email="wpb@a.nl", name="Willem Begeleider")
    w.wpb_other = member(Role.WERKPLEKBEGELEIDER, a, email="wpb2@a.nl", name="Wendy Andere")
    w.beoordelaar = member(Role.PRAKTIJKBEOORDELAAR, a, email="beoordelaar@a.nl")
    w.hybride = member(Role.HYBRIDE_TECHNIEKOPLEIDER, a, email="hybride@a.nl")
    w.informele = member(Role.INFORMELE_BEGELEIDER, a, email="informeel@a.nl")
    w.mbo = member(Role.MBO_BEGELEIDER, onderwijsinstelling=school, email="mbo@roc-zuid.nl")
    w.mbo_same_school = member(Role.MBO_BEGELEIDER, onderwijsinstelling=school, email="mbo2@roc-zuid.nl")
    w.mbo_other_school = member(Role.MBO_BEGELEIDER, onderwijsinstelling=other_school, email="mbo@roc-noord.nl")
    w.opleider_b = member(Role.PRAKTIJKOPLEIDER, b, email="opleider@b.nl")
    w.staff = UserFactory(email="beheer@stagegids.nl", is_staff=True, is_superuser=True)
    w.stagiair = UserFactory(email="stagiair@student.nl", name="Sam Stagiair")

    w.stage = StageFactory(
        leerbedrijf=a,
        stagiair=StagiairFactory(leerbedrijf=a, user=w.stagiair, name="Sam Stagiair", email="stagiair@student.nl"),
        onderwijsinstelling=school,
        mbo_begeleider=w.mbo,
        werkplekbegeleider=w.wpb,
        praktijkbeoordelaar=w.beoordelaar,
    )
    w.stage_b = StageFactory(leerbedrijf=b, onderwijsinstelling=other_school, mbo_begeleider=w.mbo_other_school)
    w.membership_wpb_other = w.wpb_other.memberships.get()
    w.invitation, w.invitation_token = Invitation.create(
        leerbedrijf=a,
        email="nieuw@a.nl",
        name="Nieuwe Collega",
        role=Role.WERKPLEKBEGELEIDER,
        invited_by=w.opleider,
    )
    _stageplan(w)
    return w


def _stageplan(w):
    """The stage's plan: one leerdoel from a werkproces, the proposed moments, one observatie with a photo."""
    w.kerntaak = KerntaakFactory(dossier=w.stage.kwalificatie.dossier, code="B1-K1", title="Installeren")
    w.werkproces = WerkprocesFactory(kerntaak=w.kerntaak, code="B1-K1-W1", title="Legt leidingen aan")
    w.werkproces_unavailable = WerkprocesFactory(kerntaak=w.kerntaak, code="B1-K1-W2", title="Test de installatie")
    erkenning = Erkenning.objects.create(leerbedrijf=w.a, kwalificatie=w.stage.kwalificatie, status="erkend")
    erkenning.unavailable_werkprocessen.add(w.werkproces_unavailable)
    w.stageplan = create_plan(stage=w.stage, by=w.stagiair, interval_weeks=4, propose=True)
    w.leerdoel = save_change(
        stageplan=w.stageplan,
        based_on=1,
        by=w.stagiair,
        summary="Leerdoel toegevoegd",
        apply=lambda: Leerdoel.objects.create(
            stageplan=w.stageplan, werkproces=w.werkproces, title="Leidingen aanleggen", target_date=w.stage.end_date
        ),
    )
    w.moment = w.stage.moments.order_by("starts_at").first()
    w.observatie = Observatie.objects.create(
        stage=w.stage,
        leerdoel=w.leerdoel,
        author=w.wpb,
        date=w.stage.start_date,
        text="Werkt netjes",
        kind="goed",
        photo=ContentFile(png_bytes(), name="test.png"),
    )


PERSONAS = [
    "opleider",
    "wpb",
    "wpb_other",
    "beoordelaar",
    "hybride",
    "informele",
    "stagiair",
    "mbo",
    "mbo_same_school",
    "mbo_other_school",
    "opleider_b",
    "staff",
]
