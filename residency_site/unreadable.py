"""Requests no page can use, refused up front, whatever view they were meant for:

- a method the site does not answer (TRACE, PUT, PROPFIND...): 405;
- a NUL character anywhere in the address, the query string or a posted form: PostgreSQL
  cannot store or compare text holding one; 400;
- a body or a Content-Type Django cannot read: a form in a charset other than UTF-8, a
  charset that is no text encoding, a header it cannot parse, multipart without a boundary
  or broken, more than the size or field limits allow; 400.

The body is read here, once. A request refused for its body is left holding an empty form,
so that nothing after this (the CSRF check of the 400 page among them) reads it again and
fails where this did. Each refusal is logged as one WARNING line naming the address's
pattern and why, never a value sent, the body or a traceback."""

import logging

from django.core.exceptions import (
    BadRequest,
    RequestDataTooBig,
    SuspiciousMultipartForm,
    SuspiciousOperation,
    TooManyFieldsSent,
    TooManyFilesSent,
)
from django.core.handlers.wsgi import WSGIRequest
from django.http import HttpResponseNotAllowed, QueryDict, UnreadablePostError
from django.http.multipartparser import MultiPartParserError
from django.urls import Resolver404, get_resolver, resolve
from django.utils.datastructures import MultiValueDict

logger = logging.getLogger(__name__)

NUL = "\x00"
# What the site's pages answer. OPTIONS is left to the views (Django's answer lists the
# methods a view takes).
METHODS = ("GET", "HEAD", "POST", "OPTIONS")


class Unreadable(Exception):
    """Why a request cannot be read, in words that hold nothing it sent."""


class GuardedRequest(WSGIRequest):
    """Django's request, keeping a Content-Type it cannot read for the guard to refuse,
    where Django's own fails while the request is built, before any middleware can answer:
    a header it cannot parse (an RFC 2231 parameter in an unknown charset), or a charset it
    cannot decode the query string in (base64, rot13, undefined)."""

    unreadable_header = ""

    def _set_content_type_params(self, meta):
        try:
            super()._set_content_type_params(meta)
        except BadRequest:
            self.unreadable_header = "a Content-Type header that cannot be parsed"
        except (LookupError, UnicodeError):
            self.unreadable_header = "a charset it cannot decode"
        if self.unreadable_header:
            self.content_type, self.content_params, self._encoding = "", {}, None
            self.__dict__.pop("GET", None)


def read(request) -> None:
    """Read the request's address, query string and form, or raise Unreadable."""
    if getattr(request, "unreadable_header", ""):
        raise Unreadable(request.unreadable_header)
    try:
        fields = [request.GET]
        if request.method == "POST":
            fields += [request.POST, request.FILES]
    except BadRequest:  # Django's answer to a urlencoded form naming another charset
        raise Unreadable("a form that is not UTF-8") from None
    except RequestDataTooBig:
        raise Unreadable("a body over the size limit") from None
    except (TooManyFieldsSent, TooManyFilesSent):
        raise Unreadable("more fields or files than the limit") from None
    except (MultiPartParserError, SuspiciousMultipartForm):
        raise Unreadable("a multipart body that cannot be parsed") from None
    except UnreadablePostError:
        raise Unreadable("a body cut short") from None
    except (LookupError, UnicodeError):
        raise Unreadable("a charset it cannot decode") from None
    except (SuspiciousOperation, ValueError):
        raise Unreadable("a body that cannot be parsed") from None
    if NUL in request.path_info or any(_holds_nul(f) for f in fields[:2]):
        raise Unreadable("a NUL character")


def _holds_nul(fields) -> bool:
    return any(NUL in key or any(NUL in v for v in values) for key, values in fields.lists())


def _pattern(request) -> str:
    """The address's URL pattern, which holds none of the values in the address."""
    try:
        return "/" + resolve(request.path_info).route
    except Resolver404:
        return "an address of no page"


def _method(request) -> str:
    return request.method if request.method.isalpha() and len(request.method) <= 10 else "?"


class RefuseUnreadableRequests:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method not in METHODS:
            logger.warning("Refused a %s request to %s", _method(request), _pattern(request))
            response = HttpResponseNotAllowed(METHODS)
            response._has_been_logged = True
            return response
        try:
            read(request)
        except Unreadable as why:
            return self.refuse(request, why)
        return self.get_response(request)

    def refuse(self, request, why: Unreadable):
        logger.warning("Refused a %s to %s: %s", _method(request), _pattern(request), why)
        # Nothing after this reads the body again: an empty form and query stand in.
        request.GET = QueryDict()
        request._post, request._files = QueryDict(), MultiValueDict()
        response = get_resolver().resolve_error_handler(400)(request, BadRequest(str(why)))
        response._has_been_logged = True  # the line above says it, once
        return response
