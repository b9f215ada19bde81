from django.urls import path

from . import views

app_name = "uren"

week = "stages/<int:pk>/uren/<int:year>/week-<int:week>/"

urlpatterns = [
    path("stages/<int:pk>/uren/", views.stage_uren, name="stage"),
    path(week, views.week, name="week"),
    path(week + "invullen/", views.week_invullen, name="week_invullen"),
    path(week + "normale-week/", views.week_normaal, name="week_normaal"),
    path(week + "akkoord/", views.week_akkoord, name="week_akkoord"),
    path(week + "terugsturen/", views.week_terugsturen, name="week_terugsturen"),
    path(week + "corrigeren/", views.week_corrigeren, name="week_corrigeren"),
    path("stages/<int:pk>/uren/instelling/", views.instelling, name="instelling"),
    path("stages/<int:pk>/ziekmeldingen/", views.ziekmeldingen, name="ziekmeldingen"),
    path("stages/<int:pk>/ziekmeldingen/nieuw/", views.ziek_melden, name="ziek_melden"),
    path("ziekmeldingen/<int:pk>/beter/", views.beter_melden, name="beter_melden"),
    path("leerbedrijf/<int:pk>/uren/", views.company_uren, name="company"),
]
