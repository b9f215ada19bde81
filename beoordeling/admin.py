from django.contrib import admin

from .models import Reminder, StagemapExport, Verslag, VerslagComment


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Verslag)
class VerslagAdmin(ReadOnlyAdmin):
    """A verslag never changes after it was made: the admin shows it, nothing more."""

    list_display = ["title", "stage", "kind", "created_at", "created_by", "shared_at", "review", "replaced_by"]
    list_filter = ["kind", "review"]


@admin.register(Reminder)
class ReminderAdmin(ReadOnlyAdmin):
    """Read-only: support looks here to answer "did my reminder go out?"."""

    list_display = ["kind", "subject_type", "subject_id", "occasion", "occasion_at", "recipient", "status", "sent_at"]
    list_filter = ["status", "kind"]
    search_fields = ["recipient__email"]
    list_select_related = ["recipient"]


admin.site.register(VerslagComment)
admin.site.register(StagemapExport)
