from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from stagegids.admin import ReadOnlyAdmin

from .intake.forms import BrinField
from .kwalificaties.forms import KwalificatieImportForm
from .kwalificaties.sbb_import import ImportFileError, import_files
from .models import (
    Aanmelding,
    Erkenning,
    ErkenningCheck,
    ErkenningStatusPeriode,
    Invitation,
    Kerntaak,
    Kwalificatie,
    Kwalificatiedossier,
    Leerbedrijf,
    MeewerkendeCollega,
    Membership,
    Onderwijsinstelling,
    Stage,
    Stagiair,
    Werkproces,
)


class MembershipInline(admin.TabularInline):
    model = Membership
    fk_name = "leerbedrijf"
    extra = 0
    autocomplete_fields = ["user"]
    exclude = ["onderwijsinstelling", "ended_by"]


class BlockedFilter(admin.SimpleListFilter):
    title = gettext_lazy("geblokkeerd")
    parameter_name = "geblokkeerd"

    def lookups(self, request, model_admin):
        return [("ja", gettext_lazy("ja")), ("nee", gettext_lazy("nee"))]

    def queryset(self, request, queryset):
        if self.value() in ("ja", "nee"):
            return queryset.filter(blocked_at__isnull=self.value() == "nee")
        return queryset


# The portal's own page of a leerbedrijf, stage or erkenning is for its people; the beheerder is none of them, so
# "Weergeven op website" would lead him to a 404.
@admin.register(Leerbedrijf)
class LeerbedrijfAdmin(admin.ModelAdmin):
    view_on_site = False
    list_display = ["name", "kvk_nummer", "plaats", "sbb_leerbedrijf_id", "blocked_at"]
    list_filter = [BlockedFilter]
    search_fields = ["name", "kvk_nummer", "sbb_leerbedrijf_id"]
    # Blocking goes through the actions, which log it (Wijziging); the field itself is not edited here.
    readonly_fields = ["blocked_at"]
    inlines = [MembershipInline]
    actions = ["block", "unblock"]

    @admin.action(description=gettext_lazy("Blokkeren: de mensen van het leerbedrijf kunnen het niet meer gebruiken"))
    def block(self, request, queryset):
        done = sum(leerbedrijf.block(by=request.user) for leerbedrijf in queryset)
        self.message_user(
            request,
            ngettext("%(n)d leerbedrijf geblokkeerd.", "%(n)d leerbedrijven geblokkeerd.", done) % {"n": done},
            messages.SUCCESS,
        )

    @admin.action(description=gettext_lazy("Blokkade opheffen"))
    def unblock(self, request, queryset):
        done = sum(leerbedrijf.unblock(by=request.user) for leerbedrijf in queryset)
        self.message_user(
            request,
            ngettext("Blokkade van %(n)d leerbedrijf opgeheven.", "Blokkade van %(n)d leerbedrijven opgeheven.", done)
            % {"n": done},
            messages.SUCCESS,
        )


@admin.register(Aanmelding)
class AanmeldingAdmin(ReadOnlyAdmin):
    """Who registered which leerbedrijf; the leerbedrijf itself is blocked from its own page."""

    list_display = ["created_at", "name", "kvk_nummer", "plaats", "contact_name", "email", "status", "leerbedrijf"]
    list_select_related = ["leerbedrijf"]
    search_fields = ["name", "kvk_nummer", "email", "contact_name"]
    date_hierarchy = "created_at"
    fields = [
        "name",
        "kvk_nummer",
        "sbb_leerbedrijf_id",
        "straat",
        "postcode",
        "plaats",
        "contact_name",
        "email",
        "created_at",
        "expires_at",
        "confirmed_at",
        "leerbedrijf",
    ]
    readonly_fields = fields

    @admin.display(description=gettext_lazy("status"))
    def status(self, obj):
        return obj.status


class OnderwijsinstellingForm(forms.ModelForm):
    class Meta:
        model = Onderwijsinstelling
        fields = ["name", "brin", "plaats"]
        field_classes = {"brin": BrinField}


@admin.register(Onderwijsinstelling)
class OnderwijsinstellingAdmin(admin.ModelAdmin):
    form = OnderwijsinstellingForm
    list_display = ["name", "brin", "plaats"]
    search_fields = ["name", "brin"]

    def save_model(self, request, obj, form, change):
        # The trail says who added a school, in the admin as from the intake (Onderwijsinstelling.objects.add).
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            if not change:
                obj.log_added(by=request.user)


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "role", "leerbedrijf", "onderwijsinstelling", "created_at", "ended_at"]
    list_filter = ["role", "ended_at"]
    search_fields = ["user__email", "user__name", "leerbedrijf__name", "onderwijsinstelling__name"]
    autocomplete_fields = ["user", "leerbedrijf", "onderwijsinstelling"]


@admin.register(Stagiair)
class StagiairAdmin(admin.ModelAdmin):
    list_display = ["name", "email", "leerbedrijf"]
    search_fields = ["name", "email"]


class MeewerkendeCollegaInline(admin.TabularInline):
    """Read only: the praktijkopleider adds and ends them on the stage's page, which logs it (Wijziging)."""

    model = MeewerkendeCollega
    extra = 0
    fields = ["user", "kind", "start_date", "end_date", "added_by", "ended_at", "ended_by"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Stage)
