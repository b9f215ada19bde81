import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "stagegids.settings")

app = Celery("stagegids")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
# The outbox keeps its tasks beside the code they run (stagegids/outbox.py).
app.autodiscover_tasks(["stagegids"], related_name="outbox")
