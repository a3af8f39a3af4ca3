"""HTML every reader sees the same (a program's row in a list, the list's filter fields for
a set of filters, a program's facts, a specialty's page, the home page's figures), rendered
once per generation of the directory and day and kept in the shared cache
(``programs.shared``), so that every worker reuses it until a curator changes the directory.
The day is part of the key because pages say whether a fact is stale or a date has passed,
and the release (``release()``) because a new one may show them differently.

A fragment is rendered without the request: no context processor runs for it, so nothing
personal (the asker, their profile, shortlist or messages, a CSRF token) can get into it.
Pages put those around the fragments, never inside.

A reader who brings nothing of their own (no session, no message waiting) gets the page
every such reader gets: ``same_for_every_reader`` keeps the whole page too, and puts only
that reader's CSRF token into it. ``kept_page`` does it for any page whose key says whose it
is: a person's own page is kept under their name and the version of their own data."""

import functools
import hashlib
import json
import secrets
from collections.abc import Callable, Hashable, Mapping
from pathlib import Path

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from programs.shared import TIMEOUT, Kept, computing, generation, named

Parts = dict[str, SafeString]


def rendered(
    name: str, templates: Mapping[str, str], context: Callable[[], dict], *, parts=None
) -> Parts:
    """``{part: HTML}``, each part the template (or ``template#partial``) it names rendered
    with ``context()``, rendered only when this generation has not rendered it yet.
    ``parts`` (anything JSON can write) tell apart fragments of the same name."""
    return rendered_each(named(name, parts), templates, {"": context})[""]


def rendered_each(
    name: str,
    templates: Mapping[str, str] | Callable[[Hashable], Mapping[str, str]],
    contexts: Mapping[Hashable, Callable[[], dict]],
) -> dict[Hashable, Parts]:
    """``rendered`` for many fragments of one kind at once (a page's rows), keyed by the
    keys of ``contexts``, in one round trip to the cache at most. ``templates`` names the
    parts of every fragment, or, as a function of a fragment's key, the parts of each; a
    part may also be a function of the fragment's context that returns its HTML."""
    prefix = _prefix("html", name)
    keys = {key: f"{prefix}:{key}" for key in contexts}
    found = _kept.get_many(keys.values())
    if missing := [k for k in keys.values() if k not in found]:
        from_cache = cache.get_many(missing)
        _kept.set_many(from_cache)
        found |= from_cache
    rendered = {}
    for key, cache_key in keys.items():
        if cache_key not in found:
            values = contexts[key]()
            own = templates(key) if callable(templates) else templates
            html = {
                part: t(values) if callable(t) else render_to_string(t, values)
                for part, t in own.items()
            }
            found[cache_key] = rendered[cache_key] = html
    if rendered:
        cache.set_many(rendered, timeout=TIMEOUT)
        _kept.set_many(rendered)
    return {key: {p: mark_safe(h) for p, h in found[k].items()} for key, k in keys.items()}


def _prefix(kind: str, name: str) -> str:
    day = timezone.localdate().isoformat()
    return f"directory:{generation()}:{kind}:{release()}:{name}:{day}"


# --- Whole pages --------------------------------------------------------------------------


def same_for_every_reader(view):
    """A page view whose page, for a reader who brings nothing of their own
    (``brings_nothing``), is rendered once per generation of the directory and day for the
    address asked and reused (``kept_page``). Everything personal (who is logged in, "About
    you", a profile kept without an account, a message waiting) lives in the session or the
    messages cookie, so such a page holds nothing personal. Any other request gets the view
    as written."""

    @functools.wraps(view)
    def page(request, *args, **kwargs):
        if not brings_nothing(request):
            return view(request, *args, **kwargs)
        return kept_page(request, request.path, lambda: view(request, *args, **kwargs))

    return page


