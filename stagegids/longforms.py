"""What every long form shares (a beoordeling's invulling, the evaluatie): the error summary at its top, its
progress count, and the concept its page keeps by itself.

On a phone such a form is several screens long: an error far down is missed, and a form closed halfway loses what
was typed. So the page opens at a summary that links to each field with an error, says how far the user is, and
posts the form in the background while the user types (static/js/concept.js), through the same view and the same
optimistic lock as its "Opslaan" button. The background save answers in JSON, built here.
"""

from dataclasses import dataclass

from django import forms
from django.http import JsonResponse
from django.utils import timezone
from django.utils.formats import time_format
from django.utils.translation import gettext as _

# The field the page's script adds to a background save; the view answers it in JSON instead of a page.
AUTOSAVE_FIELD = "autosave"


@dataclass(frozen=True)
class ErrorLink:
    field_id: str  # the id of the element the link focuses: the field, or the first choice of a group
    label: str
    message: str
    group: str = ""  # the part of the form it is in (a werkproces), under which the summary lists it

    @property
    def text(self):
        """The line of the summary: label and message, without a colon after a question."""
        return f"{self.label} {self.message}" if self.label.endswith(("?", ".")) else f"{self.label}: {self.message}"


def error_links(form, labels=None, groups=None):
    """One link per error of `form`, in the order of its fields; the form's own errors link to the form.

    `labels` may name a field better than its label; `groups` names the part of the form a field is in, so that a
    criterium's text, which recurs in every werkproces, is listed under its werkproces."""
    links = [ErrorLink("formulier", _("Formulier"), message) for message in form.non_field_errors()]
    for name, field in form.fields.items():
        if name not in form.errors:
            continue
        bound = form[name]
        choices = isinstance(field.widget, forms.RadioSelect | forms.CheckboxSelectMultiple)
        field_id = f"{bound.auto_id}_0" if choices else bound.auto_id
        label = (labels or {}).get(name) or field.label or name
        group = str((groups or {}).get(name, ""))
        links += [ErrorLink(field_id, str(label), message, group) for message in bound.errors]
    return links


@dataclass(frozen=True)
class Progress:
    done: int
    total: int


def answered(bound_field):
    """Whether a field holds an answer: a valid choice, or text that is not only spaces; bound or not."""
    value = bound_field.value()
    choices = getattr(bound_field.field, "choices", None)
    if choices is not None:
        return value not in (None, "") and str(value) in {str(key) for key, _label in choices}
    return bool(str(value or "").strip())


def is_autosave(request):
    return request.method == "POST" and request.POST.get(AUTOSAVE_FIELD) == "1"


def saved(version):
    """The answer to a background save that was stored: the version the next one is based on."""
    when = time_format(timezone.localtime(), "H:i")
    return JsonResponse({"version": version, "message": _("Concept opgeslagen om %(time)s") % {"time": when}})


def refused(message, *, version=None):
    """The answer to a background save that was not stored and will not be tried again by itself: someone saved in
    between (then `version` is what is stored now, so that the user's next "Opslaan" is a deliberate choice), or the
    form was handed in."""
    return JsonResponse({"message": str(message), "version": version, "stop": True}, status=409)


def invalid(links):
    """The answer to a background save of a form with errors (`links`, a text too long): nothing stored; the user's
    next change tries again."""
    errors = " ".join(link.text for link in links)
    return JsonResponse({"message": _("Concept níet opgeslagen. %(errors)s") % {"errors": errors}}, status=400)
