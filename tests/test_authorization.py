"""Every URL pattern, requested as every persona of the `world` fixture, with GET and POST.

The URL list is read from the resolver, so a new URL without an entry in RULES or PUBLIC fails
test_every_url_has_a_rule. Expectations: anonymous is sent to the login page; a persona in `ok` is let in; a
persona in `forbidden` (same organisation, insufficient role) gets 403; everyone else gets 404, because for them
the object does not exist.
"""

from dataclasses import dataclass, field

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from .conftest import PERSONAS

COMPANY_STAFF = {"wpb", "wpb_other", "beoordelaar", "hybride", "informele"}
ON_STAGE = {"opleider", "wpb", "beoordelaar", "stagiair", "mbo"}


@dataclass
class Rule:
    kwargs: object = lambda w: {}
    ok: set = field(default_factory=set)
    forbidden: set = field(default_factory=set)
    post_only: bool = False


RULES = {
    "start": Rule(ok=set(PERSONAS)),
    "leerbedrijf:detail": Rule(lambda w: {"pk": w.a.pk}, ok={"opleider"}, forbidden=COMPANY_STAFF),
    "leerbedrijf:invite": Rule(lambda w: {"pk": w.a.pk}, ok={"opleider"}, forbidden=COMPANY_STAFF),
    "leerbedrijf:membership_end": Rule(
        lambda w: {"pk": w.a.pk, "membership_pk": w.membership_wpb_other.pk},
        ok={"opleider"},
        forbidden=COMPANY_STAFF,
        post_only=True,
    ),
    "leerbedrijf:stage": Rule(lambda w: {"pk": w.stage.pk}, ok=ON_STAGE),
    # Beoordelingen: the praktijkopleider, the stagiair and the stage's praktijkbeoordelaar. The werkplekbegeleider
    # and the mbo-begeleider see the stage but not its beoordelingen (the school sees what is shared, later).
    "beoordeling:stage": Rule(
        lambda w: {"pk": w.stage.pk}, ok={"opleider", "stagiair", "beoordelaar"}, forbidden={"wpb", "mbo"}
    ),
    "beoordeling:start": Rule(
        lambda w: {"pk": w.stage.pk},
        ok={"opleider", "beoordelaar"},
        forbidden={"wpb", "mbo", "stagiair"},
        post_only=True,
    ),
    "beoordeling:sjabloon": Rule(
        lambda w: {"pk": w.stage.pk, "kind": "tussenbeoordeling"},
        ok={"opleider"},
        forbidden={"wpb", "mbo", "stagiair", "beoordelaar"},
    ),
    "beoordeling:detail": Rule(lambda w: {"pk": w.beoordeling.pk}, ok={"opleider", "stagiair", "beoordelaar"}),
    "beoordeling:fill": Rule(
        lambda w: {"pk": w.beoordeling.pk}, ok={"opleider", "stagiair"}, forbidden={"beoordelaar"}
    ),
    "beoordeling:open_gesprek": Rule(
        lambda w: {"pk": w.beoordeling.pk}, ok={"opleider"}, forbidden={"stagiair", "beoordelaar"}, post_only=True
    ),
    "beoordeling:conclude": Rule(
        lambda w: {"pk": w.beoordeling.pk}, ok={"opleider"}, forbidden={"stagiair", "beoordelaar"}
    ),
    "beoordeling:sign": Rule(
        lambda w: {"pk": w.beoordeling.pk}, ok={"opleider", "stagiair"}, forbidden={"beoordelaar"}, post_only=True
    ),
    "beoordeling:correct": Rule(
        lambda w: {"pk": w.beoordeling.pk}, ok={"opleider"}, forbidden={"stagiair", "beoordelaar"}
    ),
    "beoordeling:ask_colleague": Rule(
        lambda w: {"pk": w.beoordeling.pk}, ok={"opleider"}, forbidden={"stagiair", "beoordelaar"}
    ),
}

# Pages for people who are not logged in (yet): their own checks are tested where they are built.
PUBLIC = {
    "login",
    "logout",
    "password_reset",
    "password_reset_done",
    "password_reset_confirm",
    "password_reset_complete",
    "leerbedrijf:accept",
    "beoordeling:collega_antwoord",  # the colleague's single-use link: tests/test_collega_feedback.py
}


def url_names(resolver=None, namespace=""):
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace == "admin":
                continue  # Django's admin checks is_staff itself: test_admin_needs_staff
            yield from url_names(pattern, f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield namespace + pattern.name


def test_every_url_has_a_rule():
    names = set(url_names())
    assert names - RULES.keys() - PUBLIC == set(), "add these URLs to RULES or PUBLIC"
    assert (RULES.keys() | PUBLIC) - names == set(), "these rules name URLs that no longer exist"


CASES = [(name, persona) for name in RULES for persona in ["anonymous", *PERSONAS]]


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize(("name", "persona"), CASES)
def test_access_matrix(client, world, name, persona, method):
    rule = RULES[name]
    url = reverse(name, kwargs=rule.kwargs(world))
    if persona != "anonymous":
        client.force_login(getattr(world, persona))
    response = getattr(client, method)(url)

    if persona == "anonymous":
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))
    elif method == "get" and rule.post_only:
        assert response.status_code == 405
    elif persona in rule.ok:
        assert response.status_code in (200, 302), response.status_code
        if response.status_code == 302:
            assert not response.url.startswith(reverse("login"))
    elif persona in rule.forbidden:
        assert response.status_code == 403
    else:
        assert response.status_code == 404


def test_admin_needs_staff(client, world):
    client.force_login(world.opleider)
    assert client.get(reverse("admin:index")).status_code == 302
    client.force_login(world.staff)
    assert client.get(reverse("admin:index")).status_code == 200


def test_revoking_a_role_bites_on_the_next_request(client, world):
    client.force_login(world.wpb)
    url = reverse("leerbedrijf:stage", args=[world.stage.pk])
    assert client.get(url).status_code == 200
    world.wpb.memberships.get().end(by=world.opleider)
    assert client.get(url).status_code == 404


def test_denied_access_is_logged_without_personal_data(client, world, caplog):
    caplog.set_level("INFO", logger="stagegids.access")
    client.force_login(world.opleider_b)
    client.get(reverse("leerbedrijf:stage", args=[world.stage.pk]))
    client.force_login(world.wpb)
    client.get(reverse("leerbedrijf:detail", args=[world.a.pk]))
    records = [r.getMessage() for r in caplog.records if r.name == "stagegids.access"]
    assert f"user={world.opleider_b.pk} model=leerbedrijf.Stage" in records[0]
    assert (
        f"permission=leerbedrijf.view_leerbedrijf user={world.wpb.pk} model=leerbedrijf.Leerbedrijf id={world.a.pk}"
        in records[1]
    )
    assert all("@" not in message and world.stagiair.name not in message for message in records)
