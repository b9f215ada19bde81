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
# The stageplan is for the company side of the stage and the stagiair; the mbo-begeleider is not among them: for
# them the plan does not exist until a version is agreed and shared (stageplan:shared).
PLAN_READERS = {"opleider", "wpb", "beoordelaar", "stagiair"}
PLAN_EDITORS = {"opleider", "stagiair"}
PLAN_READ_ONLY = PLAN_READERS - PLAN_EDITORS
RECORDERS = {"opleider", "wpb", "wpb_other", "hybride", "informele", "opleider_b", "staff"}
NOT_COMPANY = {"mbo", "mbo_same_school", "mbo_other_school"}


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
    "stageplan:detail": Rule(lambda w: {"pk": w.stage.pk}, ok=PLAN_READERS),
    "stageplan:create": Rule(lambda w: {"pk": w.stage.pk}, ok=PLAN_EDITORS, forbidden=PLAN_READ_ONLY),
    "stageplan:beginsituatie": Rule(lambda w: {"pk": w.stage.pk}, ok=PLAN_EDITORS, forbidden=PLAN_READ_ONLY),
    "stageplan:leerdoel_add": Rule(lambda w: {"pk": w.stage.pk}, ok=PLAN_EDITORS, forbidden=PLAN_READ_ONLY),
    "stageplan:leerdoel": Rule(lambda w: {"pk": w.stage.pk, "leerdoel_pk": w.leerdoel.pk}, ok=PLAN_READERS),
    "stageplan:leerdoel_edit": Rule(
        lambda w: {"pk": w.stage.pk, "leerdoel_pk": w.leerdoel.pk}, ok=PLAN_EDITORS, forbidden=PLAN_READ_ONLY
    ),
    "stageplan:leerdoel_delete": Rule(
        lambda w: {"pk": w.stage.pk, "leerdoel_pk": w.leerdoel.pk},
        ok=PLAN_EDITORS,
        forbidden=PLAN_READ_ONLY,
        post_only=True,
    ),
    "stageplan:comment": Rule(
        lambda w: {"pk": w.stage.pk, "leerdoel_pk": w.leerdoel.pk},
        ok=PLAN_EDITORS,
        forbidden=PLAN_READ_ONLY,
        post_only=True,
    ),
    "stageplan:versions": Rule(lambda w: {"pk": w.stage.pk}, ok=PLAN_READERS),
    "stageplan:diff": Rule(lambda w: {"pk": w.stage.pk}, ok=PLAN_READERS),
    "stageplan:agree": Rule(
        lambda w: {"pk": w.stage.pk, "number": w.stageplan.version},
        ok=PLAN_EDITORS,
        forbidden=PLAN_READ_ONLY,
        post_only=True,
    ),
    # The one stageplan page for the school: their own student's agreed version (another mbo-begeleider: 404).
    "stageplan:shared": Rule(lambda w: {"pk": w.stage.pk}, ok=PLAN_READERS | {"mbo"}),
    "stageplan:timeline": Rule(lambda w: {"pk": w.stage.pk}, ok=PLAN_READERS),
    "stageplan:moments": Rule(lambda w: {"pk": w.stage.pk}, ok=PLAN_READERS),
    "stageplan:moment_add": Rule(lambda w: {"pk": w.stage.pk}, ok=PLAN_EDITORS, forbidden=PLAN_READ_ONLY),
    "stageplan:moment_edit": Rule(
        lambda w: {"pk": w.stage.pk, "moment_pk": w.moment.pk}, ok=PLAN_EDITORS, forbidden=PLAN_READ_ONLY
    ),
    "stageplan:moment_cancel": Rule(
        lambda w: {"pk": w.stage.pk, "moment_pk": w.moment.pk},
        ok=PLAN_EDITORS,
        forbidden=PLAN_READ_ONLY,
        post_only=True,
    ),
    # wpb_other asks for a stagiair who is not theirs: 404.
    "stageplan:observatie_add": Rule(
        lambda w: {"pk": w.stage.pk}, ok={"opleider", "wpb"}, forbidden={"stagiair", "beoordelaar"}
    ),
    "stageplan:observatie_start": Rule(ok=RECORDERS, forbidden=set(PERSONAS) - RECORDERS),
    "stageplan:observaties": Rule(ok=set(PERSONAS) - NOT_COMPANY, forbidden=NOT_COMPANY),
    "stageplan:observatie_photo": Rule(lambda w: {"observatie_pk": w.observatie.pk}, ok=PLAN_READERS),
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
def test_access_matrix(client, shared_world, db, name, persona, method):
    world = shared_world
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


def test_admin_needs_staff(client, shared_world, db):
    world = shared_world
    client.force_login(world.opleider)
    assert client.get(reverse("admin:index")).status_code == 302
    client.force_login(world.staff)
    assert client.get(reverse("admin:index")).status_code == 200


def test_revoking_a_role_bites_on_the_next_request(client, shared_world, db):
    world = shared_world
    client.force_login(world.wpb)
    url = reverse("leerbedrijf:stage", args=[world.stage.pk])
    assert client.get(url).status_code == 200
    world.wpb.memberships.get().end(by=world.opleider)
    assert client.get(url).status_code == 404


def test_denied_access_is_logged_without_personal_data(client, shared_world, db, caplog):
    world = shared_world
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
