from django.contrib import admin

from .models import (
    Invitation,
    Kerntaak,
    Kwalificatie,
    Kwalificatiedossier,
    Leerbedrijf,
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


@admin.register(Leerbedrijf)
class LeerbedrijfAdmin(admin.ModelAdmin):
    list_display = ["name", "kvk_nummer", "plaats", "sbb_leerbedrijf_id"]
    search_fields = ["name", "kvk_nummer", "sbb_leerbedrijf_id"]
    inlines = [MembershipInline]


@admin.register(Onderwijsinstelling)
class OnderwijsinstellingAdmin(admin.ModelAdmin):
    list_display = ["name", "brin", "plaats"]
    search_fields = ["name", "brin"]


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


@admin.register(Stage)
class StageAdmin(admin.ModelAdmin):
    list_display = ["stagiair", "leerbedrijf", "kwalificatie", "leerweg", "start_date", "end_date"]
    list_filter = ["leerweg"]
    search_fields = ["stagiair__name", "leerbedrijf__name"]
    raw_id_fields = ["stagiair", "leerbedrijf", "mbo_begeleider", "werkplekbegeleider", "praktijkbeoordelaar"]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "role", "leerbedrijf", "created_at", "expires_at", "accepted_at", "revoked_at"]
    exclude = ["token_hash"]


@admin.register(Kwalificatiedossier)
class KwalificatiedossierAdmin(admin.ModelAdmin):
    list_display = ["crebo", "name", "source"]
    search_fields = ["crebo", "name"]


@admin.register(Kwalificatie)
class KwalificatieAdmin(admin.ModelAdmin):
    list_display = ["crebo", "name", "niveau", "soort", "dossier", "source"]
    list_filter = ["niveau", "soort"]
    search_fields = ["crebo", "name"]


@admin.register(Kerntaak)
class KerntaakAdmin(admin.ModelAdmin):
    list_display = ["code", "title", "dossier", "kwalificatie", "is_example", "source"]
    list_filter = ["is_example"]
    search_fields = ["code", "title"]


@admin.register(Werkproces)
class WerkprocesAdmin(admin.ModelAdmin):
    list_display = ["code", "title", "kerntaak", "is_example", "source"]
    list_filter = ["is_example"]
    search_fields = ["code", "title"]
