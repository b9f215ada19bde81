"""Whether the header and the start page link to the voortgang overview: asked of the rule itself, from the roles
already loaded for the request, so no page gets a query for it (user.has_perm would ask the ModelBackend too)."""

from django import template

from ..rules import follows_stagiairs

register = template.Library()


@register.filter
def sees_voortgang(user):
    # An error page may render without a user in its context.
    return getattr(user, "is_authenticated", False) and follows_stagiairs(user)
