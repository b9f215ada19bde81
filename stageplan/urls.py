from django.urls import path

from .views import agenda, leerdoelen, observaties, plan, timeline, versions

app_name = "stageplan"

urlpatterns = [
    path("stages/<int:pk>/stageplan/", plan.plan_detail, name="detail"),
    path("stages/<int:pk>/stageplan/maken/", plan.plan_create, name="create"),
    path("stages/<int:pk>/stageplan/beginsituatie/", plan.beginsituatie_edit, name="beginsituatie"),
    path("stages/<int:pk>/stageplan/leerdoelen/nieuw/", leerdoelen.leerdoel_add, name="leerdoel_add"),
    path("stages/<int:pk>/stageplan/leerdoelen/<int:leerdoel_pk>/", leerdoelen.leerdoel_detail, name="leerdoel"),
    path(
        "stages/<int:pk>/stageplan/leerdoelen/<int:leerdoel_pk>/bewerken/",
        leerdoelen.leerdoel_edit,
        name="leerdoel_edit",
    ),
    path(
        "stages/<int:pk>/stageplan/leerdoelen/<int:leerdoel_pk>/verwijderen/",
        leerdoelen.leerdoel_delete,
        name="leerdoel_delete",
    ),
    path("stages/<int:pk>/stageplan/leerdoelen/<int:leerdoel_pk>/reageren/", leerdoelen.comment_add, name="comment"),
    path("stages/<int:pk>/stageplan/versies/", versions.versions, name="versions"),
    path("stages/<int:pk>/stageplan/versies/vergelijken/", versions.version_diff, name="diff"),
    path("stages/<int:pk>/stageplan/versies/<int:number>/afstemmen/", versions.version_agree, name="agree"),
    path("stages/<int:pk>/stageplan/gedeeld/", versions.shared, name="shared"),
    path("stages/<int:pk>/stageplan/planning/", timeline.timeline, name="timeline"),
    path("stages/<int:pk>/momenten/", timeline.moments, name="moments"),
    path("stages/<int:pk>/momenten/nieuw/", timeline.moment_add, name="moment_add"),
    path("stages/<int:pk>/momenten/<int:moment_pk>/", timeline.moment_edit, name="moment_edit"),
    path("stages/<int:pk>/momenten/<int:moment_pk>/annuleren/", timeline.moment_cancel, name="moment_cancel"),
    path("stages/<int:pk>/momenten/<int:moment_pk>/terugzetten/", timeline.moment_restore, name="moment_restore"),
    path("stages/<int:pk>/momenten/voorstellen/", timeline.moment_propose, name="moment_propose"),
    path("stages/<int:pk>/momenten/<int:moment_pk>/voorstellen/", timeline.moment_propose, name="moment_propose_date"),
    path(
        "stages/<int:pk>/momenten/voorstellen/<int:voorstel_pk>/besluit/",
        timeline.voorstel_besluit,
        name="voorstel_besluit",
    ),
    path("agenda/", agenda.agenda_view, name="agenda"),
    path("agenda/abonnement/", agenda.agenda_abonnement, name="agenda_abonnement"),
    path("agenda/abonnement/<str:token>.ics", agenda.agenda_feed, name="agenda_feed"),
    path("stages/<int:pk>/observaties/nieuw/", observaties.observatie_add, name="observatie_add"),
    path("observaties/", observaties.observatie_list, name="observaties"),
    path("observaties/nieuw/", observaties.observatie_start, name="observatie_start"),
    path("observaties/<int:observatie_pk>/foto/", observaties.observatie_photo, name="observatie_photo"),
]
