"""A stage's sections on a phone: one line that scrolls sideways, with the current section in view."""

from .steps import log_in


def test_the_sections_are_one_line_with_the_current_one_in_view(page, world):
    log_in(page, world.opleider)
    page.goto(f"/stages/{world.stage.pk}/tegemoetkomingen/")
    bar = page.locator(".stage-nav .nav")
    links = bar.locator("a")
    current = bar.locator("[aria-current=page]")
    assert current.inner_text() == "Tegemoetkomingen"
    box, here = bar.bounding_box(), current.bounding_box()
    assert box["x"] <= here["x"] and here["x"] + here["width"] <= box["x"] + box["width"] + 1, "the current one shows"
    if page.width_name == "phone":
        tops = {round(links.nth(i).bounding_box()["y"]) for i in range(links.count())}
        assert len(tops) == 1, "one line"
        assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
