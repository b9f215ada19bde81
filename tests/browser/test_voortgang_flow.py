"""The voortgang overview in a browser (issue 16): the praktijkopleider opens it from the header, searches, sorts on
the next moment, and opens a stage's progress picture with its tussenbeoordeling handed in by both; on a phone the
rows are cards and the charts fit the screen, and axe finds nothing on either page."""

from datetime import timedelta

from django.utils import timezone

from beoordeling.beoordelingen.models import Party
from tests.factories import MomentFactory, StageFactory, StagiairFactory

from .steps import log_in


def hand_in(beoordeling, party, user, score):
    """One party's form, every criterium scored, handed in (the form's own method)."""
    invulling = beoordeling.invullingen.get(party=party)
    answers = {criterium: (score, "") for criterium in beoordeling.criteria.all()}
    invulling.save_answers(by=user, revision=invulling.revision, answers=answers, submit=True)


def test_overview_and_progress_picture(page, world, look):
    other = StageFactory(leerbedrijf=world.a, stagiair=StagiairFactory(leerbedrijf=world.a, name="Ada Aansluiting"))
    MomentFactory(stage=other, starts_at=timezone.now() + timedelta(days=60))
    steps = [value for value, _label, _ok in world.beoordeling.scale_steps()]
    hand_in(world.beoordeling, Party.PRAKTIJKOPLEIDER, world.opleider, steps[-1])
    hand_in(world.beoordeling, Party.STAGIAIR, world.stagiair, steps[-2])

    log_in(page, world.opleider)
    if page.width_name == "phone":
        page.get_by_role("button", name="Menu openen").click()
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Voortgang").click()
    page.get_by_role("heading", name="Voortgang van uw stagiairs").wait_for()
    names = page.locator("tbody th[scope=row] > a")
    assert names.all_inner_texts() == ["Ada Aansluiting", "Sam Stagiair"]
    look(page, "01-voortgang")

    # On a phone the rows are cards without the column heads: the sort is the form's.
    if page.width_name == "phone":
        page.get_by_label("Sorteren op").select_option("moment")
        page.get_by_role("button", name="Toon").click()
    else:
        page.get_by_role("link", name="Volgend moment").click()
    page.wait_for_url("**sorteer=moment**")
    # The world's stage has its voortgangsgesprek in 30 days, Ada's in 60.
    assert names.all_inner_texts() == ["Sam Stagiair", "Ada Aansluiting"]

    page.get_by_label("Zoek op naam").fill("sam")
    page.get_by_role("button", name="Toon").click()
    page.wait_for_url("**q=sam**")
    assert names.all_inner_texts() == ["Sam Stagiair"]
    look(page, "02-gezocht")

    page.locator("tbody tr").first.get_by_role("link", name="Voortgang", exact=True).click()
    page.get_by_role("heading", name="Voortgang · Sam Stagiair").wait_for()
    page.get_by_role("img", name="Per werkproces het oordeel").wait_for()
    page.get_by_text("Als tabel").last.click()
    assert page.get_by_role("row", name="Beroepshouding").count() == 1
    look(page, "03-voortgangsbeeld")
