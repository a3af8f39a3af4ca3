"""Read replicas: the public directory's reads go to a replica, everything else to the primary.

A request may read from a replica only when a replica's slight lag cannot show anyone a
stale copy of their own work: a GET or HEAD from a visitor without a session (no account,
no saved profile), outside the admin. Writes, the admin, signed-in applicants, anyone with a
session, management commands and the shell all use the primary, so what a person has just
saved is what they read back.

Replicas are configured with ``DATABASE_REPLICA_URLS`` (see docs/deploy.md); without any,
neither the router nor the middleware is installed.
"""

import contextvars
import random

from django.conf import settings

_use_replica = contextvars.ContextVar("use_replica", default=False)

SAFE_METHODS = frozenset({"GET", "HEAD"})


def may_read_from_replica(request) -> bool:
    return (
        request.method in SAFE_METHODS
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and not request.path.startswith("/admin/")
    )


class ReplicaMiddleware:
    """Lets the router send this request's reads to a replica when it may."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        allowed = may_read_from_replica(request)
        token = _use_replica.set(allowed)
        try:
            response = self.get_response(request)
        finally:
            _use_replica.reset(token)
        # A streamed response (the CSV export) reads while it is sent, after this returns.
        if allowed and getattr(response, "streaming", False):
            response.streaming_content = _reading_from_replica(response.streaming_content)
        return response


def _reading_from_replica(content):
    _use_replica.set(True)
    try:
        yield from content
    finally:
        _use_replica.set(False)


class PrimaryReplicaRouter:
    """Reads to a random replica when the request allows it; writes, migrations and every
    other read to the primary (``default``)."""

    def db_for_read(self, model, **hints):
        if settings.READ_REPLICAS and _use_replica.get():
            return random.choice(settings.READ_REPLICAS)
        return "default"

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        # Replicas hold the primary's data, so rows from any of them relate.
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == "default"
