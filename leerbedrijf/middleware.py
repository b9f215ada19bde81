from django.shortcuts import render
from django.urls import reverse

from .models import Leerbedrijf, Stagiair, roles_of


class BlockedLeerbedrijfMiddleware:
    """Someone whose every role is in a leerbedrijf the beheerder blocked sees that on every page, with whom to
    contact, instead of pages that do not know him. His roles there are gone while it is blocked (RolesOf); a role
    elsewhere keeps him in, for that."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated and not user.is_staff and request.path_info != reverse("logout"):
            held = roles_of(user)
            if (
                held.blocked
                and not held.leerbedrijf
                and not held.school
                and not Stagiair.objects.filter(user=user, leerbedrijf__blocked_at__isnull=True).exists()
            ):
                leerbedrijven = Leerbedrijf.objects.filter(pk__in=held.blocked).order_by("name")
                return render(request, "leerbedrijf/geblokkeerd.html", {"leerbedrijven": leerbedrijven}, status=403)
        return self.get_response(request)
