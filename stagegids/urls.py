from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from . import health, pwa, views
from .forms import LoginForm, OutboxPasswordResetForm

admin.site.site_header = _("Stagegids beheer")
admin.site.site_title = _("Stagegids beheer")

# The portal's own error pages are the templates 403.html, 404.html and 500.html; the 400 page says why.
handler400 = views.bad_request

urlpatterns = [
    path("", views.start, name="start"),
    path("start/<slug:name>/", views.start_panel, name="start_panel"),
    path("gezond/", health.health, name="health"),
    path("meldingen/", views.notification_list, name="notifications"),
    path("meldingen/gelezen/", views.notifications_read, name="notifications_read"),
    path("meldingen/<int:pk>/gelezen/", views.notification_read, name="notification_read"),
    path("herinneringen/", views.reminder_preferences, name="reminder_preferences"),
    path("privacy/", views.privacy, name="privacy"),
    path("privacy/verwerkingsregister.csv", views.verwerkingsregister, name="verwerkingsregister"),
    path(
        "account/inloggen/",
        auth_views.LoginView.as_view(authentication_form=LoginForm, redirect_authenticated_user=True),
        name="login",
    ),
    path("account/uitloggen/", auth_views.LogoutView.as_view(), name="logout"),
    path("account/verwijderen/", views.erasure_request, name="erasure_request"),
    path("account/tweestaps/", views.twofactor, name="twofactor"),
    path("account/tweestaps/instellen/", views.twofactor_setup, name="twofactor_setup"),
    path("account/tweestaps/code/", views.twofactor_code, name="twofactor_code"),
    path("account/tweestaps/herstelcodes/", views.twofactor_recovery_codes, name="twofactor_recovery_codes"),
    path("account/tweestaps/uitzetten/", views.twofactor_off, name="twofactor_off"),
    path("account/tweestaps/code/passkey/opties/", views.twofactor_passkey_options, name="twofactor_passkey_options"),
    path("account/tweestaps/code/passkey/", views.twofactor_passkey, name="twofactor_passkey"),
    path("account/tweestaps/passkey/opties/", views.passkey_add_options, name="passkey_add_options"),
    path("account/tweestaps/passkey/toevoegen/", views.passkey_add, name="passkey_add"),
    path("account/tweestaps/passkey/<int:pk>/verwijderen/", views.passkey_remove, name="passkey_remove"),
    path(
        "account/wachtwoord-vergeten/",
        auth_views.PasswordResetView.as_view(form_class=OutboxPasswordResetForm),
        name="password_reset",
    ),
    path(
        "account/wachtwoord-vergeten/verstuurd/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "account/wachtwoord-instellen/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "account/wachtwoord-ingesteld/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("manifest.webmanifest", pwa.manifest, name="manifest"),
    path("sw.js", pwa.service_worker, name="service_worker"),
    path("offline/", pwa.offline, name="offline"),
    path("beheer/", admin.site.urls),
    path("", include("leerbedrijf.urls")),
    path("", include("stageplan.urls")),
    path("", include("stagemap.urls")),
    path("", include("beoordeling.urls")),
    path("", include("uren.urls")),
    path("", include("tegemoetkoming.urls")),
]
