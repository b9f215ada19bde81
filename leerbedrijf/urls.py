from django.urls import path

from .aanmelding import views as aanmelding_views
from .erkenning import views as erkenning_views
from .intake import views as intake_views
from .onboarding import views as onboarding_views
from .people import profile, stagiair_list
from .people import views as people_views
from .privacy import views as privacy_views
from .stop import views as stop_views
from .voortgang import views as voortgang_views
from .zoeken import views as zoeken_views

app_name = "leerbedrijf"

urlpatterns = [
    path("leerbedrijf/<int:pk>/", people_views.leerbedrijf_detail, name="detail"),
    path("leerbedrijf/<int:pk>/uitnodigen/", people_views.invite, name="invite"),
    path(
        "leerbedrijf/<int:pk>/rollen/<int:membership_pk>/beeindigen/",
        people_views.membership_end,
        name="membership_end",
    ),
    path(
        "leerbedrijf/<int:pk>/rollen/<int:membership_pk>/herstellen/",
        people_views.membership_restore,
        name="membership_restore",
    ),
    path(
        "leerbedrijf/<int:pk>/personen/<int:user_pk>/account-verwijderen/",
        people_views.person_erase,
        name="person_erase",
    ),
    path(
        "leerbedrijf/<int:pk>/personen/<int:user_pk>/tweestaps-herstellen/",
        people_views.person_twofactor_reset,
        name="person_twofactor_reset",
    ),
    path(
        "leerbedrijf/<int:pk>/uitnodigingen/<int:invitation_pk>/opnieuw/",
        people_views.invitation_resend,
        name="invitation_resend",
    ),
    path(
        "leerbedrijf/<int:pk>/uitnodigingen/<int:invitation_pk>/intrekken/",
        people_views.invitation_revoke,
        name="invitation_revoke",
    ),
    path("uitnodiging/<str:token>/", people_views.accept_invitation, name="accept"),
    path("stages/<int:pk>/", people_views.stage_detail, name="stage"),
    path("stages/<int:pk>/collegas/nieuw/", people_views.collega_add, name="collega_add"),
    path("stages/<int:pk>/collegas/<int:collega_pk>/beeindigen/", people_views.collega_end, name="collega_end"),
]

# A leerbedrijf registers itself (issue 12): public pages
urlpatterns += [
    path("aanmelden/", aanmelding_views.aanmelden, name="aanmelden"),
    path("aanmelden/verstuurd/", aanmelding_views.aanmelding_verstuurd, name="aanmelding_verstuurd"),
    path(
        "aanmelden/bevestigen/<str:token>/",
        aanmelding_views.aanmelding_bevestigen,
        name="aanmelding_bevestigen",
    ),
]

# The profile of the person logged in, with the trainings the erkenning asks of a praktijkopleider (chapter 3)
urlpatterns += [
    path("profiel/", profile.profile, name="profile"),
    path("profiel/trainingen/nieuw/", profile.training_add, name="training_add"),
    path("profiel/trainingen/<int:pk>/", profile.training_edit, name="training_edit"),
    path("profiel/trainingen/<int:pk>/verwijderen/", profile.training_delete, name="training_delete"),
    path("trainingen/<int:pk>/certificaat/", profile.training_certificate, name="training_certificate"),
]

# SBB-erkenningen (chapter 3)
urlpatterns += [
    path("leerbedrijf/<int:pk>/erkenningen/", erkenning_views.erkenning_list, name="erkenningen"),
    path("leerbedrijf/<int:pk>/erkenningen/nieuw/", erkenning_views.erkenning_create, name="erkenning_create"),
    path("erkenningen/<int:pk>/", erkenning_views.erkenning_detail, name="erkenning"),
    path("erkenningen/<int:pk>/wijzigen/", erkenning_views.erkenning_edit, name="erkenning_edit"),
    path(
        "erkenningen/<int:pk>/werkprocessen/", erkenning_views.erkenning_werkprocessen, name="erkenning_werkprocessen"
    ),
    path("erkenningen/<int:pk>/eisen/<int:check_pk>/", erkenning_views.erkenning_check, name="erkenning_check"),
    path(
        "erkenningen/<int:pk>/eisen/<int:check_pk>/bewijsstuk/",
        erkenning_views.erkenning_evidence,
        name="erkenning_evidence",
    ),
]

