from types import SimpleNamespace

import pytest

from beoordeling.models import Beoordeling, BeoordelingKind, CollegaVraag
from leerbedrijf.models import Invitation
from stagegids.roles import Role

from .factories import (
    KerntaakFactory,
    LeerbedrijfFactory,
    MembershipFactory,
    OnderwijsinstellingFactory,
    StageFactory,
    StagiairFactory,
    UserFactory,
    WerkprocesFactory,
)


@pytest.fixture
def world(db):
    """Leerbedrijf A with one person in every role around one stage, and the outsiders who must see none of it.

    Personas (attribute names) are the rows of the authorization matrix.
    """
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
    kerntaak = KerntaakFactory(dossier=w.stage.kwalificatie.dossier, title="Installeert")
    w.werkprocessen = [
        WerkprocesFactory(kerntaak=kerntaak, code=f"B1-K1-W{n}", title=title)
        for n, title in enumerate(["Bereidt voor", "Monteert", "Levert op"], start=1)
    ]
    w.beoordeling = Beoordeling.start(stage=w.stage, kind=BeoordelingKind.TUSSENBEOORDELING, by=w.opleider)
    w.collega_vraag, w.collega_token = CollegaVraag.create(
        beoordeling=w.beoordeling, name="Cor Collega", email="cor@a.nl", asked_by=w.opleider
    )
    return w


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
