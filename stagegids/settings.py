"""Settings come from the environment; every default is safe for a laptop (SQLite, a local broker).

Production sets DJANGO_DEBUG=false, DJANGO_SECRET_KEY, DJANGO_ALLOWED_HOSTS, DATABASE_URL (PostgreSQL) and
CELERY_BROKER_URL (Redis). A malformed value stops the start instead of being guessed at.
"""

import os
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("STAGEGIDS_VAR_DIR", BASE_DIR / "var"))


def envbool(name, default):
    value = os.environ.get(name, default)
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off", ""}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}")


def envint(name, default):
    value = os.environ.get(name, default)
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}") from None


DEBUG = envbool("DJANGO_DEBUG", "false")
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("DJANGO_SECRET_KEY is required when DJANGO_DEBUG is off")
    SECRET_KEY = "django-insecure-only-for-local-development-with-debug-on"  # noqa: S105
ALLOWED_HOSTS = [h for h in os.environ.get("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1").split(",") if h]
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("DJANGO_CSRF_TRUSTED_ORIGINS", "").split(",") if o]
SITE_URL = os.environ.get("STAGEGIDS_SITE_URL", "http://localhost:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_htmx",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp_webauthn",
    "rules.apps.AutodiscoverRulesConfig",
    "stagegids",
    "leerbedrijf",
    "stagemap",
    "stageplan",
    "beoordeling",
    "uren",
    "tegemoetkoming",
    # Last, so that a widget template in templates/ (FORM_RENDERER below) comes before Django's own.
    "django.forms",
]

MIDDLEWARE = [
    # Outermost, so that its time is the whole request's.
    "stagegids.middleware.RequestLogMiddleware",
    # First, so that it sees every error answer, also one that a middleware below gives (a database that is down
    # fails the session's too).
    "stagegids.middleware.HtmxErrorMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "stagegids.middleware.SessionRenewalMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "stagegids.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
    # After the login's lock: a session that has not passed the second step of the login reaches its pages only.
    "stagegids.twofactor.TwoFactorMiddleware",
    "leerbedrijf.middleware.BlockedLeerbedrijfMiddleware",
]

ROOT_URLCONF = "stagegids.urls"
WSGI_APPLICATION = "stagegids.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "stagegids.context_processors.portal",
            ],
        },
    },
    # Plain text, the subject and text part of a mail (stagegids/mail.py): never HTML-escaped, or a name such as
    # 's-Gravensande reads &#x27;s-Gravensande there.
    {
        "NAME": "text",
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {"autoescape": False},
    },
]

