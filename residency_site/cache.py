"""Redis as a cache, not a dependency: when it cannot be reached the site goes on from the
database. ``CACHE_URL=redis://…`` uses ``ResilientRedisCache``, Django's Redis cache with
short socket timeouts that, on a connection error or a timeout:

- answers a read as a miss and skips a write, so pages compute what they would have read
  (sessions, kept in the database as well, are read from there);
- keeps whole numbers (the counters behind the hourly limits and the directory's
  generation) in this process's memory instead, so limits still refuse a flood, counted
  per process until Redis is back;
- says so once in the log (one WARNING line per process and outage, one INFO line when
  Redis answers again), and leaves Redis alone for ``RETRY_AFTER`` seconds before trying
  again, so an outage costs a request nothing but the first try's timeout.

When Redis answers again, what the process changed meanwhile is put right there: the copy
of any other value it wrote or deleted (a session, a shared figure) is deleted from Redis,
so no stale copy outlives a change made while it was away, and whole numbers are added to
Redis's (a counter's count, the directory's generation, which a change then moves on).

``/readyz`` reports the degraded cache (``reachable``)."""

import contextlib
import logging
import threading
import time

import redis
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.backoff import NoBackoff
from redis.retry import Retry

logger = logging.getLogger(__name__)

RETRY_AFTER = 30  # seconds
SOCKET_OPTIONS = {
    "socket_connect_timeout": 0.5,
    "socket_timeout": 1.0,
    "retry": Retry(NoBackoff(), 1),
}
UNREACHABLE = (redis.ConnectionError, redis.TimeoutError)
# Past this many keys changed in one outage, Redis is emptied when it answers again.
MAX_TRACKED = 100_000
PROBE_KEY = "cache:probe"


def _is_counter(value) -> bool:
    return type(value) is int


class _Outage:
    """Whether one Redis is being left alone, and what was changed meanwhile; shared by
    every thread of the process (each thread has a cache object of its own)."""

    def __init__(self):
        self.lock = threading.Lock()
        # Held by the one thread that tries Redis again after the back-off.
        self.comeback = threading.Lock()
        self.down = False
        self.retry_at = 0.0
        self._reset()

    def _reset(self):
        self.added: dict[tuple, int] = {}
        self.forgotten: set[tuple] = set()
        self.overflowed = False

    def resting(self) -> bool:
        return self.down and time.monotonic() < self.retry_at

    def failed(self, location: str, error: Exception) -> None:
        with self.lock:
            if not self.down:
                logger.warning(
                    "Cache unreachable (%s at %s): serving from the database, limits "
                    "counted in this process, until it answers again.",
                    type(error).__name__,
                    location,
                )
            self.down = True
            self.retry_at = time.monotonic() + RETRY_AFTER

    def note(self, key, version, *, added: int | None = None) -> None:
        """Remember a change made while Redis was away: a whole number ``added`` to a
        counter, or else a value written or deleted."""
        with self.lock:
            if len(self.added) + len(self.forgotten) >= MAX_TRACKED:
                self.overflowed = True
            elif added is not None:
                self.added[key, version] = self.added.get((key, version), 0) + added
            else:
                self.forgotten.add((key, version))
                self.added.pop((key, version), None)

    def forget_all(self) -> None:
        with self.lock:
            self.overflowed = True

    def take_changes(self) -> tuple[dict, set, bool]:
        with self.lock:
            changes = (self.added, self.forgotten, self.overflowed)
            self._reset()
        return changes

    def answered(self, location: str) -> None:
        with self.lock:
            self.down = False
        logger.info("Cache reachable again at %s.", location)


_outages: dict[str, _Outage] = {}
_outages_lock = threading.Lock()


