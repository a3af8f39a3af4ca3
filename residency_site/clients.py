"""Who is asking, and how often: the caller's address (behind the configured proxy, the one
the proxy saw) and hourly limits per address kept in the shared cache, so that they hold
across workers and app servers when ``CACHE_URL`` names Redis."""

import hashlib

from django.conf import settings
from django.core.cache import cache

HOUR = 60 * 60


def client_address(request) -> str | None:
    """The caller's address. Behind a TLS proxy (``BEHIND_TLS_PROXY``) it is the last entry
    of X-Forwarded-For, the one the proxy appended; earlier entries are the caller's to
    forge. Otherwise it is the connecting address."""
    if settings.BEHIND_TLS_PROXY:
        forwarded = request.headers.get("x-forwarded-for", "")
        if last := forwarded.split(",")[-1].strip():
            return last
    return request.META.get("REMOTE_ADDR") or None


def over_hourly_limit(request, action: str, limit: int) -> bool:
    """Count one more ``action`` from the caller's address; True once it has been done more
    than ``limit`` times in the hour that began with the first."""
    return _counted_in_the_hour(f"limit:{action}:{client_address(request) or 'unknown'}", limit)


def over_hourly_recipient_limit(action: str, recipient: str, limit: int) -> bool:
    """Count one more ``action`` sent to ``recipient`` (an email address, kept only as a
    digest), whoever asks; True once it has been done more than ``limit`` times in the
    hour that began with the first."""
    return _counted_in_the_hour(f"limit:{action}:to:{digest(recipient)}", limit)


def digest(name: str) -> str:
    """What a cache key holds of an email address or a login name: a digest of it as typed
    (case and surrounding spaces aside), never the name itself."""
    return hashlib.sha256(name.strip().lower().encode("utf-8", "replace")).hexdigest()[:32]


def count(key: str, seconds: int) -> int:
    """One more at ``key``, in a window of ``seconds`` that begins with the first; the count
    so far."""
    cache.add(key, 0, timeout=seconds)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr: this is the first of a new window
        cache.set(key, 1, timeout=seconds)
        return 1


def _counted_in_the_hour(key: str, limit: int) -> bool:
    """One more at ``key``; True once the hour that began with the first holds more than
    ``limit``."""
    return count(key, HOUR) > limit
