from stagegids.forms import MAX_TEXT

from .steps import log_in


def test_a_paste_past_the_bound_says_what_did_not_fit(page, world, look):
    """The browser cuts a paste off at the field's maxlength without a word: the page says how much was left out,
    and near the end how much room is left."""
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    log_in(page, world.stagiair)
    page.goto(f"/stages/{world.stage.pk}/stageplan/leerdoelen/nieuw/")
    field = page.get_by_label("Activiteiten: wat ga je doen?")
    field.fill("x" * (MAX_TEXT - 300))
    page.get_by_text("Nog 300 tekens.").wait_for()

    page.evaluate("text => navigator.clipboard.writeText(text)", "y" * 1000)
    field.focus()
    page.keyboard.press("Control+End")
    page.keyboard.press("Control+V")
    page.get_by_text(
        "Niet alles paste: de laatste 700 tekens van wat u plakte staan er niet in. Dit veld houdt hoogstens "
        "5.000 tekens."
    ).wait_for()
    assert len(field.input_value()) == MAX_TEXT
    look(page, "01-plakken-afgekapt")

    field.focus()
    page.keyboard.press("Control+End")
    page.keyboard.press("Backspace")
    page.get_by_text("Nog 1 teken.").wait_for()
