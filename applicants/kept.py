"""A person's own page (their matches), rendered once per change and reused: it changes only
when the directory does, the day or the release (``programs.fragments.kept_page`` keys on
those), or the person's own data, whose version (``version``) is part of its key too.

Every change to a row the page shows of a person (their account, profile, its specialties,
their shortlist) moves their version on (``person_changed``, a signal receiver connected in
``applicants.apps``), so the next visit renders afresh. The version lives in the shared cache
alone: a kept page is read from there too, never from a copy this process kept, so a worker
never answers with a page of a version another worker has moved past."""

import functools
import time

from django.contrib.messages.storage.session import SessionStorage
from django.core.cache import cache
from django.db import transaction

from applicants import services
from programs import fragments


def kept_for_the_person(view):
    """A page view whose page, for a logged-in person with their profile in their account
    (``reads_kept_page``), is kept for them alone until they, the directory, the day or the
    release change. Any other request gets the view as written."""

    @functools.wraps(view)
    def page(request, *args, **kwargs):
        if not reads_kept_page(request) or (current := version(request.user.pk)) is None:
            return view(request, *args, **kwargs)
        name = f"{request.path}:person:{request.user.pk}:{current}"
        render = functools.partial(view, request, *args, **kwargs)
        return fragments.kept_page(request, name, render, in_process=False)

    return page


def reads_kept_page(request) -> bool:
    """A plain GET (htmx asks for parts of pages) of a logged-in person with no message
    waiting (in the messages cookie or the session) and no profile kept in the session,
    which their own page would show instead of their account's when the account has none."""
    return (
        fragments.asks_a_whole_page(request)
        and request.user.is_authenticated
        and SessionStorage.session_key not in request.session
        and services.SESSION_KEY not in request.session
    )


def version(user_id: int) -> int | None:
    """The version of the person's own data, None when the shared cache cannot say. A
    version not found starts at the clock's nanoseconds, past any version used before, so
    that a forgotten version never makes an older kept page current again."""
    key = version_key(user_id)
    if (found := cache.get(key)) is None:
        cache.add(key, time.time_ns(), timeout=None)
        found = cache.get(key)
    return found


def person_changed(user_id: int) -> None:
    """Move the person's version on, now and again once the change is committed: a page
    rendered meanwhile from the rows before it is then kept under a version already past."""
    _move_on(user_id)
    transaction.on_commit(functools.partial(_move_on, user_id))


def _move_on(user_id: int) -> None:
    try:
        cache.incr(version_key(user_id))
    except ValueError:
        cache.set(version_key(user_id), time.time_ns(), timeout=None)


def version_key(user_id: int) -> str:
    return f"person:{user_id}:version"


# --- Signal receivers (connected in applicants.apps) ------------------------------------


def user_changed(sender, instance, **kwargs) -> None:
    person_changed(instance.pk)


def row_of_a_user_changed(sender, instance, **kwargs) -> None:
    """A profile or shortlist entry saved or deleted."""
    person_changed(instance.user_id)


def specialties_changed(sender, instance, action, reverse, **kwargs) -> None:
    """A profile's specialties changed (``Profile.specialties``; their related name is "+",
    so they change from the profile's side only)."""
    if action.startswith("post_") and not reverse:
        person_changed(instance.user_id)
