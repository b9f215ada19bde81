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
