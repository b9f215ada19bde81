"""The permission policy: the one place that decides who sees what and who may do what.

Every view goes through these functions; none decides access on its own.

- What a user may *see* is a queryset. Each tenant-owned model's QuerySet has `visible_to(user)`, written next
  to the model, and `visible(user, queryset)` applies it. `get_visible_or_404` fetches one row from that scope, so
  an object outside it is a 404 whether or not it exists: a 404 confirms nothing.
- What a user may *do* to an object they can see is a django-rules permission, declared in the app's `rules.py`
  next to its models (for example `leerbedrijf.invite`). `require(user, perm, obj)` answers 403 when it is missing.

Both outcomes are logged to the `stagegids.access` logger with the user id, the object type and id: no names,
no e-mail addresses.
"""

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
