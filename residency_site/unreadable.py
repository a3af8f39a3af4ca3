"""Requests no page can use: a NUL character anywhere in the address, the query string or a
posted form. PostgreSQL cannot store or compare text holding one, so such a request is
refused up front with the site's 400 page, whatever view it was meant for."""

from django.core.exceptions import BadRequest, RequestDataTooBig, TooManyFieldsSent

NUL = "\x00"


def holds_nul(request) -> bool:
    if NUL in request.path_info or _holds_nul(request.GET):
        return True
    if request.method == "POST":
        try:
            return _holds_nul(request.POST)
        except (RequestDataTooBig, TooManyFieldsSent):
            return False  # Django answers these itself, with a 400.
    return False


def _holds_nul(fields) -> bool:
    return any(NUL in key or any(NUL in v for v in values) for key, values in fields.lists())


class RefuseUnreadableRequests:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if holds_nul(request):
            raise BadRequest("A NUL character in the request.")
        return self.get_response(request)
