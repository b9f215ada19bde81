from django.contrib import admin
from django.utils import timezone

from .beoordelingen.models import Formuliersjabloon, Sjablooncriterium


class SjablooncriteriumInline(admin.TabularInline):
    model = Sjablooncriterium
    extra = 1
    autocomplete_fields = ["werkproces"]


@admin.register(Formuliersjabloon)
class FormuliersjabloonAdmin(admin.ModelAdmin):
    """The beheerder keeps the portal's default forms; filled-in beoordelingen keep their own copy of the criteria."""

    list_display = ["kind", "kwalificatie", "leerbedrijf", "scale", "updated_at"]
    list_filter = ["kind", "scale"]
    search_fields = ["kwalificatie__name", "kwalificatie__crebo", "leerbedrijf__name"]
    autocomplete_fields = ["kwalificatie", "leerbedrijf"]
    readonly_fields = ["updated_at", "updated_by"]
    inlines = [SjablooncriteriumInline]

    def save_model(self, request, obj, form, change):
        obj.updated_by, obj.updated_at = request.user, timezone.now()
        super().save_model(request, obj, form, change)
