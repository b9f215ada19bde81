"""Who is who on a stage, said once: Stage.objects.for_roles() as a query, Stage.is_<role> for one stage, and the
predicates every rules.py uses. They must agree for every role, person and stage."""

from datetime import timedelta
from itertools import combinations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from leerbedrijf import predicates
from leerbedrijf.models import MeewerkendeCollega, Membership, Stage, roles_of
from stagegids.roles import STAGE_ROLES, Role
from tests.conftest import PERSONAS
from tests.factories import MembershipFactory, StageFactory, StagiairFactory, UserFactory


@pytest.fixture
def stages(world):
    """The world's stages and some with unusual people: a hybride techniekopleider and an informele begeleider as
    werkplekbegeleider, someone without the role in a stage's field, a mbo-begeleider of another school, a
    werkplekbegeleider whose role has ended, and a stagiair with two stages. Meewerkende collega's (issue 15): the
    world's, on its stage today; one whose period starts tomorrow, one whose period ended yesterday, one ended by
    the praktijkopleider, one whose role in the company ended, one on a stage of another company; and a stage that
    ended longer ago than its begeleiders keep it."""
    ended = UserFactory()
    MembershipFactory(user=ended, role=Role.WERKPLEKBEGELEIDER, leerbedrijf=world.a).end(by=world.opleider)
    world.ended = ended
    today = timezone.localdate()
    long_ended = StageFactory(leerbedrijf=world.a, werkplekbegeleider=world.wpb_other, onderwijsinstelling=world.school)
    Stage.objects.filter(pk=long_ended.pk).update(
        start_date=today - timedelta(days=400), end_date=today - timedelta(days=200)
    )
    helped = StageFactory(leerbedrijf=world.a, werkplekbegeleider=world.hybride, onderwijsinstelling=world.school)

    def collega(stage, user, start, end):
        return MeewerkendeCollega.add(
            stage=stage, user=user, kind=Role.INFORMELE_BEGELEIDER, start_date=start, end_date=end, by=world.opleider
        )

    collega(helped, world.informele, today + timedelta(days=1), today + timedelta(days=10))
    collega(helped, world.beoordelaar, today - timedelta(days=10), today - timedelta(days=1))
    collega(helped, world.wpb_other, today, today).end(by=world.opleider)
    collega(helped, ended, today, today + timedelta(days=5))
    collega(world.stage_b, world.collega, today, today + timedelta(days=5))
    collega(long_ended, world.collega, today, today + timedelta(days=5))
    collega(helped, world.wpb, today - timedelta(days=3), today)
    return [
        world.stage,
        world.stage_b,
        StageFactory(leerbedrijf=world.a, werkplekbegeleider=world.hybride, onderwijsinstelling=world.school),
        StageFactory(
            leerbedrijf=world.a,
            werkplekbegeleider=world.informele,
            praktijkbeoordelaar=world.wpb,
            mbo_begeleider=world.mbo_other_school,
            onderwijsinstelling=world.school,
        ),
        StageFactory(
            leerbedrijf=world.a,
            werkplekbegeleider=world.beoordelaar,
            praktijkbeoordelaar=world.beoordelaar,
            mbo_begeleider=world.mbo_same_school,
            onderwijsinstelling=world.school,
        ),
        StageFactory(leerbedrijf=world.b, werkplekbegeleider=ended, praktijkbeoordelaar=world.opleider),
        Stage.objects.get(pk=long_ended.pk),
        helped,
        StageFactory(leerbedrijf=world.b, stagiair=StagiairFactory(leerbedrijf=world.b, user=world.stagiair)),
    ]


def _people(world):
    return [getattr(world, persona) for persona in PERSONAS] + [world.ended]


@pytest.mark.parametrize("role", STAGE_ROLES)
def test_for_roles_is_is_role_as_a_query(world, stages, role):
    held_somewhere = 0
    for user in _people(world):
        found = set(Stage.objects.for_roles(user, role).values_list("pk", flat=True))
        for stage in Stage.objects.filter(pk__in=[s.pk for s in stages]):
            expected = getattr(stage, f"is_{role}")(user)
            assert (stage.pk in found) == expected, (role, user.email, stage.pk)
            held_somewhere += expected
    assert held_somewhere, "the fixture gives every role to someone"


def test_several_roles_are_any_of_them(world, stages):
    for user in _people(world):
        for roles in combinations(STAGE_ROLES, 2):
            found = set(Stage.objects.for_roles(user, *roles).values_list("pk", flat=True))
            for stage in stages:
                assert (stage.pk in found) == any(stage.holds(user, role) for role in roles), (roles, user.email)


def test_kept_stages_give_the_same_stages_in_fewer_queries(world, stages, django_assert_num_queries):
    """The start page reads once which roles a person holds on any stage (RolesOf.keep_stages) and leaves the others
    out of every for_roles(): the same stages, for every person and combination of roles."""
    for user in _people(world):
        fresh = type(user).objects.get(pk=user.pk)
        kept = type(user).objects.get(pk=user.pk)
        roles_of(kept).keep_stages()
        for roles in [(role,) for role in STAGE_ROLES] + list(combinations(STAGE_ROLES, 2)) + [STAGE_ROLES]:
            expected = set(Stage.objects.for_roles(fresh, *roles).values_list("pk", flat=True))
            assert set(Stage.objects.for_roles(kept, *roles).values_list("pk", flat=True)) == expected, (
                roles,
                user.email,
            )
    # Read once: a role held on no stage then asks nothing at all.
    kept = type(world.opleider).objects.get(pk=world.opleider.pk)
    roles_of(kept).keep_stages()
    with django_assert_num_queries(2):
        assert list(Stage.objects.for_roles(kept, Role.MBO_BEGELEIDER)) == []
        assert world.stage in Stage.objects.for_roles(kept, Role.PRAKTIJKOPLEIDER)
    with django_assert_num_queries(0):
        assert not Stage.objects.school_side(kept).exists()


