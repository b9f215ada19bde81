from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StagemapConfig(AppConfig):
    name = "stagemap"
    verbose_name = _("Stagemap")

    def ready(self):
        # The start-page panels, the stage's section and the reminder kinds register themselves on import, and so
        # does what the stagemap does for an anonymised account.
        from . import dashboard, herinneringen, holdings, retention, sections  # noqa: F401
        from .signals import document_finished
        from .tasks import ask_verslagen_of_finished_document

        document_finished.connect(ask_verslagen_of_finished_document, dispatch_uid="stagemap.ask_verslagen")

        from leerbedrijf.signals import stage_resumed, stage_stop_undone, stage_stopped

        from .stage_stop import ask_closing_verslag, remove_verslag_of_undone_stop

        stage_stopped.connect(ask_closing_verslag, dispatch_uid="stagemap.stage_stopped")
        stage_resumed.connect(ask_closing_verslag, dispatch_uid="stagemap.stage_resumed")
        stage_stop_undone.connect(remove_verslag_of_undone_stop, dispatch_uid="stagemap.stage_stop_undone")
