import re

from bs4 import BeautifulSoup
from django.contrib import admin
from django.test import RequestFactory
from django.urls import reverse


def test_the_beheer_links_to_no_page_of_the_portal_that_is_not_the_beheerders():
    """A leerbedrijf's, stage's or verslag's own page is for its people: the beheerder, who is none of them, would
    find a 404 behind "Weergeven op website" (found by tests/test_journey.py)."""
    offered = [
        model._meta.label
        for model, model_admin in admin.site._registry.items()
        if hasattr(model, "get_absolute_url") and model_admin.view_on_site
    ]
    assert offered == []


ENGLISH = re.compile(
    r"\b(Search|Add|Change|Delete|Save|History|Select|Username|Password|Attempt|Access|Created|Updated|Uploaded|"
    r"Requested|Reviewed|Shared|Finished|Enqueued|Claimed|Expires|Accepted|Revoked|Invited|Ticked|Added|Ended|Can|"
    r"Are you sure|Deleting|Pagination|Logout|Log out|Welcome|View site|Filter by|Yes|No|Unknown|Today|Now|Groups|"
    r"Permissions|Locked)\b"
)


def _beheer_pages(staff):
    request = RequestFactory().get("/")
    request.user = staff
    yield reverse("admin:index")
    for model, model_admin in admin.site._registry.items():
        info = model._meta.app_label, model._meta.model_name
        yield reverse("admin:{}_{}_changelist".format(*info))
        if model_admin.has_add_permission(request):
            yield reverse("admin:{}_{}_add".format(*info))
        obj = model._default_manager.first()
        if obj is not None:
            for view in ("change", "history", "delete"):
                yield reverse("admin:{}_{}_{}".format(*info, view), args=[obj.pk])


def test_the_beheer_speaks_no_english(client, world):
    """Django 6.1's Dutch catalogue lacks a few admin strings, django-axes has none, and a field without a
    verbose_name is labelled with its English name: locale/nl and the models fill that in."""
    world.staff.is_superuser = True
    world.staff.save()
    client.force_login(world.staff)
    english = {}
    for url in _beheer_pages(world.staff):
        response = client.get(url)
        if response.status_code != 200:
            continue  # a page the beheerder may not open (deleting an account): its 403 is tested elsewhere
        soup = BeautifulSoup(response.content, "html.parser")
        for hidden in soup(["script", "style"]):
            hidden.decompose()
        texts = list(soup.stripped_strings) + [
            element.get(attribute, "")
            for element in soup.select("[placeholder], [title], [aria-label], [alt], input[type=submit]")
            for attribute in ("placeholder", "title", "aria-label", "alt", "value")
            if element.name != "input" or attribute in ("value", "placeholder", "title", "aria-label")
        ]
        for text in texts:
            if ENGLISH.search(text):
                english.setdefault(text, url)
    assert english == {}
