"""Throttling of a public form with the lock the login page has (django-axes).

Axes counts attempts per account and address (AXES_LOCKOUT_PARAMETERS) and refuses more than AXES_FAILURE_LIMIT
within AXES_COOLOFF_TIME. A form counts its attempts under the name of its action in place of an account, so the
same limit and cool-off hold per address, and the beheerder finds them with the login's in the admin ("Access
attempts"). Personal fields of such a form are listed in AXES_SENSITIVE_PARAMETERS: axes keeps the posted data.
"""

from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings


def _credentials(action):
    return {settings.AXES_USERNAME_FORM_FIELD: action}


def refused(request, action):
    """Whether this address used up its attempts at `action`."""
    return not AxesProxyHandler.is_allowed(request, _credentials(action))


def count(request, action):
    """Count one attempt at `action` from this address."""
    AxesProxyHandler.user_login_failed(sender=__name__, credentials=_credentials(action), request=request)
    # Axes marks the request that reaches the limit as locked out, and its middleware would swap this (allowed)
    # answer for the login's lock-out page; the form refuses the next attempt itself.
    request.axes_locked_out = False
