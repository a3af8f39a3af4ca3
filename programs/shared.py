"""Figures every reader sees the same until the directory changes (how many programs there
are, the largest specialties, how many programs a set of filters finds, the current season,
a specialty's NRMP figures), kept in the shared cache so that all workers reuse them. Any
change to the directory's records, one by one (signals, ``programs.apps``) or in bulk (the
importers), starts a new generation of them."""

import contextlib
import hashlib
import json
import pickle
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterator, Mapping
from contextvars import ContextVar

from django.apps import apps
from django.core.cache import cache
from django.db import connection

GENERATION_KEY = "directory:generation"
TIMEOUT = 6 * 60 * 60
# How long the other workers wait for one computing a value they all ask for (``computing``)
# before they compute it too.
BUSY_SECONDS = 5


# The generation a request has read, so that its other shared figures cost one cache read
# each rather than two. Set only while a request is answered (request_started and
# request_finished, connected in programs.apps); elsewhere every read asks the cache.
_request_generation: ContextVar[dict | None] = ContextVar("request_generation", default=None)


def request_started(**_signal) -> None:
    _request_generation.set({})


def request_finished(**_signal) -> None:
    _request_generation.set(None)


def generation() -> int:
    memo = _request_generation.get()
    if memo is not None and "value" in memo:
        return memo["value"]
    value = cache.get(GENERATION_KEY)
    if value is None:
        cache.add(GENERATION_KEY, _first_generation(), timeout=None)
        value = cache.get(GENERATION_KEY, 1)
    if memo is not None:
        memo["value"] = value
    return value


def directory_changed(**_signal) -> None:
    """Forget every shared figure (a signal receiver, and called after bulk writes)."""
    if memo := _request_generation.get():
        memo.clear()
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:
        cache.set(GENERATION_KEY, _first_generation(), timeout=None)


def _first_generation() -> int:
    """A generation never used before, even after the cache was emptied: workers keep the
    fragments they read (``programs.fragments``) under keys that name it."""
    return time.time_ns()


def named(name: str, parts=None) -> str:
    """``name``, told apart by ``parts`` (anything JSON can write) when there are any."""
    if parts is None:
        return name
    digest = hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode())
    return f"{name}:{digest.hexdigest()[:32]}"


def remembered(name: str, compute: Callable, *, parts=None):
    """``compute()``, or its value from the shared cache for this generation of the
    directory. ``parts`` (anything JSON can write) tell apart values of the same name."""
    key = f"directory:{generation()}:{named(name, parts)}"
    # This process's copy first: each read unpickles a value of its own, as a read from the
    # shared cache does, so that no caller changes what another reads.
    if copy := _copies.get_many([key]):
        return pickle.loads(copy[key])[0]
    # Kept in a tuple, so that None (no current season, say) is remembered too.
    if (hit := cache.get(key)) is None:
        with computing(key) as hit:
            if hit is None:
                hit = (compute(),)
                cache.set(key, hit, timeout=TIMEOUT)
    _copies.set_many({key: pickle.dumps(hit, pickle.HIGHEST_PROTOCOL)})
    return hit[0]


@contextlib.contextmanager
def computing(key: str) -> Iterator[object | None]:
    """Around computing the value to keep at ``key`` in the shared cache, so that workers
    asked for the same missing value at once compute it once: yields None to the worker that
    is to compute it (and keep it before the block ends), and to each other worker the value
    once the first has kept it. Should the first keep nothing (a page that cannot be kept) or
    take longer than ``BUSY_SECONDS``, the others get None and compute it themselves."""
    busy = f"{key}:busy"
    # A whole number, so that while the cache is away each process still holds it alone.
    mine = cache.add(busy, 1, timeout=BUSY_SECONDS)
    if not mine and (found := _kept_meanwhile(key, busy)) is not None:
        yield found
        return
    try:
        yield None
    finally:
        if mine:
            cache.delete(busy)


def _kept_meanwhile(key: str, busy: str) -> object | None:
    pause, deadline = 0.005, time.monotonic() + BUSY_SECONDS
    while time.monotonic() < deadline:
        time.sleep(pause)
        found = cache.get_many([key, busy])
        if key in found:
            return found[key]
        if busy not in found:
            return None
        pause = min(2 * pause, 0.05)
    return None


class Kept:
    """What this process read last from the shared cache, up to ``budget`` (in the units of
    ``measure``), so that reading it again costs no round trip. Its keys name the
    directory's generation, so what is kept is never stale: a change starts new keys, and
    the old ones age out."""

    def __init__(self, budget: int, measure: Callable[[object], int]):
        self.budget = budget
        self.measure = measure
        self.size = 0
        self.items: OrderedDict[str, object] = OrderedDict()
        self.lock = threading.Lock()

    def get_many(self, keys) -> dict:
        with self.lock:
            found = {k: self.items[k] for k in keys if k in self.items}
            for key in found:
                self.items.move_to_end(key)
            return found

    def set_many(self, values: Mapping[str, object]) -> None:
        with self.lock:
            for key, value in values.items():
                if key not in self.items:
                    self.items[key] = value
                    self.size += self.measure(value)
            while self.size > self.budget and self.items:
                _key, value = self.items.popitem(last=False)
                self.size -= self.measure(value)

    def clear(self) -> None:
        with self.lock:
            self.items.clear()
            self.size = 0


# The shared figures this process read, pickled.
_copies = Kept(budget=16_000_000, measure=len)


def directory_loaded(**_signal) -> None:
    """After a bulk write: forget the shared figures, and give PostgreSQL's planner fresh
    statistics of the directory's tables rather than leave it guessing until autovacuum
    comes round (or, where autovacuum is off, for ever).

    The search indexes' pending lists are merged too: GIN keeps new rows' entries in an
    unsorted list (up to 4 MB) until a vacuum, and the planner prices reading that list into
    every index scan, enough after a load of the shipped data to prefer a sequential scan
    of every program to the search indexes."""
    directory_changed()
    if connection.vendor != "postgresql":
        return
    models = ("Program", "Sponsor", "Specialty")
    tables = ", ".join(apps.get_model("programs", m)._meta.db_table for m in models)
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {tables}")
        cursor.execute(
            "SELECT gin_clean_pending_list(index.indexrelid::regclass) FROM pg_index index"
            " JOIN pg_class class ON class.oid = index.indexrelid"
            " JOIN pg_am am ON am.oid = class.relam"
            " WHERE am.amname = 'gin' AND index.indrelid = %s::regclass",
            [apps.get_model("programs", "Program")._meta.db_table],
        )
