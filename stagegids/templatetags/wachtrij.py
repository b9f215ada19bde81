"""The words of the queue of observaties on the device (static/js/offline.js), translated here, as the rest."""

from django import template
from django.utils.translation import gettext as _

register = template.Library()


@register.simple_tag
def wachtrij_texts():
    return {
        "waitingOne": _("1 observatie wacht op verbinding."),
        # {n} is filled in by the page: the count is known on the device only.
        "waitingMany": _("{n} observaties wachten op verbinding."),
        "loginWaitingOne": _("1 observatie wacht tot u weer inlogt."),
        "loginWaitingMany": _("{n} observaties wachten tot u weer inlogt."),
        "logIn": _("Inloggen"),
        "sentOne": _("1 observatie is verstuurd."),
        "sentMany": _("{n} observaties zijn verstuurd."),
        "problemOne": _("1 observatie kon niet worden verstuurd."),
        "problemMany": _("{n} observaties konden niet worden verstuurd."),
        "savedOffline": _("Bewaard op dit apparaat: de observatie wordt verstuurd zodra er verbinding is."),
        "login": _("Log in om te versturen."),
        "gone": _("Deze stage is voor u niet meer te vinden: de observatie kan niet worden verstuurd."),
        "server": _("De server kon de observatie nu niet opslaan: ze wordt later opnieuw verstuurd."),
        "fix": _("Aanpassen"),
        "fixHint": _("De observatie staat weer in het formulier: pas haar aan en sla haar opnieuw op."),
        "remove": _("Verwijderen"),
        "confirmRemove": _("Deze observatie van dit apparaat verwijderen? Ze is nog niet verstuurd."),
        "sendNow": _("Nu versturen"),
        "errorsTitle": _("De observatie kon niet worden opgeslagen:"),
        "photo": _("met foto"),
    }
