"""gunicorn's settings for the portal's web processes, on a laptop (`make run`) and in production alike.

Settings reference: https://gunicorn.org/reference/settings/ . Environment: PORT (8000), HOST (127.0.0.1; 0.0.0.0
behind a proxy on another host), WEB_CONCURRENCY (worker processes, 2), FORWARDED_ALLOW_IPS (the proxy's address).
"""

import os

bind = f"{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '8000')}"
# Processes, not threads: a page is CPU-bound Python; two per core is the usual start, measured in bench/.
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
# Heavy work (verslagen, dossiers, mail) runs in the Celery workers, so a request that takes longer than this hangs.
timeout = 30
graceful_timeout = 30
# A worker is replaced now and then, so that memory a request left behind does not accumulate.
max_requests = 2000
max_requests_jitter = 200
# One line a request comes from the portal itself (stagegids.middleware.RequestLogMiddleware, with its queries).
accesslog = None
errorlog = "-"
# The proxy in front terminates TLS; only it may say so (X-Forwarded-Proto, read by Django with DJANGO_BEHIND_PROXY).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
proc_name = "stagegids-web"
