"""The beheerder's start page: the portal's beheer itself. What an app asks of the beheerder (the kwalificaties of
SBB, new registrations) is that app's own panel."""

from . import dashboard


@dashboard.register
def beheer(request):
    if not request.user.is_staff:
        return None
    return dashboard.Panel("stagegids/panels/beheer.html", order=2)
