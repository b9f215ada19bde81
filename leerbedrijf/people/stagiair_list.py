"""The stagiair list of a leerbedrijf, with filters; a plain GET form is all it needs."""

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from stagegids.policy import get_visible_or_404, require
from stagegids.roles import BEGELEIDER_ROLES

from ..models import Kwalificatie, Leerbedrijf, Leerweg, StageStatus, with_onboarding_progress, with_status
from ..models.status import status_condition

PAGE_SIZE = 25


class StagiairFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), required=False)
    leerweg = forms.ChoiceField(label=_("Leerweg"), required=False)
    kwalificatie = forms.ModelChoiceField(label=_("Kwalificatie"), queryset=None, required=False)
    werkplekbegeleider = forms.ModelChoiceField(label=_("Werkplekbegeleider"), queryset=None, required=False)

    def __init__(self, *args, leerbedrijf, **kwargs):
        super().__init__(*args, **kwargs)
        everyone = [("", _("alle"))]
        self.fields["status"].choices = everyone + list(StageStatus.choices)
        self.fields["leerweg"].choices = everyone + [(value, value) for value in Leerweg.values]
        self.fields["kwalificatie"].queryset = Kwalificatie.objects.filter(
            pk__in=leerbedrijf.stages.values("kwalificatie")
        )
        self.fields["kwalificatie"].empty_label = _("alle")
        self.fields["werkplekbegeleider"].queryset = (
            get_user_model()
            .objects.filter(
                memberships__leerbedrijf=leerbedrijf,
                memberships__ended_at__isnull=True,
                memberships__role__in=BEGELEIDER_ROLES,
            )
            .distinct()
            .order_by("name")
        )
        self.fields["werkplekbegeleider"].empty_label = _("alle")
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-select form-select-sm"

    def apply(self, stages):
        if not self.is_valid():
            return stages.none()
        data = self.cleaned_data
        if data["status"]:
            stages = stages.filter(status_condition(data["status"]))
        if data["leerweg"]:
            stages = stages.filter(leerweg=data["leerweg"])
        if data["kwalificatie"]:
            stages = stages.filter(kwalificatie=data["kwalificatie"])
        if data["werkplekbegeleider"]:
            stages = stages.filter(werkplekbegeleider=data["werkplekbegeleider"])
        return stages


@login_required
def stagiairs(request, pk):
    leerbedrijf = get_visible_or_404(request.user, Leerbedrijf.objects, pk=pk)
    require(request.user, "leerbedrijf.view_stagiairs", leerbedrijf)
    form = StagiairFilterForm(request.GET, leerbedrijf=leerbedrijf)
    stages = form.apply(
        with_onboarding_progress(with_status(leerbedrijf.stages.all()))
        .select_related("stagiair", "kwalificatie", "werkplekbegeleider")
        .order_by("-start_date", "stagiair__name", "pk")
    )
    page = Paginator(stages, PAGE_SIZE).get_page(request.GET.get("pagina"))
    query = request.GET.copy()
    query.pop("pagina", None)
    return render(
        request,
        "leerbedrijf/stagiairs.html",
        {"leerbedrijf": leerbedrijf, "form": form, "page": page, "query": query.urlencode()},
    )
