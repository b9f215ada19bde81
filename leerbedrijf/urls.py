from django.urls import path

from . import views

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

from . import intake_views  # noqa: E402  intake and matching (issue 3), kept apart to merge cleanly

urlpatterns += [
    path("leerbedrijf/<int:pk>/intake/", intake_views.intake, name="intake"),
    path("leerbedrijf/<int:pk>/instellingen/", intake_views.leerbedrijf_settings, name="settings"),
    path("leerbedrijf/<int:pk>/kandidaten/", intake_views.kandidaat_list, name="kandidaten"),
    path("leerbedrijf/<int:pk>/kandidaten/nieuw/", intake_views.kandidaat_new, name="kandidaat_new"),
    path("kandidaten/<int:pk>/", intake_views.kandidaat_detail, name="kandidaat"),
    path("kandidaten/<int:pk>/besluit/", intake_views.kandidaat_besluit, name="kandidaat_besluit"),
    path("stages/<int:pk>/bewerken/", intake_views.stage_edit, name="stage_edit"),
    path("leerbedrijf/<int:pk>/import/", intake_views.stagiair_import, name="import"),
    path("leerbedrijf/<int:pk>/import/bevestigen/", intake_views.stagiair_import_confirm, name="import_confirm"),
    path("leerbedrijf/<int:pk>/import/voorbeeld.csv", intake_views.stagiair_import_example, name="import_example"),
]
