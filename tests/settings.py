"""Fast test settings on top of the real ones (cookiecutter-django's config/settings/test.py)."""

import os

os.environ.setdefault("DJANGO_DEBUG", "false")
os.environ.setdefault("DJANGO_SECRET_KEY", "tests-only-secret-key-that-is-long-enough-for-check-deploy-0123456789")
os.environ.setdefault("DJANGO_SSL_REDIRECT", "false")
os.environ.setdefault("STAGEGIDS_VAR_DIR", os.path.join(os.path.dirname(__file__), "..", "var", "test"))

from stagegids.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}  # noqa: F405
# Tests log in with force_login; the lock-out itself is tested with axes switched on where it matters.
AXES_ENABLED = False
LOGGING = {"version": 1, "disable_existing_loggers": False}
WHITENOISE_USE_FINDERS = True
# Templates that exist only for tests (e.g. the PDF renderer's attack template).
TEMPLATES[0]["DIRS"] = [*TEMPLATES[0]["DIRS"], BASE_DIR / "tests" / "templates"]  # noqa: F405