# Widgets render through TEMPLATES, so templates/django/forms/ can replace one of Django's widget templates.
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'stagegids.sqlite3'}"),
        # Kept for ten minutes: the statements prepared on a connection (below) are lost with it.
        conn_max_age=600,
        # A kept connection is tested before a request uses it, so the first request after a database restart
        # does not get the error page.
        conn_health_checks=True,
    )
}
_postgresql = DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
if _postgresql and envbool("DATABASE_PREPARED_STATEMENTS", "true"):
    # Parameters bound by the server, so that a query asked again on the same connection is prepared there: parsed
    # and planned once. Planning was a third of the start page's database time (bench/README.md). A pooler in
    # transaction mode (PgBouncer without max_prepared_statements) needs DATABASE_PREPARED_STATEMENTS=false.
    DATABASES["default"]["OPTIONS"] = {
        **DATABASES["default"].get("OPTIONS", {}),
        "server_side_binding": True,
        "prepare_threshold": 2,
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "stagegids.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "start"
LOGOUT_REDIRECT_URL = "login"

# Password guessing: after AXES_FAILURE_LIMIT failures the account and address pair is locked for
# AXES_COOLOFF_MINUTES; a lock is per user and address, so one attacker cannot lock a colleague out everywhere.
# The beheer shows the locks in Dutch through stagegids/admin.py; axes' own admin would add three English pages.
AXES_ENABLE_ADMIN = False
AXES_FAILURE_LIMIT = envint("AXES_FAILURE_LIMIT", "5")
AXES_COOLOFF_TIME = envint("AXES_COOLOFF_MINUTES", "15") / 60
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "username"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
# Axes keeps what a counted attempt posted: never a password or whom it names (stagegids/throttle.py).
AXES_SENSITIVE_PARAMETERS = ["username", "ip_address", "password1", "password2", "email", "name"]

# Two-factor login (stagegids/twofactor.py): TOTP by django-otp, recovery codes of our own (only their HMAC kept).
OTP_TOTP_ISSUER = "Stagegids"
# Passkeys (django-otp-webauthn's models and ceremonies behind our own views, stagegids/passkeys.py): the relying
# party is the host the page was asked on (ALLOWED_HOSTS vouches for it), so one setting serves every deployment and
# the tests' http://localhost. A passkey is only a second step here, never a login without the password.
OTP_WEBAUTHN_RP_NAME = "Stagegids"
OTP_WEBAUTHN_RP_ID_CALLABLE = "stagegids.passkeys.rp_id"
OTP_WEBAUTHN_HELPER_CLASS = "stagegids.passkeys.Helper"
OTP_WEBAUTHN_ALLOW_PASSWORDLESS_LOGIN = False
# The allowed origin is the request's own (passkeys.Helper), not a list in the settings that the check looks for.
SILENCED_SYSTEM_CHECKS = ["otp_webauthn.E030"]
# Removing a passkey needs a full login of at most this long ago (or logging in again).
TWOFACTOR_RECENT_LOGIN_SECONDS = 15 * 60
TWOFACTOR_RECOVERY_CODES = 10
# A set-up page's secret is good for this long; the page says so when it has expired.
TWOFACTOR_SETUP_MAX_AGE_SECONDS = 30 * 60

# Inactivity: a session ends SESSION_IDLE_MINUTES after the last request (SessionRenewalMiddleware renews it,
# at most once a minute).
SESSION_COOKIE_AGE = envint("SESSION_IDLE_MINUTES", "120") * 60
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_HTTPONLY = True

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_HSTS_SECONDS = 0 if DEBUG else envint("DJANGO_HSTS_SECONDS", "31536000")
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
# Preloading is a commitment for the whole domain; on by default so check --deploy passes, off by env.
SECURE_HSTS_PRELOAD = not DEBUG and envbool("DJANGO_HSTS_PRELOAD", "true")
SECURE_SSL_REDIRECT = envbool("DJANGO_SSL_REDIRECT", "false" if DEBUG else "true")
# A load balancer asks for the health check over plain HTTP, inside the network.
SECURE_REDIRECT_EXEMPT = [r"^gezond/$"]
if envbool("DJANGO_BEHIND_PROXY", "false"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "object-src": [CSP.NONE],
}

# Dutch only: the texts exist in Dutch alone, so a browser that asks for English would get Dutch pages with English
# dates, numbers and form errors. Hence one language and no LocaleMiddleware.
LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Nederlands"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
# Bootstrap comes from the npm registry at set-up (package-lock.json pins it); the rest is the project's own.
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("vendor/bootstrap", BASE_DIR / "node_modules" / "bootstrap" / "dist"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
# Uploaded files and verslagen go through Django's storage API: to the local disk by default, to an S3-compatible
# object store when STAGEGIDS_S3_BUCKET is set (django-storages). The bucket must not be public: nothing links to a
# file; views check the policy and stream it, and a URL the storage makes is signed and lasts five minutes.


def s3_storage(*, bucket, endpoint_url=None, region=None, access_key=None, secret_key=None, prefix=""):
    """The default storage in an S3-compatible bucket. Without keys boto3 finds credentials itself (AWS_ACCESS_KEY_ID,
    an instance role, ...)."""
    return {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": bucket,
            "endpoint_url": endpoint_url,
            "region_name": region,
            "access_key": access_key,
            "secret_key": secret_key,
            "location": prefix,
            "default_acl": None,
            "querystring_auth": True,
            "querystring_expire": 300,
            # Signature version 4: the one every AWS region and the S3-compatible stores accept.
            "signature_version": "s3v4",
            "file_overwrite": False,
        },
    }


S3_BUCKET = os.environ.get("STAGEGIDS_S3_BUCKET", "")
if S3_BUCKET:
    STORAGES["default"] = s3_storage(
        bucket=S3_BUCKET,
        endpoint_url=os.environ.get("STAGEGIDS_S3_ENDPOINT_URL") or None,
        region=os.environ.get("STAGEGIDS_S3_REGION") or None,
        access_key=os.environ.get("STAGEGIDS_S3_ACCESS_KEY_ID") or None,
        secret_key=os.environ.get("STAGEGIDS_S3_SECRET_ACCESS_KEY") or None,
        prefix=os.environ.get("STAGEGIDS_S3_PREFIX", ""),
    )
MEDIA_ROOT = Path(os.environ.get("STAGEGIDS_MEDIA_ROOT", VAR_DIR / "media"))
# Uploaded files are never served from MEDIA_URL (no URL pattern or web server maps it): views check the policy
# and stream them.
MEDIA_URL = "/uploads-are-served-by-views/"

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Django 6.1 mailers. DJANGO_EMAIL_BACKEND picks the backend: smtp in production, console (the default with debug
# on) or file (var/mail) while developing.
MAIL_BACKENDS = {
    "smtp": "django.core.mail.backends.smtp.EmailBackend",
    "console": "django.core.mail.backends.console.EmailBackend",
    "file": "django.core.mail.backends.filebased.EmailBackend",
}
_mail_backend = os.environ.get("DJANGO_EMAIL_BACKEND", "console" if DEBUG else "smtp")
if _mail_backend not in MAIL_BACKENDS:
    raise ImproperlyConfigured(f"DJANGO_EMAIL_BACKEND must be one of {', '.join(MAIL_BACKENDS)}")
_mail_options = {
    "smtp": {
        "host": os.environ.get("DJANGO_EMAIL_HOST", "localhost"),
        "port": envint("DJANGO_EMAIL_PORT", "25"),
        "username": os.environ.get("DJANGO_EMAIL_HOST_USER", ""),
        "password": os.environ.get("DJANGO_EMAIL_HOST_PASSWORD", ""),
        "use_tls": envbool("DJANGO_EMAIL_USE_TLS", "false"),
        "timeout": 20,
    },
    "console": {},
    "file": {"file_path": str(VAR_DIR / "mail")},
}[_mail_backend]
MAILERS = {"default": {"BACKEND": MAIL_BACKENDS[_mail_backend], "OPTIONS": _mail_options}}
DEFAULT_FROM_EMAIL = os.environ.get("DJANGO_DEFAULT_FROM_EMAIL", "Stagegids <noreply@stagegids.localhost>")

INVITATION_VALID_DAYS = envint("STAGEGIDS_INVITATION_VALID_DAYS", "14")
# How long the praktijkopleider can undo interrupting or ending a stage (leerbedrijf/models/stop.py).
STAGE_STOP_UNDO_HOURS = envint("STAGEGIDS_STAGE_STOP_UNDO_HOURS", "24")
# How long after a stage's end date its werkplekbegeleider and meewerkende collega's still see it (issue 15): the
# company needs them for what comes after the last day (the eindbeoordeling, the stagemap, questions from the
# school), not for ever. The last day they see it is the end date plus this many days; the praktijkopleider keeps it.
BEGELEIDER_ACCESS_DAYS_AFTER_END = envint("STAGEGIDS_BEGELEIDER_ACCESS_DAYS_AFTER_END", "90")

# Retention (issue 17): how many days the portal keeps what it no longer needs, per category; the README's table
# "Bewaartermijnen" gives each default and its reason. Every category an app registers with stagegids.retention
# must have its days here (a missing one is an error at start-up), so no period is a constant in an app.
RETENTION_DAYS = {
    # A rejected kandidaat: four weeks after the decision, as the AP advises for applicants.
    "kandidaat_afgewezen": envint("STAGEGIDS_RETENTION_KANDIDAAT_DAYS", "28"),
    # An ended stage's working data, from its last day: the school's exam and appeal terms and the next studiejaar.
    "stage": envint("STAGEGIDS_RETENTION_STAGE_DAYS", "365"),
    # A colleague's e-mail address once the feedback is answered, withdrawn or expired: it was only for the link.
    "collega_email": envint("STAGEGIDS_RETENTION_COLLEGA_EMAIL_DAYS", "0"),
    # An ended role (membership, meewerkende collega): long enough to restore it by mistake, then it goes.
    "rol_beeindigd": envint("STAGEGIDS_RETENTION_ROLE_DAYS", "365"),
    # Reminders and start-page notifications, after their occasion: they were said once.
    "herinneringen": envint("STAGEGIDS_RETENTION_REMINDER_DAYS", "180"),
    # Outgoing mail rows once sent, cancelled or failed: for questions about a mail that did not arrive.
    "uitgaande_mail": envint("STAGEGIDS_RETENTION_MAIL_DAYS", "90"),
    # Login attempts (django-axes): a lock-out lasts minutes, an investigation of an attack a few weeks.
    "inlogpogingen": envint("STAGEGIDS_RETENTION_LOGIN_ATTEMPT_DAYS", "30"),
    # An aanmelding of a leerbedrijf after its link expired unconfirmed, or after it was confirmed.
    "aanmelding": envint("STAGEGIDS_RETENTION_AANMELDING_DAYS", "7"),
    # An invitation after it expired, was withdrawn or accepted.
    "uitnodiging": envint("STAGEGIDS_RETENTION_INVITATION_DAYS", "30"),
    # An account whose erasure was asked: deactivated at once, anonymised this many days later (a mistake can still
    # be undone; the AVG asks for it within a month).
    "account_verwijderd": envint("STAGEGIDS_RETENTION_ERASURE_DAYS", "30"),
    # A finished inzage export (AVG art. 15/20): time to download it, then its file goes.
    "inzage": envint("STAGEGIDS_INZAGE_EXPIRE_DAYS", "7"),
    # Who opened a verslag, bewijsstuk, photo, document or export: a year back is what a stagiair or a school asks.
    "raadpleging": envint("STAGEGIDS_RAADPLEGING_RETENTION_DAYS", "365"),
    # A dossier of a whole company, counted from the day its scheme's retention ends (tegemoetkoming/retention.py).
    "dossier": envint("STAGEGIDS_RETENTION_DOSSIER_DAYS", "0"),
}
# Years a subsidy dossier keeps what its scheme needs, used while the scheme's Regelingsjaar has no retention figure
# (the beheerder enters it in /beheer/): seven, the fiscal retention duty of the company's records (art. 52 AWR).
RETENTION_SUBSIDY_FALLBACK_YEARS = envint("STAGEGIDS_RETENTION_SUBSIDY_FALLBACK_YEARS", "7")
# The hour (local time) of the daily retention run.
RETENTION_HOUR = envint("STAGEGIDS_RETENTION_HOUR", "3")

# A local broker by default: kombu's filesystem transport needs no server, so `make run` works on a bare machine.
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "filesystem://")
if CELERY_BROKER_URL.startswith("filesystem://"):
    for folder in ("in", "processed", "control"):
        (VAR_DIR / "broker" / folder).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(VAR_DIR / "broker" / "in"),
        "data_folder_out": str(VAR_DIR / "broker" / "in"),
        "processed_folder": str(VAR_DIR / "broker" / "processed"),
        # Without it kombu writes its broadcast exchanges into ./control of whatever folder the process runs in.
        "control_folder": str(VAR_DIR / "broker" / "control"),
        "store_processed": False,
    }
