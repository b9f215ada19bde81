from django.urls import path

from . import list_views, onboarding_views, views

app_name = "leerbedrijf"

urlpatterns = [
    path("leerbedrijf/<int:pk>/", views.leerbedrijf_detail, name="detail"),
    path("leerbedrijf/<int:pk>/uitnodigen/", views.invite, name="invite"),
    path(
        "leerbedrijf/<int:pk>/rollen/<int:membership_pk>/beeindigen/",
        views.membership_end,
        name="membership_end",
    ),
    path("uitnodiging/<str:token>/", views.accept_invitation, name="accept"),
    path("stages/<int:pk>/", views.stage_detail, name="stage"),
]

urlpatterns += [
    path("stages/<int:pk>/onboarding/", onboarding_views.onboarding, name="onboarding"),
    path(
        "stages/<int:pk>/onboarding/<int:item_pk>/afvinken/", onboarding_views.onboarding_tick, name="onboarding_tick"
    ),
    path(
        "stages/<int:pk>/onboarding/<int:item_pk>/verantwoordelijke/",
        onboarding_views.onboarding_assign,
        name="onboarding_assign",
    ),
    path("leerbedrijf/<int:pk>/onboarding/", onboarding_views.onboarding_template, name="onboarding_template"),
    path(
        "leerbedrijf/<int:pk>/onboarding/<int:item_pk>/verwijderen/",
        onboarding_views.onboarding_template_delete,
        name="onboarding_template_delete",
    ),
    path("leerbedrijf/<int:pk>/stagiairs/", list_views.stagiairs, name="stagiairs"),
]
