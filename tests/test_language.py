"""One language: a stagiair is addressed with "je" on every page he opens, everyone else with "u" (issue 16)."""

import re

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from tests.test_authorization import RULES

FORMAL = re.compile(r"\b(u|uw|U|Uw)\b")
# "8 u" is eight hours.
HOURS = re.compile(r"\d u\b")
STAGIAIR_PAGES = [name for name, rule in RULES.items() if "stagiair" in rule.ok and not rule.post_only]


def visible_text(response):
    soup = BeautifulSoup(response.content, "html.parser")
    for hidden in soup(["script", "style", "template"]):
        hidden.decompose()
    texts = list(soup.stripped_strings)
    for element in soup.select("[placeholder], [title], [aria-label], [alt]"):
        texts += [element.get(a, "") for a in ("placeholder", "title", "aria-label", "alt")]
    return texts


@pytest.mark.parametrize("name", STAGIAIR_PAGES)
def test_a_stagiair_is_addressed_with_je(client, world, name):
    client.force_login(world.stagiair)
    response = client.get(reverse(name, kwargs=RULES[name].kwargs(world)), follow=True)
    if "text/html" not in response.get("Content-Type", ""):
        return
    formal = [text for text in visible_text(response) if FORMAL.search(HOURS.sub("", text))]
    assert formal == []
