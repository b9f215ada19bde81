from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StagemapConfig(AppConfig):
    name = "stagemap"
    verbose_name = _("Stagemap")

    def ready(self):
        # The start-page panels, the stage's section and the reminder kinds register themselves on import.
        from . import dashboard, herinneringen, sections  # noqa: F401
        from .signals import document_finished
        from .tasks import make_verslagen_after_commit

        document_finished.connect(make_verslagen_after_commit, dispatch_uid="stagemap.make_verslagen_after_commit")
