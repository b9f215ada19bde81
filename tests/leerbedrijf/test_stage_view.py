"""stage_view: one way for a view to get its stage, 404 when the user does not see it, 403 without the permission."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.test import RequestFactory

from leerbedrijf.models import Stage
from leerbedrijf.policy import stage_view
from stagegids.roles import Role


def _call(view, user, pk, **kwargs):
    request = RequestFactory().get("/")
    request.user = user
    return view(request, pk=pk, **kwargs)


def _shows_stage(request, stage, **kwargs):
    return HttpResponse(f"{stage.pk} {stage.stagiair.name} {sorted(kwargs.items())}")


def test_the_view_gets_the_stage_and_the_other_url_arguments(world, django_assert_num_queries):
    view = stage_view("stageplan.view_stageplan")(_shows_stage)
    user = type(world.wpb).objects.get(pk=world.wpb.pk)
    with django_assert_num_queries(2):  # the roles of the user, then the stage with its stagiair
        response = _call(view, user, world.stage.pk, number=3)
    assert response.content.decode() == f"{world.stage.pk} Sam Stagiair [('number', 3)]"


def test_a_stage_the_user_does_not_see_is_a_404_whatever_the_permission(world):
    for perm in ("stageplan.view_stageplan", None):
        with pytest.raises(Http404):
            _call(stage_view(perm)(_shows_stage), world.opleider_b, world.stage.pk)
        with pytest.raises(Http404):
            _call(stage_view(perm)(_shows_stage), world.opleider, 10_000)


def test_a_stage_the_user_sees_without_the_permission_is_a_403(world):
    with pytest.raises(PermissionDenied):
        _call(stage_view("stageplan.edit_stageplan")(_shows_stage), world.wpb, world.stage.pk)
    assert _call(stage_view()(_shows_stage), world.mbo, world.stage.pk).status_code == 200


def test_a_narrower_scope_hides_the_stage(world):
    view = stage_view(scope=lambda user: Stage.objects.for_roles(user, Role.PRAKTIJKOPLEIDER))(_shows_stage)
    assert _call(view, world.opleider, world.stage.pk).status_code == 200
    with pytest.raises(Http404):
        _call(view, world.wpb, world.stage.pk)


def test_the_permission_may_depend_on_the_request(world):
    def perm(request):
        return request.GET.get("perm")

    view = stage_view(perm)(_shows_stage)
    request = RequestFactory().get("/", {"perm": "stageplan.edit_stageplan"})
    request.user = world.stagiair
    assert view(request, pk=world.stage.pk).status_code == 200
    request.user = world.wpb
    with pytest.raises(PermissionDenied):
        view(request, pk=world.stage.pk)
