"""Where a form or link says to go next. ``next`` is text anyone can send, so it is followed
only when it is a path of this site (``url_has_allowed_host_and_scheme``, and starting with
a slash); anything else falls back to the page's own default. It never reaches
``redirect()``, which would first try it as the name of a view."""

from django.http import HttpResponseRedirect
from django.shortcuts import resolve_url
from django.utils.http import url_has_allowed_host_and_scheme


def next_url(request, default: str = "") -> str:
    """The ``next`` posted or in the query string when it is safe to follow, else the
    default (a view name or a URL), else ""."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target.startswith("/") and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return resolve_url(default) if default else ""


def redirect_to_next(request, default: str) -> HttpResponseRedirect:
    return HttpResponseRedirect(next_url(request, default))
