from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StagemapConfig(AppConfig):
    name = "stagemap"
    verbose_name = _("Stagemap")

    def ready(self):
        # The start-page panels, the stage's section and the reminder kinds register themselves on import.
        from . import dashboard, herinneringen, sections  # noqa: F401
        from .signals import document_finished
        from .tasks import ask_verslagen_of_finished_document

        document_finished.connect(ask_verslagen_of_finished_document, dispatch_uid="stagemap.ask_verslagen")
