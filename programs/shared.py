"""Figures every reader sees the same until the directory changes (how many programs there
are, the largest specialties, how many programs a set of filters finds), kept in the shared
cache so that all workers reuse them. Any change to a program or a specialty, one by one or
in bulk, starts a new generation of them."""

import hashlib
import json
from collections.abc import Callable

from django.core.cache import cache
from django.db import connection

from programs.models import Program, Specialty, Sponsor

GENERATION_KEY = "directory:generation"
TIMEOUT = 6 * 60 * 60


def generation() -> int:
    value = cache.get(GENERATION_KEY)
    if value is None:
        cache.add(GENERATION_KEY, 1, timeout=None)
        value = cache.get(GENERATION_KEY, 1)
    return value


def directory_changed(**_signal) -> None:
    """Forget every shared figure (a signal receiver, and called after bulk writes)."""
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:
        cache.set(GENERATION_KEY, 2, timeout=None)


def remembered(name: str, compute: Callable, *, parts=None):
    """``compute()``, or its value from the shared cache for this generation of the
    directory. ``parts`` (anything JSON can write) tell apart values of the same name."""
    if parts is not None:
        digest = hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode())
        name = f"{name}:{digest.hexdigest()[:32]}"
    key = f"directory:{generation()}:{name}"
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, timeout=TIMEOUT)
    return value


def directory_loaded(**_signal) -> None:
    """After a bulk write: forget the shared figures, and give PostgreSQL's planner fresh
    statistics of the directory's tables rather than leave it guessing until autovacuum
    comes round (or, where autovacuum is off, for ever)."""
    directory_changed()
    if connection.vendor != "postgresql":
        return
    tables = ", ".join(m._meta.db_table for m in (Program, Sponsor, Specialty))
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {tables}")
