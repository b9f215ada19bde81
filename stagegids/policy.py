"""The permission policy: the one place that decides who sees what and who may do what.

Every view goes through these functions; none decides access on its own.

- What a user may *see* is a queryset. Each tenant-owned model's QuerySet has `visible_to(user)`, written next
  to the model, and `visible(user, queryset)` applies it. `get_visible_or_404` fetches one row from that scope, so
  an object outside it is a 404 whether or not it exists: a 404 confirms nothing.
- What a user may *do* to an object they can see is a django-rules permission, declared in the app's `rules.py`
  next to its models (for example `leerbedrijf.invite`). `require(user, perm, obj)` answers 403 when it is missing.
- A view of one object declares both at its top with `object_view(scope, perm)` (for a stage: leerbedrijf's
  `stage_view(perm)`): the object is looked up, 404 or 403 answered, and the view called with the object.

Both outcomes are logged to the `stagegids.access` logger with the user id, the object type and id: no names,
no e-mail addresses.
"""

import functools
import logging

from django.core.exceptions import PermissionDenied
from django.http import Http404

logger = logging.getLogger("stagegids.access")


def visible(user, queryset):
    """The rows of `queryset` that `user` may see."""
    if not user.is_authenticated:
        return queryset.none()
    return queryset.visible_to(user)


def get_visible_or_404(user, queryset, **lookup):
    try:
        return visible(user, queryset).get(**lookup)
    except queryset.model.DoesNotExist:
        logger.info(
            "denied: not visible user=%s model=%s lookup=%s",
            user.pk,
            queryset.model._meta.label,
            {key: str(value) for key, value in lookup.items()},
        )
        raise Http404 from None


def allowed(user, perm, obj=None):
    return user.has_perm(perm, obj)


def require(user, perm, obj=None):
    if not allowed(user, perm, obj):
        logger.info(
            "denied: permission=%s user=%s model=%s id=%s",
            perm,
            user.pk,
            obj._meta.label if obj is not None else "-",
            getattr(obj, "pk", "-"),
        )
        raise PermissionDenied


def resolve(user, queryset, perm=None, **lookup):
    """The object of `queryset` that `user` may see (else 404) and on which they hold `perm` (else 403)."""
    obj = get_visible_or_404(user, queryset, **lookup)
    if perm is not None:
        require(user, perm, obj)
    return obj


def object_view(scope, perm=None, *, url_kwarg="pk"):
    """Decorate a view of one object: the view is called with the object instead of the URL's `url_kwarg`.

    `scope(user)` is the queryset to look in; `perm` is a permission name, or a function of the request for a view
    whose permission depends on what is asked (None: seeing the object is enough).
    """

    def decorator(view):
        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            permission = perm(request) if callable(perm) else perm
            obj = resolve(request.user, scope(request.user), permission, pk=kwargs.pop(url_kwarg))
            return view(request, obj, *args, **kwargs)

        return wrapper

    return decorator