def kept_page(
    request, name: str, render: Callable[[], HttpResponse], *, in_process: bool = True
) -> HttpResponse:
    """The page ``render()`` answers, rendered once per generation of the directory, release
    and day for ``name`` and the query string asked, kept in the shared cache and reused with
    the reader's own CSRF token put in. ``name`` tells apart pages that differ for the same
    address: the path alone for a page every such reader sees, a person and the version of
    their own data for a page of theirs. A page that set a cookie, changed the session or
    left a message is answered but not kept. ``in_process`` also keeps the page in this
    process (``_pages``), for a page many readers ask for again."""
    # The address and query string as a digest: a key holds no character a reader typed.
    key = _prefix("page", named("page", [name, request.META.get("QUERY_STRING", "")]))
    found = _pages.get_many([key]) if in_process else {}
    if not found and (found := cache.get_many([key])) and in_process:
        _pages.set_many(found)
    if found:
        return _answer(request, found[key])
    # Asked at once by several readers (or by one twice), the page is rendered once.
    with computing(key) as kept:
        if kept is None:
            kept = _render_to_keep(request, render)
            if isinstance(kept, HttpResponse):
                return kept
            cache.set(key, kept, timeout=TIMEOUT)
    if in_process:
        _pages.set_many({key: kept})
    return _answer(request, kept)


def _render_to_keep(request, render: Callable[[], HttpResponse]) -> dict | HttpResponse:
    """What ``kept_page`` keeps of the page ``render()`` answers, or the answer itself when
    the page cannot be kept."""
    # Rendered with a stand-in for the CSRF token (``csrf_stand_in``, a context processor),
    # which each reader's answer replaces with their own.
    request.csrf_stand_in = secrets.token_hex(16)
    response = render()
    if not _keepable(request, response):
        if not response.streaming and request.csrf_stand_in in response.text:
            response.content = response.text.replace(request.csrf_stand_in, get_token(request))
        return response
    return {
        "body": response.text,
        "stand_in": request.csrf_stand_in,
        "headers": json.dumps(
            [(k, v) for k, v in response.items() if k.lower() != "content-length"]
        ),
    }


def asks_a_whole_page(request) -> bool:
    """A plain GET (htmx asks for parts of pages) with no message waiting in the messages
    cookie: what a kept page can answer, whoever asks."""
    return (
        request.method == "GET"
        and "HX-Request" not in request.headers
        and CookieStorage.cookie_name not in request.COOKIES
    )


def brings_nothing(request) -> bool:
    """``asks_a_whole_page``, with no session."""
    return asks_a_whole_page(request) and settings.SESSION_COOKIE_NAME not in request.COOKIES


def csrf_stand_in(request) -> dict:
    """A context processor: while a page for every reader is rendered, its CSRF token is a
    stand-in (``kept_page``); otherwise nothing."""
    if stand_in := getattr(request, "csrf_stand_in", None):
        return {"csrf_token": stand_in}
    return {}


def _keepable(request, response) -> bool:
    """Whether a page can be kept for its readers (``kept_page``): a whole page that set no
    cookie, kept nothing in a session and left no message."""
    messages = getattr(request, "_messages", None)
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not (hasattr(request, "session") and request.session.modified)
        and not (messages is not None and messages.added_new)
    )


def _answer(request, kept: dict[str, str]) -> HttpResponse:
    body = kept["body"]
    if kept["stand_in"] in body:
        body = body.replace(kept["stand_in"], get_token(request))
    return HttpResponse(body, headers=json.loads(kept["headers"]))


@functools.cache
def release() -> str:
    """A digest of the templates and of the code that builds what fragments show: a new
    release of the site renders its own fragments rather than serve the last one's."""
    digest = hashlib.sha256()
    root = Path(settings.BASE_DIR)
    code = ("programs", "applicants", "representatives", "residency_site")
    for folder, pattern in (("templates", "*.html"), *((app, "*.py") for app in code)):
        for path in sorted((root / folder).rglob(pattern)):
            if "migrations" in path.parts:
                continue
            digest.update(str(path.relative_to(root)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def _characters(html: Mapping[str, str]) -> int:
    return sum(map(len, html.values()))


# The fragments and whole pages this process read last.
_kept = Kept(budget=8_000_000, measure=_characters)
_pages = Kept(budget=16_000_000, measure=_characters)
