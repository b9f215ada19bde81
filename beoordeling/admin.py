from django.contrib import admin

from .models import Reminder


@admin.register(Reminder)
class ReminderAdmin(admin.ModelAdmin):
    """Read-only: support looks here to answer "did my reminder go out?"."""

    list_display = ["kind", "subject_type", "subject_id", "occasion", "occasion_at", "recipient", "status", "sent_at"]
    list_filter = ["status", "kind"]
    search_fields = ["recipient__email"]
    list_select_related = ["recipient"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
