from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import OutgoingMail, Reminder, User, Wijziging


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "name", "is_active", "is_staff", "last_login"]
    search_fields = ["email", "name"]
    fieldsets = [
        (None, {"fields": ["email", "name", "password"]}),
        (_("Rechten"), {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]}),
        (_("Data"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["email", "name", "password1", "password2"]})]


class ReadOnlyAdmin(admin.ModelAdmin):
    """For records that are evidence of what happened: the admin shows them, nobody edits them."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Wijziging)
class WijzigingAdmin(ReadOnlyAdmin):
    """Read-only: the trail is evidence of who changed what; nobody edits it, not even a beheerder."""

    list_display = ["at", "user", "role", "action_label", "content_type", "object_id", "stage_id"]
    list_filter = ["role", "content_type"]
    search_fields = ["user__email", "action"]
    list_select_related = ["user", "content_type"]

    @admin.display(description=_("actie"))
    def action_label(self, obj):
        return obj.label

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(OutgoingMail)
class OutgoingMailAdmin(ReadOnlyAdmin):
    """What the outbox did: the beheerder finds the mails that failed (filter on status) and why."""

    list_display = ["created_at", "template", "recipient", "status", "attempts", "sent_at", "last_error"]
    list_filter = ["status", "template"]
    search_fields = ["recipient"]
    date_hierarchy = "created_at"
    # The context is left out: while a mail waits it may hold a link with a one-time token.
    fields = ["template", "recipient", "status", "attempts", "created_at", "sent_at", "last_error"]
    readonly_fields = fields


@admin.register(Reminder)
class ReminderAdmin(ReadOnlyAdmin):
    """Read-only: support looks here to answer "did my reminder go out?"."""

    list_display = ["kind", "subject_type", "subject_id", "occasion", "occasion_at", "recipient", "status", "sent_at"]
    list_filter = ["status", "kind"]
    search_fields = ["recipient__email"]
    list_select_related = ["recipient"]
