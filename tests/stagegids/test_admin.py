from django.contrib import admin


def test_the_beheer_links_to_no_page_of_the_portal_that_is_not_the_beheerders():
    """A leerbedrijf's, stage's or verslag's own page is for its people: the beheerder, who is none of them, would
    find a 404 behind "Weergeven op website" (found by tests/test_journey.py)."""
    offered = [
        model._meta.label
        for model, model_admin in admin.site._registry.items()
        if hasattr(model, "get_absolute_url") and model_admin.view_on_site
    ]
    assert offered == []
