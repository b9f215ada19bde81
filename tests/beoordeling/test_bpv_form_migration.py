"""An existing database upgrades: the company's form of a bpv-beoordeling, and the trail's entries about it, move
from the praktijkbeoordelaar's part to the leerbedrijf's; a pvb stays the praktijkbeoordelaar's. And back."""

import pytest

from beoordeling.beoordelingen.models import Beoordeling, BeoordelingAction, BeoordelingKind, Invulling
from stagegids.models import Wijziging
from tests.factories import StageFactory, UserFactory
from tests.stagegids.test_wijziging_migration import migrate

BEFORE = [("beoordeling", "0008_reminder_moves_to_stagegids")]


@pytest.fixture
def back_to_latest():
    yield
    migrate(None)


@pytest.mark.django_db(transaction=True)
def test_bpv_forms_become_the_leerbedrijfs_and_back(back_to_latest):
    stage, beoordelaar = StageFactory(), UserFactory()
    bpv = Beoordeling.start(stage=stage, kind=BeoordelingKind.BPV, by=beoordelaar)
    pvb = Beoordeling.start(stage=stage, kind=BeoordelingKind.PVB, by=beoordelaar)
    for beoordeling in (bpv, pvb):
        party = beoordeling.parties[0]
        beoordeling.log_action(BeoordelingAction.FORM_SUBMITTED, by=beoordelaar, data={"party": party})

    def parties():
        return (
            set(Invulling.objects.filter(beoordeling=bpv).values_list("party", flat=True)),
            set(Invulling.objects.filter(beoordeling=pvb).values_list("party", flat=True)),
            Wijziging.objects.for_object(bpv).get(action=BeoordelingAction.FORM_SUBMITTED).data["party"],
        )

    assert parties() == ({"leerbedrijf"}, {"praktijkbeoordelaar"}, "leerbedrijf")
    migrate(BEFORE)
    assert parties() == ({"praktijkbeoordelaar"}, {"praktijkbeoordelaar"}, "praktijkbeoordelaar")
    migrate(None)
    assert parties() == ({"leerbedrijf"}, {"praktijkbeoordelaar"}, "leerbedrijf")
