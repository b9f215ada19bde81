from django.contrib import admin

from stagegids.admin import ReadOnlyAdmin

from .models import StagemapExport, Verslag, VerslagComment


@admin.register(Verslag)
class VerslagAdmin(ReadOnlyAdmin):
    """A verslag never changes after it was made: the admin shows it, nothing more (and no link to the stagemap,
    which is for the people of the stage, not for the beheerder)."""

    view_on_site = False

    list_display = ["title", "stage", "kind", "created_at", "created_by", "shared_at", "review", "replaced_by"]
    list_filter = ["kind", "review"]


admin.site.register(VerslagComment)
admin.site.register(StagemapExport)