class StageAdmin(admin.ModelAdmin):
    view_on_site = False
    inlines = [MeewerkendeCollegaInline]
    list_display = ["stagiair", "leerbedrijf", "kwalificatie", "leerweg", "start_date", "end_date"]
    list_filter = ["leerweg"]
    search_fields = ["stagiair__name", "leerbedrijf__name"]
    raw_id_fields = ["stagiair", "leerbedrijf", "mbo_begeleider", "werkplekbegeleider", "praktijkbeoordelaar"]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "role", "leerbedrijf", "created_at", "expires_at", "accepted_at", "revoked_at"]
    exclude = ["token_hash"]


class KwalificatieInline(admin.TabularInline):
    model = Kwalificatie
    extra = 0
    fields = ["crebo", "name", "niveau", "soort", "source"]
    show_change_link = True


@admin.register(Kwalificatiedossier)
class KwalificatiedossierAdmin(admin.ModelAdmin):
    list_display = ["crebo", "name", "source"]
    list_filter = ["source"]
    search_fields = ["crebo", "name"]
    inlines = [KwalificatieInline]


@admin.register(Kwalificatie)
class KwalificatieAdmin(admin.ModelAdmin):
    list_display = ["crebo", "name", "niveau", "soort", "dossier", "source"]
    list_filter = ["niveau", "soort", "source"]
    list_select_related = ["dossier"]
    search_fields = ["crebo", "name", "dossier__crebo", "dossier__name"]
    change_list_template = "admin/leerbedrijf/kwalificatie/change_list.html"

    def get_urls(self):
        importing = self.admin_site.admin_view(self.import_view)
        return [path("importeren/", importing, name="leerbedrijf_kwalificatie_import"), *super().get_urls()]

    def import_view(self, request):
        """What `manage.py import_kwalificaties` does, from the files a beheerder uploads."""
        if not (self.has_add_permission(request) and self.has_change_permission(request)):
            raise PermissionDenied
        posted = request.method == "POST"
        form = KwalificatieImportForm(request.POST, request.FILES) if posted else KwalificatieImportForm()
        report = None
        if posted and form.is_valid():
            try:
                report = import_files(
                    xml=form.cleaned_data["xml"],
                    crebolijst=form.cleaned_data["crebolijst"],
                    edition=form.cleaned_data["editie"],
                )
            except ImportFileError as error:
                form.add_error(None, _("Niets geïmporteerd. %(error)s") % {"error": error})
        return TemplateResponse(
            request,
            "admin/leerbedrijf/kwalificatie/import.html",
            {
                **self.admin_site.each_context(request),
                "title": _("Kwalificaties importeren"),
                "opts": self.model._meta,
                "form": form,
                "report": report,
            },
        )


class WerkprocesInline(admin.TabularInline):
    model = Werkproces
    extra = 0
    fields = ["code", "title", "is_example", "source"]
    show_change_link = True


@admin.register(Kerntaak)
class KerntaakAdmin(admin.ModelAdmin):
    list_display = ["code", "title", "dossier", "kwalificatie", "is_example", "source"]
    list_filter = ["is_example", "source", "dossier"]
    list_select_related = ["dossier", "kwalificatie"]
    search_fields = ["code", "title", "dossier__crebo", "kwalificatie__crebo"]
    autocomplete_fields = ["dossier", "kwalificatie"]
    inlines = [WerkprocesInline]


@admin.register(Werkproces)
class WerkprocesAdmin(admin.ModelAdmin):
    list_display = ["code", "title", "kerntaak", "is_example", "source"]
    list_filter = ["is_example", "source", "kerntaak__dossier"]
    list_select_related = ["kerntaak"]
    search_fields = ["code", "title", "kerntaak__code", "kerntaak__dossier__crebo"]
    autocomplete_fields = ["kerntaak"]


class ErkenningCheckInline(admin.TabularInline):
    model = ErkenningCheck
    extra = 0
    fields = ["item", "done", "note", "ticked_by", "ticked_at", "evidence_name"]
    readonly_fields = ["item", "ticked_by", "ticked_at", "evidence_name"]
    can_delete = False


class ErkenningStatusPeriodeInline(admin.TabularInline):
    """The history follows the status field (Erkenning.save), so it is read here, never typed."""

    model = ErkenningStatusPeriode
    extra = 0
    fields = ["status", "since", "until", "recorded_at"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Erkenning)
class ErkenningAdmin(admin.ModelAdmin):
    view_on_site = False
    list_display = ["leerbedrijf", "kwalificatie", "status", "sbb_reference", "granted_on", "last_herbeoordeling"]
    list_filter = ["status"]
    list_select_related = ["leerbedrijf", "kwalificatie"]
    search_fields = ["leerbedrijf__name", "kwalificatie__crebo", "kwalificatie__name", "sbb_reference"]
    autocomplete_fields = ["leerbedrijf", "kwalificatie"]
    filter_horizontal = ["unavailable_werkprocessen"]
    inlines = [ErkenningCheckInline, ErkenningStatusPeriodeInline]
