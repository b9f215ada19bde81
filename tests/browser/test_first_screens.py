"""The first screen of each role with nothing yet (issue 12), on a phone and a desktop: it says the next step, and
axe finds nothing. The people are made by factories; tests/stagegids/test_first_screens.py makes them through the
pages and follows every link."""

from datetime import date, timedelta

import pytest

from stagegids.roles import Role
from tests.browser.steps import log_in
from tests.factories import (
    LeerbedrijfFactory,
    MembershipFactory,
    OnderwijsinstellingFactory,
    StageFactory,
    StagiairFactory,
    UserFactory,
    totp_device,
)


def member(role, **where):
    return MembershipFactory(role=role, user=UserFactory(name=f"Nieuwe {role.label.split()[0]}"), **where).user


def nothing_yet(role):
    """A person in `role` with nothing yet, and the next step their start page names."""
    leerbedrijf = LeerbedrijfFactory(name="Nieuw Installatiebedrijf")
    if role == "beheerder":
        # Staff log in with a second step: the beheerder has set up the app (tests/browser/test_tweestaps_flow.py).
        beheerder = UserFactory(name="Bea Beheer", is_staff=True, is_superuser=True)
        totp_device(beheerder)
        return beheerder, "Kwalificaties importeren"
    if role == Role.STAGIAIR:
        user = UserFactory(name="Ilse Instroom")
        stagiair = StagiairFactory(leerbedrijf=leerbedrijf, user=user, name="Ilse Instroom")
        StageFactory(
            leerbedrijf=leerbedrijf, stagiair=stagiair, start_date=date.today(), end_date=date.today() + timedelta(140)
        )
        return user, "Stageplan maken"
    if role == Role.MBO_BEGELEIDER:
        school = OnderwijsinstellingFactory(name="ROC Oost")
        return member(role, leerbedrijf=None, onderwijsinstelling=school), "Het leerbedrijf kiest u bij de intake"
    steps = {
        Role.PRAKTIJKOPLEIDER: "Erkenning vastleggen",
        Role.WERKPLEKBEGELEIDER: "De praktijkopleider koppelt u aan een stagiair.",
        Role.PRAKTIJKBEOORDELAAR: "De praktijkopleider wijst u aan als praktijkbeoordelaar van een stage.",
    }
    return member(role, leerbedrijf=leerbedrijf), steps[role]


@pytest.mark.parametrize(
    "role",
    [
        Role.PRAKTIJKOPLEIDER,
        Role.WERKPLEKBEGELEIDER,
        Role.PRAKTIJKBEOORDELAAR,
        Role.STAGIAIR,
        Role.MBO_BEGELEIDER,
        "beheerder",
    ],
)
def test_first_screen_with_nothing_yet(page, transactional_db, look, role):
    user, next_step = nothing_yet(role)
    log_in(page, user)
    page.get_by_text(next_step).first.wait_for()
    assert "U heeft (nog) geen rol" not in page.locator("main").inner_text()
    look(page, f"start-{role}")

    if role == Role.STAGIAIR:
        # The next first screen: the plan is made, and is to be written before it is agreed.
        page.get_by_role("link", name="Stageplan maken").click()
        page.get_by_role("button", name="Stageplan maken").click()
        page.get_by_role("link", name="Start", exact=True).first.click()
        page.get_by_role("link", name="Beginsituatie schrijven").wait_for()
        assert "Afstemmen" not in page.locator("main").inner_text()
        look(page, "start-stagiair-nieuw-plan")