def test_the_scopes_are_made_of_it(world, stages):
    user = world.wpb
    assert set(Stage.objects.visible_to(user)) == set(Stage.objects.for_roles(user, *STAGE_ROLES))
    assert set(Stage.objects.company_side(world.mbo)) == set()
    assert set(Stage.objects.school_side(world.mbo)) == {world.stage}
    assert set(Stage.objects.visible_to(world.stagiair)) == {world.stage, stages[-1]}


def test_an_ended_role_is_gone_the_next_time(world):
    assert world.stage in Stage.objects.for_roles(world.wpb, Role.WERKPLEKBEGELEIDER)
    Membership.objects.filter(user=world.wpb).update(ended_at=timezone.now())
    world.wpb.refresh_from_db()
    fresh = type(world.wpb).objects.get(pk=world.wpb.pk)
    assert world.stage not in Stage.objects.for_roles(fresh, Role.WERKPLEKBEGELEIDER)
    assert not world.stage.is_werkplekbegeleider(fresh)


def test_no_roles_or_a_role_that_is_not_on_a_stage_is_a_mistake(world):
    with pytest.raises(TypeError):
        Stage.objects.for_roles(world.wpb)
    with pytest.raises(ValueError):
        world.stage.holds(world.hybride, Role.HYBRIDE_TECHNIEKOPLEIDER)
    assert not Stage.objects.for_roles(AnonymousUser(), *STAGE_ROLES).exists()


def test_a_predicate_finds_the_stage_or_the_leerbedrijf_of_its_object(world):
    """is_praktijkopleider means one thing: of the leerbedrijf the object belongs to, however it is reached."""
    objects = [world.stage, world.a, world.onboarding_item, world.erkenning, world.beoordeling, world.gesprek]
    for obj in objects:
        assert predicates.is_praktijkopleider(world.opleider, obj), obj
        assert not predicates.is_praktijkopleider(world.opleider_b, obj), obj
        assert predicates.is_company_member(world.wpb_other, obj), obj
        assert not predicates.is_company_member(world.stagiair, obj), obj
    for obj in [world.stage, world.onboarding_item, world.beoordeling, world.gesprek]:
        assert predicates.is_werkplekbegeleider(world.wpb, obj)
        assert predicates.is_stagiair(world.stagiair, obj)
        assert predicates.is_praktijkbeoordelaar(world.beoordelaar, obj)
        assert predicates.is_mbo_begeleider(world.mbo, obj)
        assert not predicates.is_werkplekbegeleider(world.wpb_other, obj)
    # What belongs to no stage has no werkplekbegeleider, and nothing has no praktijkopleider.
    assert not predicates.is_werkplekbegeleider(world.wpb, world.a)
    assert not predicates.is_praktijkopleider(world.opleider, None)
    assert not predicates.is_praktijkopleider(AnonymousUser(), world.stage)


def test_a_meewerkende_collega_holds_exactly_that_stage_during_the_period(world, stages):
    helped = stages[-2]
    assert set(Stage.objects.for_roles(world.collega, Role.MEEWERKENDE_COLLEGA)) == {world.stage}
    # Today is the last day of the wpb's period on `helped`, and he is the world stage's eerste werkplekbegeleider.
    assert set(Stage.objects.for_roles(world.wpb, Role.MEEWERKENDE_COLLEGA)) == {helped}
    for user in [world.informele, world.beoordelaar, world.wpb_other, world.ended]:
        assert not helped.is_meewerkende_collega(type(user).objects.get(pk=user.pk)), user.email
    # Not on the company side: no gesprekken, beoordelingen or stagemap come with it.
    assert world.stage not in Stage.objects.company_side(world.collega)
    assert world.stage.role_of(world.collega) == Role.MEEWERKENDE_COLLEGA


def test_an_ended_stage_is_its_begeleiders_only_for_a_while(world, stages, settings):
    long_ended = stages[-3]
    assert not long_ended.is_werkplekbegeleider(world.wpb_other)
    assert long_ended not in Stage.objects.visible_to(world.wpb_other)
    assert long_ended not in Stage.objects.visible_to(world.collega)
    assert long_ended in Stage.objects.visible_to(world.opleider)
    settings.BEGELEIDER_ACCESS_DAYS_AFTER_END = 200
    fresh = type(world.wpb_other).objects.get(pk=world.wpb_other.pk)
    assert long_ended.is_werkplekbegeleider(fresh)
    assert long_ended in Stage.objects.visible_to(fresh)


def test_a_stage_ended_early_counts_from_the_day_it_ended(world, stages, settings):
    """A stage beëindigd before its planned end (models/stop.py) is its begeleiders' for the same days after that."""
    settings.BEGELEIDER_ACCESS_DAYS_AFTER_END = 90
    today = timezone.localdate()
    for days_ago, seen in [(90, True), (91, False)]:
        Stage.objects.filter(pk=world.stage.pk).update(stopped="beeindigd", stopped_on=today - timedelta(days=days_ago))
        stage = Stage.objects.get(pk=world.stage.pk)
        for user, role in [(world.wpb, Role.WERKPLEKBEGELEIDER), (world.collega, Role.MEEWERKENDE_COLLEGA)]:
            fresh = type(user).objects.get(pk=user.pk)
            assert stage.holds(fresh, role) == seen, (days_ago, role)
            assert (stage in Stage.objects.for_roles(fresh, role)) == seen, (days_ago, role)
        assert stage.is_praktijkopleider(world.opleider)
