from django.contrib import admin

from stagegids.admin import ReadOnlyAdmin

from .models import StagemapExport, Verslag, VerslagComment


@admin.register(Verslag)
class VerslagAdmin(ReadOnlyAdmin):
    """A verslag never changes after it was made: the admin shows it, nothing more."""

    list_display = ["title", "stage", "kind", "created_at", "created_by", "shared_at", "review", "replaced_by"]
    list_filter = ["kind", "review"]


admin.site.register(VerslagComment)
admin.site.register(StagemapExport)