class _OneClientPerPool(RedisCacheClient):
    """Django's Redis client makes a new ``redis.Redis`` for every operation, which costs
    more than the operation itself (about 0.3 ms: its table of response callbacks); one per
    connection pool serves them all (a ``redis.Redis`` takes a connection from its pool for
    each command)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        if (client := self._clients.get(id(pool))) is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class ResilientRedisCache(RedisCache):
    def __init__(self, server, params):
        params = {**params, "OPTIONS": {**SOCKET_OPTIONS, **params.get("OPTIONS", {})}}
        super().__init__(server, params)
        self._class = _OneClientPerPool
        self._location = ",".join(self._servers)
        with _outages_lock:
            self._outage = _outages.setdefault(self._location, _Outage())
        # Shared by name with every thread's instance, like any LocMemCache.
        self._local = LocMemCache(
            f"redis-fallback:{self._location}",
            {"TIMEOUT": params.get("TIMEOUT", 300), "OPTIONS": {"MAX_ENTRIES": MAX_TRACKED}},
        )

    def _either(self, name: str, fallback, *args):
        """Redis's answer to ``name(*args)``, or ``fallback()``'s while it is away."""
        if self._outage.down and not self._back():
            return fallback()
        try:
            return getattr(super(), name)(*args)
        except UNREACHABLE as error:
            self._outage.failed(self._location, error)
            return fallback()

    def _back(self) -> bool:
        """Once the back-off is over, whether Redis answers again; if it does, what this
        process changed meanwhile is put right there before anything else is read."""
        if self._outage.resting():
            return False
        with self._outage.comeback:
            if not self._outage.down:
                return True  # another thread has just brought it back
            if self._outage.resting():
                return False  # another thread has just found it still away
            try:
                super().has_key(PROBE_KEY)
            except UNREACHABLE as error:
                self._outage.failed(self._location, error)
                return False
            added, forgotten, overflowed = self._outage.take_changes()
            try:
                if overflowed:
                    super().clear()
                else:
                    for (key, version), amount in added.items():
                        # A key gone from Redis too has nothing to add to.
                        with contextlib.suppress(ValueError):
                            super().incr(key, amount, version)
                    for key, version in forgotten:
                        super().delete(key, version)
            except UNREACHABLE as error:
                self._outage.failed(self._location, error)
                self._outage.forget_all()  # half put right: empty it next time
                return False
            self._outage.answered(self._location)
            return True

    def reachable(self) -> bool:
        """Whether Redis answers now (for ``/readyz``)."""
        away = object()
        return self._either("has_key", lambda: away, PROBE_KEY, None) is not away

    # While Redis is away: whole numbers in this process's memory, other values nowhere.

    def _write_locally(self, name, key, value, timeout, version):
        if _is_counter(value):
            stored = getattr(self._local, name)(key, value, timeout, version)
            if name == "set" or stored:
                self._outage.note(key, version, added=value)
            return stored
        self._outage.note(key, version)
        self._local.delete(key, version)
        return False

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        local = lambda: self._write_locally("add", key, value, timeout, version)  # noqa: E731
        return self._either("add", local, key, value, timeout, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        local = lambda: self._write_locally("set", key, value, timeout, version)  # noqa: E731
        self._either("set", local, key, value, timeout, version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        def local():
            for key, value in data.items():
                self._write_locally("set", key, value, timeout, version)
            return []

        return self._either("set_many", local, data, timeout, version)

    def incr(self, key, delta=1, version=None):
        def local():
            value = self._local.incr(key, delta, version)
            self._outage.note(key, version, added=delta)
            return value

        return self._either("incr", local, key, delta, version)

    def delete(self, key, version=None):
        def local():
            self._outage.note(key, version)
            return self._local.delete(key, version)

        return self._either("delete", local, key, version)

    def delete_many(self, keys, version=None):
        def local():
            for key in keys:
                self._outage.note(key, version)
            self._local.delete_many(keys, version)

        return self._either("delete_many", local, keys, version)

    def clear(self):
        def local():
            self._outage.forget_all()
            return self._local.clear()

        return self._either("clear", local)

    def get(self, key, default=None, version=None):
        local = lambda: self._local.get(key, default, version)  # noqa: E731
        return self._either("get", local, key, default, version)

    def get_many(self, keys, version=None):
        return self._either("get_many", lambda: self._local.get_many(keys, version), keys, version)

    def has_key(self, key, version=None):
        return self._either("has_key", lambda: self._local.has_key(key, version), key, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        local = lambda: self._local.touch(key, timeout, version)  # noqa: E731
        return self._either("touch", local, key, timeout, version)
