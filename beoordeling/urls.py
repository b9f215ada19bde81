from django.urls import path

from . import beoordeling_views, gesprek_views

app_name = "beoordeling"

urlpatterns = [
    path("stages/<int:pk>/gesprekken/", gesprek_views.stage_gesprekken, name="stage_gesprekken"),
    path("gesprekken/<int:pk>/", gesprek_views.gesprek_detail, name="gesprek"),
    path("gesprekken/<int:pk>/zelfreflectie/", gesprek_views.zelfreflectie, name="zelfreflectie"),
    path("gesprekken/<int:pk>/notities/", gesprek_views.gesprek_notes, name="gesprek_notes"),
    path("gesprekken/<int:pk>/afspraken/nieuw/", gesprek_views.afspraak_add, name="afspraak_add"),
    path("gesprekken/<int:pk>/afronden/", gesprek_views.gesprek_afronden, name="gesprek_afronden"),
    path("afspraken/<int:pk>/status/", gesprek_views.afspraak_status, name="afspraak_status"),
    path("stages/<int:pk>/evaluatie/", gesprek_views.evaluatie_detail, name="evaluatie"),
    path("stages/<int:pk>/evaluatie/invullen/", gesprek_views.evaluatie_fill, name="evaluatie_fill"),
    path("stages/<int:pk>/evaluatie/afronding/", gesprek_views.evaluatie_afronding, name="evaluatie_afronding"),
    path("leerbedrijf/<int:pk>/evaluaties/", gesprek_views.evaluatie_overzicht, name="evaluatie_overzicht"),
    path("stages/<int:pk>/beoordelingen/", beoordeling_views.stage_beoordelingen, name="stage"),
    path("stages/<int:pk>/beoordelingen/starten/", beoordeling_views.start, name="start"),
    path("stages/<int:pk>/formulier/<str:kind>/", beoordeling_views.sjabloon, name="sjabloon"),
    path("beoordelingen/<int:pk>/", beoordeling_views.detail, name="detail"),
    path("beoordelingen/<int:pk>/invullen/", beoordeling_views.fill, name="fill"),
    path("beoordelingen/<int:pk>/gesprek-openen/", beoordeling_views.open_gesprek, name="open_gesprek"),
    path("beoordelingen/<int:pk>/conclusie/", beoordeling_views.conclude, name="conclude"),
    path("beoordelingen/<int:pk>/deel-school/", beoordeling_views.school_part, name="school_part"),
    path("beoordelingen/<int:pk>/ondertekenen/", beoordeling_views.sign, name="sign"),
    path("beoordelingen/<int:pk>/corrigeren/", beoordeling_views.correct, name="correct"),
    path("beoordelingen/<int:pk>/collega-feedback/", beoordeling_views.ask_colleague, name="ask_colleague"),
    path("collega-feedback/<str:token>/", beoordeling_views.collega_antwoord, name="collega_antwoord"),
]
