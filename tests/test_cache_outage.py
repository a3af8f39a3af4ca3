"""Redis is a cache, not a dependency: with it unreachable the site answers from the
database, limits still refuse a flood, the log says so once and ``/readyz`` says the cache
is degraded (residency_site.cache)."""

import os
import socket
import subprocess
import sys
import uuid

import pytest
import redis
from django.core.cache.backends.locmem import LocMemCache
from django.urls import reverse

from applicants import services
from residency_site.cache import ResilientRedisCache
from residency_site.clients import over_hourly_limit
from tests.factories import ProgramFactory

pytestmark = pytest.mark.django_db

PASSWORD = "long-enough-phrase-7"


def a_port_nothing_listens_on() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def redis_stopped(settings):
    """``CACHE_URL`` names a Redis that is not there, with sessions kept as they are with
    Redis (in the database, read through the cache)."""
    settings.CACHES = {
        "default": {
            "BACKEND": "residency_site.cache.ResilientRedisCache",
            "LOCATION": f"redis://127.0.0.1:{a_port_nothing_listens_on()}/0",
        }
    }
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"


def test_with_redis_stopped_pages_answer_from_the_database(
    client, redis_stopped, caplog, monkeypatch
):
    # Redis tried again at every call, not only after the back-off: still one warning.
    monkeypatch.setattr("residency_site.cache.RETRY_AFTER", 0)
    program = ProgramFactory()
    services.create_account(email="applicant@example.org", password=PASSWORD)
    for page in ["/", reverse("programs:list"), program.get_absolute_url()]:
        assert client.get(page).status_code == 200, page
    assert client.get(reverse("applicants:login")).status_code == 200
    signed_in = client.post(
        reverse("applicants:login"), {"username": "applicant@example.org", "password": PASSWORD}
    )
    assert signed_in.status_code == 302
    for name in ["account", "profile", "shortlist", "calendar", "costs"]:
        assert client.get(reverse(f"applicants:{name}")).status_code == 200, name
    ready = client.get("/readyz")
    assert ready.status_code == 200 and ready.content == b"degraded: cache unreachable\n"
    warnings = [r for r in caplog.records if r.name == "residency_site.cache"]
    assert [r.levelname for r in warnings] == ["WARNING"]


def test_a_redis_cache_url_gets_the_cache_that_survives_losing_it():
    env = {**os.environ, "CACHE_URL": "redis://127.0.0.1:6379/0"}
    code = "from django.conf import settings; print(settings.CACHES['default']['BACKEND'])"
    backend = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    ).stdout.strip()
    assert backend == "residency_site.cache.ResilientRedisCache"


def test_with_redis_stopped_limits_still_refuse_a_flood(redis_stopped, rf):
    request = rf.post("/accounts/signup/", REMOTE_ADDR="198.51.100.7")
    answers = [over_hourly_limit(request, "signup", 5) for _ in range(8)]
    assert answers == [False] * 5 + [True] * 3


@pytest.mark.skipif(
    not os.environ.get("CACHE_URL", "").startswith("redis"), reason="CACHE_URL names no Redis"
)
def test_readyz_says_ready_when_redis_answers(client):
    assert client.get("/readyz").content == b"ready\n"


class FlakyRedis:
    """Stands in for Redis's client: a store that can be made unreachable, counting the
    times it is asked."""

    def __init__(self):
        self.store = LocMemCache(f"flaky-{uuid.uuid4()}", {})
        self.up = True
        self.asked = 0

    def __getattr__(self, name):
        method = getattr(self.store, name)

        def call(*args):
            self.asked += 1
            if not self.up:
                raise redis.ConnectionError("Connection refused.")
            return method(*args)

        return call


@pytest.fixture
def flaky():
    backend = ResilientRedisCache(f"redis://flaky-{uuid.uuid4()}:6379/0", {})
    backend._cache = FlakyRedis()
    return backend


def test_redis_away_is_left_alone_and_what_changed_meanwhile_is_put_right(flaky):
    flaky.set("session", {"signed in": True})
    flaky.add("limit:signup:198.51.100.7", 0)
    flaky.incr("limit:signup:198.51.100.7", 3)
    redis_client = flaky._cache
    redis_client.up, redis_client.asked = False, 0

    flaky.set("session", {"signed in": False})  # e.g. signed out: the database has it
    assert flaky.get("session") is None  # a miss, never the copy from before
    flaky.add("limit:signup:198.51.100.7", 0)
    assert flaky.incr("limit:signup:198.51.100.7", 2) == 2  # counted in this process
    assert redis_client.asked == 1  # tried once, then left alone

    redis_client.up = True
    flaky._outage.retry_at = 0  # the back-off is over
    assert flaky.get("limit:signup:198.51.100.7") == 5  # Redis's 3 and the 2 meanwhile
    assert flaky.get("session") is None  # the stale copy is gone from Redis
