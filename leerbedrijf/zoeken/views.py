"""The search page (issue 16): every kind's first results with their count, or one kind page by page.

A GET form that works without JavaScript; with htmx the header's box asks the same URL for a few suggestions as
the user types (`?suggesties=1`), which answers only the list.
"""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Window
from django.shortcuts import render

from stagegids.params import id_param
from stagegids.policy import get_visible_or_404
from stagegids.search import MAX_LENGTH, clean_query

from ..models import Onderwijsinstelling
from .search import BY_CODE, KINDS

# Results of each kind on the page of all kinds, and in the suggestions; one kind alone is paged by PAGE_SIZE.
PER_KIND = 10
SUGGESTIONS_PER_KIND = 3
PAGE_SIZE = 25


def first_rows(found):
    """The first PER_KIND rows of `found` and how many there are in all, in one query: the count is a window over
    the rows before the limit, so the policy's conditions are evaluated once, not once more for a count()."""
    rows = list(found.annotate(found_count=Window(Count("pk")))[:PER_KIND])
    return {"rows": rows, "count": rows[0].found_count if rows else 0}


@login_required
def zoeken(request):
    typed, message = clean_query(request.GET.get("q", "")[: MAX_LENGTH * 10])
    query = "" if message else typed
    kind = BY_CODE.get(request.GET.get("soort", ""))
    school_id = id_param(request.GET, "school") if kind is not None and kind.code == "stages" else None
    school = get_visible_or_404(request.user, Onderwijsinstelling.objects, pk=school_id) if school_id else None
    context = {
        "query": query,
        "typed": typed[:MAX_LENGTH],
        "message": message,
        "max_length": MAX_LENGTH,
        "kind": kind,
        "school": school,
    }

    if request.htmx and request.GET.get("suggesties"):
        groups = [] if not query else [(each, each.find(request.user, query)[:SUGGESTIONS_PER_KIND]) for each in KINDS]
        return render(request, "leerbedrijf/zoeken/_suggesties.html", {**context, "groups": groups})

    if kind is not None and (query or school):
        found = kind.find(request.user, query, school=school) if school else kind.find(request.user, query)
        context["page"] = Paginator(found, PAGE_SIZE).get_page(request.GET.get("pagina"))
    elif query:
        context["groups"] = [{"kind": each, **first_rows(each.find(request.user, query))} for each in KINDS]
    return render(request, "leerbedrijf/zoeken/resultaten.html", context)
