"""One way for a view to get its stage (the stage half of stagegids.policy)."""

from stagegids.policy import object_view

from .models import Stage

STAGE_RELATED = ("stagiair", "leerbedrijf", "kwalificatie")


def stage_view(perm=None, *, scope=None, related=()):
    """Decorate a view of one stage, `view(request, stage, ...)` for a URL with the stage's `pk`.

    The stage is looked up among those the user sees, narrowed to `scope(user)` where a chapter shows a stage to
    fewer people (the mbo-begeleider does not see the stageplan): outside it the stage does not exist, a 404.
    Then `perm` is checked on it, a 403 (see stagegids.policy.object_view).
    """

    def stages(user):
        queryset = scope(user) if scope is not None else Stage.objects.all()
        return queryset.select_related(*STAGE_RELATED, *related)

    return object_view(stages, perm)
