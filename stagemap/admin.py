from django.contrib import admin

from .models import StagemapExport, Verslag, VerslagComment


@admin.register(Verslag)
class VerslagAdmin(admin.ModelAdmin):
    """A verslag never changes after it was made: the admin shows it, nothing more."""

    list_display = ["title", "stage", "kind", "created_at", "created_by", "shared_at", "review", "replaced_by"]
    list_filter = ["kind", "review"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


admin.site.register(VerslagComment)
admin.site.register(StagemapExport)
