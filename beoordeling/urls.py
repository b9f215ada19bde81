from django.urls import path

from . import verslag_views

app_name = "beoordeling"

urlpatterns = [
    path("stages/<int:pk>/stagemap/", verslag_views.stagemap, name="stagemap"),
    path("stages/<int:pk>/stagemap/pdf/", verslag_views.stagemap_export_start, name="stagemap_export_start"),
    path("stagemap-pdf/<int:pk>/", verslag_views.stagemap_export_status, name="stagemap_export"),
    path("stagemap-pdf/<int:pk>/download/", verslag_views.stagemap_export_download, name="stagemap_export_download"),
    path("verslagen/<int:pk>/download/", verslag_views.verslag_download, name="verslag_download"),
    path("verslagen/<int:pk>/delen/", verslag_views.verslag_share, name="verslag_share"),
    path("verslagen/<int:pk>/oordeel/", verslag_views.verslag_review, name="verslag_review"),
    path("verslagen/<int:pk>/opmerking/", verslag_views.verslag_comment, name="verslag_comment"),
]
