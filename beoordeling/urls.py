from django.urls import path

from . import beoordeling_views

app_name = "beoordeling"

urlpatterns = [
    path("stages/<int:pk>/beoordelingen/", beoordeling_views.stage_beoordelingen, name="stage"),
    path("stages/<int:pk>/beoordelingen/starten/", beoordeling_views.start, name="start"),
    path("stages/<int:pk>/formulier/<str:kind>/", beoordeling_views.sjabloon, name="sjabloon"),
    path("beoordelingen/<int:pk>/", beoordeling_views.detail, name="detail"),
    path("beoordelingen/<int:pk>/invullen/", beoordeling_views.fill, name="fill"),
    path("beoordelingen/<int:pk>/gesprek-openen/", beoordeling_views.open_gesprek, name="open_gesprek"),
    path("beoordelingen/<int:pk>/conclusie/", beoordeling_views.conclude, name="conclude"),
    path("beoordelingen/<int:pk>/ondertekenen/", beoordeling_views.sign, name="sign"),
    path("beoordelingen/<int:pk>/corrigeren/", beoordeling_views.correct, name="correct"),
    path("beoordelingen/<int:pk>/collega-feedback/", beoordeling_views.ask_colleague, name="ask_colleague"),
    path("collega-feedback/<str:token>/", beoordeling_views.collega_antwoord, name="collega_antwoord"),
]