# A broker that does not answer (a host that is gone, packets dropped, a Redis that hangs) costs a request a few
# seconds, not minutes: without these, one publish after commit waited for the system's TCP time-out (two minutes)
# and then retried three times. Now it gives up after one retry with short time-outs, and the row it was for stays
# pending for beat to enqueue once the broker is back (stagegids/queued.py). About 5 s against a Redis that takes
# the connection and never answers: tests/stagegids/test_broker_unreachable.py.
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.5, "interval_max": 0.5}
# Redis's own: its connect and read time-outs (none by default), and the retries of the connection a publish opens.
# The read time-out stays above kombu's one-second BRPOP, which the worker waits on.
REDIS_BROKER_TRANSPORT_OPTIONS = {"socket_connect_timeout": 2, "socket_timeout": 3, "max_retries": 1}
if CELERY_BROKER_URL.startswith(("redis://", "rediss://")):
    CELERY_BROKER_TRANSPORT_OPTIONS = REDIS_BROKER_TRANSPORT_OPTIONS
CELERY_TASK_ALWAYS_EAGER = envbool("CELERY_TASK_ALWAYS_EAGER", "false")
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = TIME_ZONE
# Herinneringen (stagegids/reminders.py). The scan runs every REMINDER_SCAN_SECONDS (a minute with debug on,
# so the demo shows a reminder arriving); the digest once a day at REMINDER_DIGEST_HOUR.
REMINDER_SCAN_SECONDS = envint("STAGEGIDS_REMINDER_SCAN_SECONDS", "60" if DEBUG else "900")
REMINDER_DIGEST_HOUR = envint("STAGEGIDS_REMINDER_DIGEST_HOUR", "7")
REMINDER_MOMENT_LEAD_DAYS = [
    envint("STAGEGIDS_REMINDER_MOMENT_WEEK_DAYS", "7"),
    envint("STAGEGIDS_REMINDER_MOMENT_DAY_DAYS", "1"),
]
REMINDER_STAGEPLAN_AGREED_DAYS = envint("STAGEGIDS_REMINDER_STAGEPLAN_AGREED_DAYS", "14")
REMINDER_ONBOARDING_LEAD_DAYS = envint("STAGEGIDS_REMINDER_ONBOARDING_LEAD_DAYS", "1")
REMINDER_VERSLAG_REVIEW_DAYS = envint("STAGEGIDS_REMINDER_VERSLAG_REVIEW_DAYS", "5")
# The STIP is asked within months of the start: the praktijkopleider hears of it this many days before the last day.
REMINDER_STIP_LEAD_DAYS = envint("STAGEGIDS_REMINDER_STIP_LEAD_DAYS", "30")
# A colleague's feedback link expires after 10 days; the asker hears this many days before, if it is unanswered.
REMINDER_COLLEGA_FEEDBACK_DAYS = envint("STAGEGIDS_REMINDER_COLLEGA_FEEDBACK_DAYS", "3")
REMINDER_ERKENNING_MONTHS = envint("STAGEGIDS_REMINDER_ERKENNING_MONTHS", "3")
# The stagiair's zelfreflectie (voortgangsgesprek) or zelfbeoordeling (tussenbeoordeling), this many days before.
REMINDER_ZELFREFLECTIE_DAYS = envint("STAGEGIDS_REMINDER_ZELFREFLECTIE_DAYS", "2")
# A beoordeling not signed by both sides this many days after its moment.
REMINDER_BEOORDELING_SIGN_DAYS = envint("STAGEGIDS_REMINDER_BEOORDELING_SIGN_DAYS", "7")
REMINDER_BEOORDELING_START_DAYS = envint("STAGEGIDS_REMINDER_BEOORDELING_START_DAYS", "7")
# A moment not recorded this many days after its time counts as skipped (gids ch. 8, "sla ze niet over").
MOMENT_OVERDUE_DAYS = envint("STAGEGIDS_MOMENT_OVERDUE_DAYS", "2")
ERKENNING_VALID_YEARS = envint("STAGEGIDS_ERKENNING_VALID_YEARS", "4")
# Uren (uren/): a week not filled in is reminded on the Monday after it, for the last REMINDER_UREN_WEEKS_BACK weeks
# (older weeks are not news any more); a handed-in week not approved REMINDER_UREN_APPROVE_DAYS after it was handed in.
REMINDER_UREN_WEEKS_BACK = envint("STAGEGIDS_REMINDER_UREN_WEEKS_BACK", "2")
REMINDER_UREN_APPROVE_DAYS = envint("STAGEGIDS_REMINDER_UREN_APPROVE_DAYS", "2")
# Absence the praktijkopleider sees on the start page (uren/dashboard.py): a ziekmelding open for at least
# UREN_LONG_ABSENCE_DAYS calendar days (long), or UREN_REPEATED_ABSENCE_COUNT ziekmeldingen started within the last
# UREN_REPEATED_ABSENCE_MONTHS months (repeated: three in a year is where HR practice speaks of frequent verzuim).
UREN_LONG_ABSENCE_DAYS = envint("STAGEGIDS_UREN_LONG_ABSENCE_DAYS", "14")
UREN_REPEATED_ABSENCE_COUNT = envint("STAGEGIDS_UREN_REPEATED_ABSENCE_COUNT", "3")
UREN_REPEATED_ABSENCE_MONTHS = envint("STAGEGIDS_UREN_REPEATED_ABSENCE_MONTHS", "12")
# A ziekmelding is made on the day; forgotten, it may still start at most this many days back.
UREN_ZIEKMELDING_DAYS_BACK = envint("STAGEGIDS_UREN_ZIEKMELDING_DAYS_BACK", "7")
# A claim older than this belongs to a worker that died (a send takes at most the SMTP timeout): sent again.
REMINDER_CLAIM_TIMEOUT_MINUTES = envint("STAGEGIDS_REMINDER_CLAIM_TIMEOUT_MINUTES", "10")
# A pending reminder whose message may have been lost is enqueued again after this long.
REMINDER_REENQUEUE_MINUTES = envint("STAGEGIDS_REMINDER_REENQUEUE_MINUTES", "30")
REMINDER_MAX_ATTEMPTS = envint("STAGEGIDS_REMINDER_MAX_ATTEMPTS", "8")
REMINDER_SCAN_BATCH = envint("STAGEGIDS_REMINDER_SCAN_BATCH", "5000")
# The outbox (stagegids/outbox.py): mail asked for by a request, sent by a worker.
MAIL_RESEND_SECONDS = envint("STAGEGIDS_MAIL_RESEND_SECONDS", "60" if DEBUG else "300")
# A claim older than this belongs to a worker that died (a send takes at most the SMTP timeout): sent again.
MAIL_CLAIM_TIMEOUT_MINUTES = envint("STAGEGIDS_MAIL_CLAIM_TIMEOUT_MINUTES", "10")
# A pending mail whose message may have been lost is enqueued again after this long.
MAIL_REENQUEUE_MINUTES = envint("STAGEGIDS_MAIL_REENQUEUE_MINUTES", "15")
MAIL_MAX_ATTEMPTS = envint("STAGEGIDS_MAIL_MAX_ATTEMPTS", "8")
MAIL_RESEND_BATCH = envint("STAGEGIDS_MAIL_RESEND_BATCH", "1000")
# Every mail of the reminders and the outbox carries a Message-ID derived from its row, <mail-7@MAIL_ID_DOMAIN>:
# sent twice (a worker killed after the server took it), mail systems that de-duplicate show it once.
MAIL_ID_DOMAIN = os.environ.get("STAGEGIDS_MAIL_ID_DOMAIN", urlsplit(SITE_URL).hostname or "stagegids.localhost")
# The stagemap's work (stagemap/tasks.py): the pdf of a stagemap and the verslagen asked for. The beat enqueues
# what the broker never got every STAGEMAP_REQUEUE_SECONDS, a claim older than STAGEMAP_CLAIM_TIMEOUT_MINUTES
# belongs to a dead worker (a task is stopped before then) and is taken over, STAGEMAP_MAX_ATTEMPTS times at most.
STAGEMAP_REQUEUE_SECONDS = envint("STAGEGIDS_STAGEMAP_REQUEUE_SECONDS", "60")
STAGEMAP_CLAIM_TIMEOUT_MINUTES = envint("STAGEGIDS_STAGEMAP_CLAIM_TIMEOUT_MINUTES", "15")
STAGEMAP_REENQUEUE_MINUTES = envint("STAGEGIDS_STAGEMAP_REENQUEUE_MINUTES", "10")
STAGEMAP_MAX_ATTEMPTS = envint("STAGEGIDS_STAGEMAP_MAX_ATTEMPTS", "3")