# Onboarding (chapter 6) and the stagiair list
urlpatterns += [
    path("stages/<int:pk>/onboarding/", onboarding_views.onboarding, name="onboarding"),
    path(
        "stages/<int:pk>/onboarding/<int:item_pk>/afvinken/", onboarding_views.onboarding_tick, name="onboarding_tick"
    ),
    path(
        "stages/<int:pk>/onboarding/<int:item_pk>/verantwoordelijke/",
        onboarding_views.onboarding_assign,
        name="onboarding_assign",
    ),
    path("leerbedrijf/<int:pk>/onboarding/", onboarding_views.onboarding_template, name="onboarding_template"),
    path(
        "leerbedrijf/<int:pk>/onboarding/<int:item_pk>/verwijderen/",
        onboarding_views.onboarding_template_delete,
        name="onboarding_template_delete",
    ),
    path("voortgang/", voortgang_views.overview, name="voortgang"),
    path("leerbedrijf/<int:pk>/stagiairs/", stagiair_list.stagiairs, name="stagiairs"),
]

# Intake, matching and the CSV import (chapters 1 and 4)
urlpatterns += [
    path("leerbedrijf/<int:pk>/intake/", intake_views.intake, name="intake"),
    path("leerbedrijf/<int:pk>/intake/school/", intake_views.intake_school, name="intake_school"),
    path("leerbedrijf/<int:pk>/instellingen/", intake_views.leerbedrijf_settings, name="settings"),
    path("leerbedrijf/<int:pk>/kandidaten/", intake_views.kandidaat_list, name="kandidaten"),
    path("leerbedrijf/<int:pk>/kandidaten/nieuw/", intake_views.kandidaat_new, name="kandidaat_new"),
    path("kandidaten/<int:pk>/", intake_views.kandidaat_detail, name="kandidaat"),
    path("kandidaten/<int:pk>/besluit/", intake_views.kandidaat_besluit, name="kandidaat_besluit"),
    path("stages/<int:pk>/bewerken/", intake_views.stage_edit, name="stage_edit"),
    path("stages/<int:pk>/onderbreken-of-beeindigen/", stop_views.stage_stop, name="stage_stop"),
    path("stages/<int:pk>/hervatten/", stop_views.stage_resume, name="stage_resume"),
    path(
        "stages/<int:pk>/onderbreking/<int:stop_pk>/ongedaan-maken/",
        stop_views.stage_stop_undo,
        name="stage_stop_undo",
    ),
    path("leerbedrijf/<int:pk>/import/", intake_views.stagiair_import, name="import"),
    path("leerbedrijf/<int:pk>/import/bevestigen/", intake_views.stagiair_import_confirm, name="import_confirm"),
    path("leerbedrijf/<int:pk>/import/voorbeeld.csv", intake_views.stagiair_import_example, name="import_example"),
]

# The search box in the header (issue 16)
urlpatterns += [
    path("zoeken/", zoeken_views.zoeken, name="zoeken"),
]

# Privacy (issue 17): inzage in everything the portal holds about you, and who saw what
urlpatterns += [
    path("inzage/", privacy_views.inzage, name="inzage"),
    path("inzage/nieuw/", privacy_views.inzage_start, name="inzage_start"),
    path("inzage/<int:pk>/", privacy_views.inzage_status, name="inzage_status"),
    path("inzage/<int:pk>/download/", privacy_views.inzage_download, name="inzage_download"),
    path("stages/<int:pk>/inzage/", privacy_views.stage_inzage_start, name="stage_inzage"),
    path("leerbedrijf/<int:pk>/raadplegingen/", privacy_views.raadplegingen_company, name="raadplegingen"),
    path("raadplegingen/", privacy_views.raadplegingen_own, name="raadplegingen_own"),
]
