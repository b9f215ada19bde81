from django.urls import path

from . import views

app_name = "stageplan"

urlpatterns = [
    path("stages/<int:pk>/stageplan/", views.plan_detail, name="detail"),
    path("stages/<int:pk>/stageplan/maken/", views.plan_create, name="create"),
    path("stages/<int:pk>/stageplan/beginsituatie/", views.beginsituatie_edit, name="beginsituatie"),
    path("stages/<int:pk>/stageplan/leerdoelen/nieuw/", views.leerdoel_add, name="leerdoel_add"),
    path("stages/<int:pk>/stageplan/leerdoelen/<int:leerdoel_pk>/", views.leerdoel_detail, name="leerdoel"),
    path("stages/<int:pk>/stageplan/leerdoelen/<int:leerdoel_pk>/bewerken/", views.leerdoel_edit, name="leerdoel_edit"),
    path(
        "stages/<int:pk>/stageplan/leerdoelen/<int:leerdoel_pk>/verwijderen/",
        views.leerdoel_delete,
        name="leerdoel_delete",
    ),
    path("stages/<int:pk>/stageplan/leerdoelen/<int:leerdoel_pk>/reageren/", views.comment_add, name="comment"),
    path("stages/<int:pk>/stageplan/versies/", views.versions, name="versions"),
    path("stages/<int:pk>/stageplan/versies/vergelijken/", views.version_diff, name="diff"),
    path("stages/<int:pk>/stageplan/versies/<int:number>/afstemmen/", views.version_agree, name="agree"),
    path("stages/<int:pk>/stageplan/gedeeld/", views.shared, name="shared"),
    path("stages/<int:pk>/stageplan/planning/", views.timeline, name="timeline"),
    path("stages/<int:pk>/momenten/", views.moments, name="moments"),
    path("stages/<int:pk>/momenten/nieuw/", views.moment_add, name="moment_add"),
    path("stages/<int:pk>/momenten/<int:moment_pk>/", views.moment_edit, name="moment_edit"),
    path("stages/<int:pk>/momenten/<int:moment_pk>/annuleren/", views.moment_cancel, name="moment_cancel"),
    path("stages/<int:pk>/observaties/nieuw/", views.observatie_add, name="observatie_add"),
    path("observaties/", views.observatie_list, name="observaties"),
    path("observaties/nieuw/", views.observatie_start, name="observatie_start"),
    path("observaties/<int:observatie_pk>/foto/", views.observatie_photo, name="observatie_photo"),
]
