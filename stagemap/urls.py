from django.urls import path

from . import views

app_name = "stagemap"

urlpatterns = [
    path("stages/<int:pk>/stagemap/", views.stagemap, name="stagemap"),
    path("stages/<int:pk>/stagemap/verslagen/", views.stagemap_make_verslagen, name="stagemap_make_verslagen"),
    path("stages/<int:pk>/stagemap/pdf/", views.stagemap_export_start, name="stagemap_export_start"),
    path("stagemap-pdf/<int:pk>/", views.stagemap_export_status, name="stagemap_export"),
    path("stagemap-pdf/<int:pk>/download/", views.stagemap_export_download, name="stagemap_export_download"),
    path("verslagen/<int:pk>/", views.verslag_detail, name="verslag"),
    path("verslagen/<int:pk>/download/", views.verslag_download, name="verslag_download"),
    path("verslagen/<int:pk>/delen/", views.verslag_share, name="verslag_share"),
    path("verslagen/<int:pk>/oordeel/", views.verslag_review, name="verslag_review"),
    path("verslagen/<int:pk>/opmerking/", views.verslag_comment, name="verslag_comment"),
]
