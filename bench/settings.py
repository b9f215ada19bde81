"""The portal's own settings, as production runs them (debug off), plus one bare view to compare against."""

import os

os.environ.setdefault("DJANGO_DEBUG", "false")
os.environ.setdefault("DJANGO_SECRET_KEY", "bench-only-secret-key-that-is-long-enough-for-the-checks-0123456789")
os.environ.setdefault("DJANGO_SSL_REDIRECT", "false")
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")

from stagegids.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
# Logging in is not what is measured; every request is made by an already logged-in user.
AXES_ENABLED = False
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}  # noqa: F405
LOGGING = {"version": 1, "disable_existing_loggers": False}
# The reference document of bench/verslagen.py, rendered by the portal's renderer beside the verslagen.
TEMPLATES = [{**TEMPLATES[0], "DIRS": [*TEMPLATES[0]["DIRS"], BASE_DIR / "bench" / "templates"]}, *TEMPLATES[1:]]  # noqa: F405