CELERY_BEAT_SCHEDULE = {
    "inzages": {"task": "leerbedrijf.tasks.requeue_inzages", "schedule": STAGEMAP_REQUEUE_SECONDS},
    "outbox-resend": {"task": "stagegids.outbox.resend_queued_mail", "schedule": MAIL_RESEND_SECONDS},
    "stagemap-werk": {"task": "stagemap.tasks.requeue_stagemap_work", "schedule": STAGEMAP_REQUEUE_SECONDS},
    "dossiers": {"task": "tegemoetkoming.tasks.requeue_dossiers", "schedule": STAGEMAP_REQUEUE_SECONDS},
    "herinneringen-scan": {"task": "stagegids.tasks.scan_reminders", "schedule": REMINDER_SCAN_SECONDS},
    "bewaartermijnen": {"task": "stagegids.tasks.run_retention", "schedule": crontab(hour=RETENTION_HOUR, minute=30)},
    "herinneringen-dagoverzicht": {
        "task": "stagegids.tasks.send_digests",
        "schedule": crontab(hour=REMINDER_DIGEST_HOUR, minute=0),
    },
}

# text for a terminal; json for a log collector: one JSON object a line, a request's fields (stagegids.requests) as
# its keys.
LOG_FORMAT = os.environ.get("STAGEGIDS_LOG_FORMAT", "text")
if LOG_FORMAT not in {"text", "json"}:
    raise ImproperlyConfigured("STAGEGIDS_LOG_FORMAT is text or json")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "text": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        },
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT}},
    "loggers": {
        "stagegids.access": {"handlers": ["console"], "level": "INFO"},
        # One line a request (stagegids/middleware.py); off with STAGEGIDS_REQUEST_LOG=false.
        "stagegids.requests": {
            "handlers": ["console"],
            "level": "INFO" if envbool("STAGEGIDS_REQUEST_LOG", "true") else "WARNING",
            "propagate": False,
        },
        # With DEBUG off Django only mails a 500 to ADMINS; the traceback must reach the log as well.
        "django.request": {"handlers": ["console"], "level": "ERROR", "propagate": False},
        "axes": {"handlers": ["console"], "level": "WARNING"},
    },
}

STATIC_ROOT.mkdir(parents=True, exist_ok=True)

# An error tracker (Sentry, or GlitchTip and others that speak its protocol) when SENTRY_DSN is set: errors of the web
# processes and the workers, without personal data (no user, no cookies, no request bodies).
SENTRY_DSN = os.environ.get("SENTRY_DSN", "")
if SENTRY_DSN:
    import sentry_sdk

    sentry_sdk.init(
        dsn=SENTRY_DSN,
        environment=os.environ.get("SENTRY_ENVIRONMENT", "productie"),
        send_default_pii=False,
        max_request_body_size="never",
        traces_sample_rate=0,
    )
