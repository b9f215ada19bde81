from axes.models import AccessAttempt
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.models import Group
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_otp.plugins.otp_totp.models import TOTPDevice

from . import retention, twofactor
from .accounts import deactivate, reactivate
from .erasure import request_erasure
from .models import OutgoingMail, Reminder, RetentionRun, User, Wijziging

NEVER_DELETED = _(
    "Een account wordt niet verwijderd: wat iemand schreef (verslagen, opmerkingen, afspraken, observaties) hoort "
    "bij de stages en blijft bewaard. Deactiveer het account (de actie „Deactiveren” in de lijst, of „actief” "
    "uitzetten): de persoon kan dan niet meer inloggen, al zijn of haar rollen worden beëindigd en collega's zien "
    "de naam met „(gedeactiveerd)”. Vraagt iemand om verwijdering, gebruik dan „Verwijdering aanvragen”: het account "
    "wordt gedeactiveerd en na de bewaartermijn geanonimiseerd (naam en e-mailadres verdwijnen; een handtekening "
    "toont dan „voormalig” met de rol)."
)


# What someone may do comes from their roles in the portal (stagegids/roles.py, the rules of each app), never from
# Django's groups and permissions: those stay out of the beheer.
admin.site.unregister(Group)
# A person's app and recovery codes are secrets, not records to edit: the beheerder resets them with the action on
# the user list (twofactor.reset), and django-otp's English device pages stay out of the beheer.
admin.site.unregister(TOTPDevice)


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "name", "is_active", "is_staff", "last_login", "erasure_requested_at", "anonymised_at"]
    list_filter = ["is_active", "is_staff"]
    search_fields = ["email", "name"]
    actions = ["deactivate", "request_erasure", "reset_twofactor"]
    readonly_fields = ["erasure_requested_at", "anonymised_at"]
    fieldsets = [
        (None, {"fields": ["email", "name", "password"]}),
        (
            _("Rechten"),
            {
                "fields": ["is_active", "is_staff", "is_superuser"],
                "description": NEVER_DELETED,
            },
        ),
        (_("Data"), {"fields": ["last_login", "date_joined", "erasure_requested_at", "anonymised_at"]}),
    ]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["email", "name", "password1", "password2"]})]

    def has_delete_permission(self, request, obj=None):
        return False  # NEVER_DELETED: deactivate instead

    def changelist_view(self, request, extra_context=None):
        return super().changelist_view(request, {**(extra_context or {}), "never_deleted": NEVER_DELETED})

    @admin.action(description=_("Deactiveren"))
    def deactivate(self, request, queryset):
        if queryset.filter(pk=request.user.pk).exists():
            self.message_user(request, _("U kunt uw eigen account niet deactiveren."), messages.ERROR)
            queryset = queryset.exclude(pk=request.user.pk)
        done = sum(deactivate(user, by=request.user) for user in queryset)
        already = queryset.count() - done
        if done:
            message = ngettext(
                "%(count)d account is gedeactiveerd; de rollen zijn beëindigd.",
                "%(count)d accounts zijn gedeactiveerd; de rollen zijn beëindigd.",
                done,
            )
            self.message_user(request, message % {"count": done}, messages.SUCCESS)
        if already:
            message = ngettext(
                "%(count)d account was al gedeactiveerd.", "%(count)d accounts waren al gedeactiveerd.", already
            )
            self.message_user(request, message % {"count": already}, messages.INFO)

    @admin.action(description=_("Verwijdering aanvragen (deactiveren, later anonimiseren)"))
    def request_erasure(self, request, queryset):
        if queryset.filter(pk=request.user.pk).exists():
            self.message_user(request, _("U kunt de verwijdering van uw eigen account niet aanvragen."), messages.ERROR)
            queryset = queryset.exclude(pk=request.user.pk)
        done = sum(request_erasure(user, by=request.user) for user in queryset)
        message = ngettext(
            "Voor %(count)d account is de verwijdering aangevraagd.",
            "Voor %(count)d accounts is de verwijdering aangevraagd.",
            done,
        )
        self.message_user(request, message % {"count": done}, messages.SUCCESS if done else messages.INFO)

    @admin.action(description=_("Tweestapsverificatie herstellen (telefoon kwijt)"))
    def reset_twofactor(self, request, queryset):
        done = sum(twofactor.reset(user, by=request.user) for user in queryset)
        message = ngettext(
            "Van %(count)d account is de tweestapsverificatie hersteld; de persoon krijgt een e-mail en stelt hem "
            "opnieuw in.",
            "Van %(count)d accounts is de tweestapsverificatie hersteld; ze krijgen een e-mail en stellen hem "
            "opnieuw in.",
            done,
        )
        self.message_user(request, message % {"count": done}, messages.SUCCESS if done else messages.INFO)

    def save_model(self, request, obj, form, change):
        """Unticking "actief" deactivates through the one function, so the roles end and the trail says so."""
        turned = change and "is_active" in form.changed_data
        if not turned:
            return super().save_model(request, obj, form, change)
        if not obj.is_active and obj.pk == request.user.pk:
            obj.is_active = True
            self.message_user(request, _("U kunt uw eigen account niet deactiveren."), messages.ERROR)
            return super().save_model(request, obj, form, change)
        wanted, obj.is_active = obj.is_active, not obj.is_active
        super().save_model(request, obj, form, change)
        if wanted:
            reactivate(obj, by=request.user)
        else:
            deactivate(obj, by=request.user)


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


@admin.register(AccessAttempt)
class AccessAttemptAdmin(admin.ModelAdmin):
    """The accounts that the login's lock holds (django-axes, settings.AXES_*), for the beheerder who is asked "why
    can't I log in?". Axes' own admin is switched off (AXES_ENABLE_ADMIN): it names everything in English. No page
    of its own per row, and lifting a lock is one action, so the English name of a row is never shown."""

    list_display = ["username", "ip_address", "attempt_time", "failures_since_start", "locked"]
    list_display_links = None
    search_fields = ["username", "ip_address"]
    date_hierarchy = "attempt_time"
    actions = ["unlock"]

    @admin.display(description=_("geblokkeerd"), boolean=True)
    def locked(self, obj):
        return obj.failures_since_start >= settings.AXES_FAILURE_LIMIT

    @admin.action(description=_("Blokkade opheffen"))
    def unlock(self, request, queryset):
        count, _deleted = queryset.delete()
        message = ngettext("%(count)d blokkade is opgeheven.", "%(count)d blokkades zijn opgeheven.", count)
        self.message_user(request, message % {"count": count}, messages.SUCCESS)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(RetentionRun)
class RetentionRunAdmin(ReadOnlyAdmin):
    """What each daily retention run removed or anonymised, per category (stagegids/retention.py)."""

    list_display = ["started_at", "finished_at", "total", "files"]
    fields = ["started_at", "finished_at", "files", "per_category"]
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).filter(running=False)

    @admin.display(description=_("totaal"))
    def total(self, obj):
        return obj.total

    @admin.display(description=_("per categorie"))
    def per_category(self, obj):
        return format_html_join(
            "",
            "<div>{}: {}</div>",
            # In the registry's order (a jsonb column does not keep the order it was written in).
            ((retention.label_of(code), obj.counts[code]) for code in retention.ordered(obj.counts)),
        )

    def has_delete_permission(self, request, obj=None):
        return False
