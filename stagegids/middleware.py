"""An error answer to an htmx request shows its Dutch message.

htmx swaps nothing of a 4xx or 5xx answer by default, so a click whose answer was "geen toegang" or "niet gevonden"
seemed to do nothing. The page's htmx config (base.html) lets such answers swap, and this middleware sends them to
the page's message area (#htmx-fout), with only the message of the error page (#foutmelding): never into the
element that asked, which would hold a whole page then.
"""

ERROR_TARGET = "#htmx-fout"
ERROR_MESSAGE = "#foutmelding"


class HtmxErrorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        # The header itself, as django-htmx reads it: this middleware runs before django-htmx's sets request.htmx.
        if response.status_code >= 400 and request.headers.get("HX-Request") == "true":
            response["HX-Retarget"] = ERROR_TARGET
            response["HX-Reswap"] = "innerHTML show:top"
            response["HX-Reselect"] = ERROR_MESSAGE
        return response
