"""The voortgang overview (issue 16): per stage one row with what each app registered (columns.py), filtered,
sorted, searched and paged with bounded GET parameters; a bad value is left out with a Dutch message."""

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import F
from django.shortcuts import render
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from stagegids import sections
from stagegids.policy import require
from stagegids.roles import Role

from ..models import Kwalificatie, Leerweg, Stage, StageStatus
from ..models.status import status_condition
from . import columns

PAGE_SIZE = 25
SEARCH_MAX = 100
# The roles whose stages the overview lists; a stagiair has his own start page, a collega helps on one stage.
ROLES = (Role.PRAKTIJKOPLEIDER, Role.WERKPLEKBEGELEIDER, Role.PRAKTIJKBEOORDELAAR, Role.MBO_BEGELEIDER)
NAME = "naam"
# The section with the progress picture of a stage (whichever app registers it), linked from its row.
PICTURE = "voortgangsbeeld"


def overview_stages(user):
    return Stage.objects.for_roles(user, *ROLES)


def sort_choices():
    names = [(NAME, _("naam"))] + [(name, column.label) for name, column in columns.sortable().items()]
    return [
        choice
        for name, label in names
        for choice in (
            (name, format_lazy("{} ({})", label, _("oplopend"))),
            (f"-{name}", format_lazy("{} ({})", label, _("aflopend"))),
        )
    ]


class OverviewForm(forms.Form):
    q = forms.CharField(label=_("Zoek op naam"), max_length=SEARCH_MAX, required=False)
    status = forms.ChoiceField(label=_("Fase"), required=False)
    leerweg = forms.ChoiceField(label=_("Leerweg"), required=False)
    kwalificatie = forms.ModelChoiceField(label=_("Kwalificatie"), queryset=None, required=False)
    begeleider = forms.ModelChoiceField(label=_("Werkplekbegeleider"), queryset=None, required=False)
    sorteer = forms.ChoiceField(label=_("Sorteren op"), required=False)

    def __init__(self, *args, stages, **kwargs):
        super().__init__(*args, **kwargs)
        everyone = [("", _("alle"))]
        self.fields["status"].choices = everyone + list(StageStatus.choices)
        self.fields["leerweg"].choices = everyone + [(value, value) for value in Leerweg.values]
        self.fields["kwalificatie"].queryset = Kwalificatie.objects.filter(pk__in=stages.values("kwalificatie"))
        self.fields["begeleider"].queryset = (
            get_user_model().objects.filter(pk__in=stages.values("werkplekbegeleider")).order_by("name")
        )
        self.fields["sorteer"].choices = sort_choices()
        for name in ("kwalificatie", "begeleider"):
            self.fields[name].empty_label = _("alle")
            self.fields[name].error_messages["invalid_choice"] = _("Deze keuze bestaat niet; het filter is weggelaten.")
        for name in ("status", "leerweg", "sorteer"):
            self.fields[name].error_messages["invalid_choice"] = _("Deze keuze bestaat niet; het filter is weggelaten.")
        self.fields["q"].error_messages["max_length"] = _("Zoek met hoogstens %(limit_value)d tekens.")
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-select form-select-sm"
        self.fields["q"].widget.attrs["class"] = "form-control form-control-sm"

    def apply(self, stages):
        """Filter and order `stages` by the fields that are valid; an invalid one is left out (its error says so)."""
        self.is_valid()
        data = {name: value for name, value in self.cleaned_data.items() if value}
        if "q" in data:
            stages = stages.filter(stagiair__name__icontains=data["q"].strip())
        if "status" in data:
            stages = stages.filter(status_condition(data["status"]))
        if "leerweg" in data:
            stages = stages.filter(leerweg=data["leerweg"])
        if "kwalificatie" in data:
            stages = stages.filter(kwalificatie=data["kwalificatie"])
        if "begeleider" in data:
            stages = stages.filter(werkplekbegeleider=data["begeleider"])
        return stages.order_by(*self.ordering(data.get("sorteer") or NAME))

    @staticmethod
    def ordering(sort):
        descending, name = sort.startswith("-"), sort.lstrip("-")
        expression = F("stagiair__name") if name == NAME else F(columns.sortable()[name].sort)
        expression = expression.desc(nulls_last=True) if descending else expression.asc(nulls_last=True)
        return [expression, "stagiair__name", "pk"]


@login_required
def overview(request):
    require(request.user, "leerbedrijf.view_voortgang")
    stages = overview_stages(request.user)
    form = OverviewForm(request.GET, stages=stages)
    listed = form.apply(
        columns.annotate(stages, request.user).select_related(
            "stagiair__user", "leerbedrijf", "kwalificatie", "werkplekbegeleider"
        )
    )
    page = Paginator(listed, PAGE_SIZE).get_page(request.GET.get("pagina"))
    query = request.GET.copy()
    query.pop("pagina", None)
    sort_query = query.copy()
    sort_query.pop("sorteer", None)
    current = form.cleaned_data.get("sorteer") or NAME
    rows = columns.rows(list(page.object_list), request.user)
    for row in rows:
        row.links = [link for link in [sections.link_for(request.user, row.stage, PICTURE)] if link]
    return render(
        request,
        "leerbedrijf/voortgang/overview.html",
        {
            "form": form,
            "page": page,
            "rows": rows,
            "headers": headers(current, sort_query.urlencode()),
            "query": query.urlencode(),
        },
    )


def headers(current, query):
    """The table's column headers: (label, sort link or None, "ascending"/"descending"/None)."""
    shown = [(NAME, _("Stagiair"), True)] + [
        (column.name, column.label, bool(column.sort)) for column in columns.columns() if column.template
    ]
    result = []
    for name, label, sortable in shown:
        state = "ascending" if current == name else "descending" if current == f"-{name}" else None
        link = None
        if sortable:
            value = f"-{name}" if state == "ascending" else name
            link = f"?{query + '&' if query else ''}sorteer={value}"
        result.append({"label": label, "link": link, "sort": state})
    return result
