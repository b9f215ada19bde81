"""One language: a stagiair is addressed with "je" on every page he opens, everyone else with "u" (issue 16)."""

import re

import pytest
from bs4 import BeautifulSoup
from django.core import mail
from django.urls import reverse

from stagegids.roles import Role
from tests.factories import StagiairFactory
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


def test_a_stagiair_is_invited_with_je(client, world, django_capture_on_commit_callbacks):
    stagiair = StagiairFactory(leerbedrijf=world.a, user=None, email="noor@student.example.nl")
    client.force_login(world.opleider)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("leerbedrijf:invite", args=[world.a.pk]),
            {"name": stagiair.name, "email": stagiair.email, "role": Role.STAGIAIR, "stagiair": stagiair.pk},
        )
    sent = mail.outbox[-1]
    html = sent.alternatives[0][0]
    assert "nodigt je uit als stagiair" in sent.body and "nodigt je uit als stagiair" in html
    assert not FORMAL.search(sent.body) and not FORMAL.search(BeautifulSoup(html, "html.parser").get_text())

    client.logout()
    link = re.search(r"http://testserver(/uitnodiging/\S+/)", sent.body).group(1)
    page = client.get(link)
    assert "Je bent uitgenodigd als" in page.content.decode()
    assert [text for text in visible_text(page) if FORMAL.search(text)] == []


def test_everyone_else_is_addressed_with_u(client, world):
    client.force_login(world.opleider)
    name = "beoordeling:detail"
    page = client.get(reverse(name, kwargs=RULES[name].kwargs(world)))
    assert "Uw antwoorden" in page.content.decode() or "Naast elkaar" in page.content.decode()
    assert not [text for text in visible_text(page) if re.search(r"\b(je|jij|jouw)\b", text)]
