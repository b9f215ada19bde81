from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from stagegids.admin import ReadOnlyAdmin

from .models import Dossier, Regelingsjaar, StageDocument


@admin.register(Regelingsjaar)
class RegelingsjaarAdmin(admin.ModelAdmin):
    """The beheerder keeps the figures of the schemes here; the portal reads them nowhere else."""

    list_display = ["regeling", "valid_from", "valid_until", "amount", "window_opens", "window_closes", "checked"]
    list_filter = ["regeling"]
    fieldsets = [
        (None, {"fields": ["regeling", "valid_from", "valid_until", "amount", "amount_per"]}),
        (
            _("Voorwaarden"),
            {"fields": ["min_hours", "min_practice_share", "min_hours_per_week", "max_weeks"]},
        ),
        (_("Termijnen"), {"fields": ["deadline_months", "window_opens", "window_closes", "retention_years"]}),
        (_("Bron"), {"fields": ["source_title", "source_url", "source_note"]}),
    ]

    @admin.display(boolean=True, description=_("gecontroleerd"))
    def checked(self, row):
        return not row.to_check


@admin.register(StageDocument)
class StageDocumentAdmin(ReadOnlyAdmin):
    """Signed agreements are the company's: the beheerder sees that they exist, the file is served only through
    the stage's page."""

    view_on_site = False
    list_display = ["stage", "kind", "uploaded_at", "size"]
    exclude = ["file"]


admin.site.register(Dossier)
