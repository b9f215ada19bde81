"""The settings of every process of the multi-host run: bench/settings.py (production's, debug off) over plain HTTP.

The run talks to 127.0.0.1 without the TLS proxy that production has in front, so the session and CSRF cookies are
not marked secure (a client does not send a secure cookie over HTTP). Mail goes to files that the run reads back:
what a recipient would have received.
"""

import os

from bench.settings import *  # noqa: F403

SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
MAILERS = {
    "default": {
        "BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "OPTIONS": {"file_path": os.environ["BENCH_MAIL_DIR"]},
    }
}
