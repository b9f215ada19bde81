from django.urls import path

from .beoordelingen import views as beoordelingen
from .evaluatie import views as evaluatie
from .gesprekken import driegesprekken
from .gesprekken import views as gesprekken
from .voortgang import views as voortgang
from .zorgen import views as zorgen

app_name = "beoordeling"

urlpatterns = [
    # Chapter 8, begeleiding: voortgangsgesprekken, zelfreflectie, afspraken.
    path("stages/<int:pk>/gesprekken/", gesprekken.stage_gesprekken, name="stage_gesprekken"),
    path("gesprekken/<int:pk>/", gesprekken.gesprek_detail, name="gesprek"),
    path("gesprekken/<int:pk>/zelfreflectie/", gesprekken.zelfreflectie, name="zelfreflectie"),
    path("gesprekken/<int:pk>/notities/", gesprekken.gesprek_notes, name="gesprek_notes"),
    path("gesprekken/<int:pk>/afspraken/nieuw/", gesprekken.afspraak_add, name="afspraak_add"),
    path("gesprekken/<int:pk>/afronden/", gesprekken.gesprek_afronden, name="gesprek_afronden"),
    path("afspraken/<int:pk>/status/", gesprekken.afspraak_status, name="afspraak_status"),
    # Zorgen signaleren (issue 15): a concern about a stage, followed to how it ended.
    path("stages/<int:pk>/zorgen/", zorgen.stage_zorgen, name="zorgen"),
    path("stages/<int:pk>/zorgen/nieuw/", zorgen.zorg_add, name="zorg_add"),
    path("zorgen/<int:pk>/", zorgen.zorg_detail, name="zorg"),
    path("zorgen/<int:pk>/bewerken/", zorgen.zorg_edit, name="zorg_edit"),
    path("zorgen/<int:pk>/delen/", zorgen.zorg_share, name="zorg_share"),
    path("zorgen/<int:pk>/sluiten/", zorgen.zorg_close, name="zorg_close"),
    path("zorgen/<int:pk>/heropenen/", zorgen.zorg_reopen, name="zorg_reopen"),
    # The driegesprekken with the school (start-, midden-, eindgesprek), by their moment.
    path("driegesprekken/<int:pk>/", driegesprekken.driegesprek_detail, name="driegesprek"),
    path("driegesprekken/<int:pk>/vastleggen/", driegesprekken.driegesprek_notes, name="driegesprek_notes"),
    path("driegesprekken/<int:pk>/school/", driegesprekken.driegesprek_school, name="driegesprek_school"),
    path(
        "driegesprekken/<int:pk>/afspraken/nieuw/",
        driegesprekken.driegesprek_afspraak_add,
        name="driegesprek_afspraak_add",
    ),
    path("driegesprekken/<int:pk>/afronden/", driegesprekken.driegesprek_afronden, name="driegesprek_afronden"),
    # The progress picture of a stage (issue 16): leerdoelen over time, the tussenbeoordeling's werkprocessen.
    path("stages/<int:pk>/voortgang/", voortgang.voortgangsbeeld, name="voortgangsbeeld"),
    # Chapter 10, afronding: the evaluatie and its lessons.
    path("stages/<int:pk>/evaluatie/", evaluatie.evaluatie_detail, name="evaluatie"),
    path("stages/<int:pk>/evaluatie/invullen/", evaluatie.evaluatie_fill, name="evaluatie_fill"),
    path("stages/<int:pk>/evaluatie/afronding/", evaluatie.evaluatie_afronding, name="evaluatie_afronding"),
    path("leerbedrijf/<int:pk>/evaluaties/", evaluatie.evaluatie_overzicht, name="evaluatie_overzicht"),
    # Chapter 9: tussenbeoordeling, bpv-beoordeling and pvb, their forms and collega-feedback.
    path("stages/<int:pk>/beoordelingen/", beoordelingen.stage_beoordelingen, name="stage"),
    path("stages/<int:pk>/beoordelingen/starten/", beoordelingen.start, name="start"),
    path("stages/<int:pk>/formulier/<str:kind>/", beoordelingen.sjabloon, name="sjabloon"),
    path("beoordelingen/<int:pk>/", beoordelingen.detail, name="detail"),
    path("beoordelingen/<int:pk>/invullen/", beoordelingen.fill, name="fill"),
    path("beoordelingen/<int:pk>/gesprek-openen/", beoordelingen.open_gesprek, name="open_gesprek"),
    path("beoordelingen/<int:pk>/conclusie/", beoordelingen.conclude, name="conclude"),
    path("beoordelingen/<int:pk>/deel-school/", beoordelingen.school_part, name="school_part"),
    path("beoordelingen/<int:pk>/ondertekenen/", beoordelingen.sign, name="sign"),
    path("beoordelingen/<int:pk>/corrigeren/", beoordelingen.correct, name="correct"),
    path("beoordelingen/<int:pk>/zorg/", beoordelingen.zorg_voorstel, name="zorg_voorstel"),
    path("beoordelingen/<int:pk>/collega-feedback/", beoordelingen.ask_colleague, name="ask_colleague"),
    path(
        "beoordelingen/<int:pk>/collega-feedback/<int:vraag_pk>/opnieuw-versturen/",
        beoordelingen.collega_resend,
        name="collega_resend",
    ),
    path(
        "beoordelingen/<int:pk>/collega-feedback/<int:vraag_pk>/intrekken/",
        beoordelingen.collega_revoke,
        name="collega_revoke",
    ),
    path("collega-feedback/<str:token>/", beoordelingen.collega_antwoord, name="collega_antwoord"),
]
