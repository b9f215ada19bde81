from django.urls import path

from . import views

app_name = "tegemoetkoming"

urlpatterns = [
    path("stages/<int:pk>/tegemoetkomingen/", views.stage_tegemoetkomingen, name="stage"),
    path("stages/<int:pk>/tegemoetkomingen/overeenkomst/", views.document_upload, name="document_upload"),
    path("stages/<int:pk>/tegemoetkomingen/overeenkomst/<slug:kind>/", views.document_download, name="document"),
    path("stages/<int:pk>/tegemoetkomingen/dossier/", views.stage_dossier_start, name="stage_dossier_start"),
    path("leerbedrijf/<int:pk>/tegemoetkomingen/", views.overzicht, name="overzicht"),
    path("leerbedrijf/<int:pk>/tegemoetkomingen/dossier/", views.company_dossier_start, name="company_dossier_start"),
    path("dossiers/<int:pk>/", views.dossier_status, name="dossier"),
    path("dossiers/<int:pk>/<slug:part>/", views.dossier_download, name="dossier_download"),
]
