import functools
import importlib
import os
import threading
import time
from urllib.parse import urlsplit

import pytest
from django.core.cache import cache
from django.db import connections

from tests.pages import CHROMIUM


@pytest.fixture(autouse=True)
def _plain_static_files(settings):
    """Tests render templates without running collectstatic first."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _empty_cache():
    """Rate limits and cached lookups start afresh in every test."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def page(live_server):
    """A page in a real, headless Chromium, for tests marked ``browser``."""
    from playwright.sync_api import sync_playwright

    # Playwright runs an event loop in this thread; Django's ORM is only used around it.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=str(CHROMIUM),
            args=["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run"],
        )
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        # What the Content-Security-Policy refused: the pages must need nothing inline.
        refused = []
        page.on(
            "console",
            lambda message: (
                refused.append(message.text) if "Content Security Policy" in message.text else None
            ),
        )
        yield page
        browser.close()
        _wait_for_the_requests_in_flight()
        assert not refused, "The Content-Security-Policy refused:\n" + "\n".join(refused)
        # ORM calls made while Playwright's loop runs get a connection of their own; close it
        # here so it does not outlive the test database.
        connections.close_all()


def _wait_for_the_requests_in_flight(timeout: float = 10) -> None:
    """The live server answers each request in a thread of its own. One still running when
    the test ends would hold locks on tables that emptying the database then waits for, and
    PostgreSQL would end one of the two as a deadlock."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and any(
        thread.name.endswith("(process_request_thread)") for thread in threading.enumerate()
    ):
        time.sleep(0.05)


def pytest_configure(config):
    from django.conf import settings

    # The live server's thread would otherwise keep its connection open past the test
    # database's teardown.
    settings.DATABASES["default"]["CONN_MAX_AGE"] = 0
    # Hashing a password the production way takes a third of a second; tests log in often.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    _a_redis_database_per_worker(settings)


def _a_redis_database_per_worker(settings):
    """With CACHE_URL naming Redis, each pytest-xdist worker (gw0, gw1, ...) uses a database
    of its own: emptying the cache between tests empties the whole database, and must not
    take another worker's rate limits or figures from under it."""
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    cache = settings.CACHES["default"]
    if not worker or not cache["BACKEND"].endswith("RedisCache"):
        return
    location = urlsplit(cache["LOCATION"])
    database = int(location.path.strip("/") or 0) + 1 + int(worker.removeprefix("gw"))
    cache["LOCATION"] = location._replace(path=f"/{database}").geturl()


# What `make test-sqlite` runs: the tests of code that takes another path on SQLite, or whose
# SQL each database reads its own way, and the loading and the pages of the shipped data that
# `make run` serves from SQLite. Everything else runs on PostgreSQL only. An entry is a test
# file, a test, or a folder ending in "/"; mark a new test with @pytest.mark.databases_differ.
DATABASES_DIFFER = {
    "tests/programs/test_querysets.py": "search has a branch of its own for SQLite; names "
    "ordered without regard to case; the fit's arithmetic in SQL",
    "tests/programs/test_search.py": "places in a search, read by either database's search",
    "tests/programs/test_filters.py": "the list's filters in SQL: sorts with missing values "
    "last, deadlines, regions",
    "tests/programs/test_rules.py": "each database evaluates the CHECK constraints, regular "
    "expressions included, which Python must agree with",
    "tests/programs/test_models.py": "what the database's constraints refuse",
    "tests/programs/test_importers.py": "bulk writes in chunks, undone as one transaction",
    "tests/programs/test_shared.py": "PostgreSQL alone is told to refresh its statistics "
    "after a bulk write",
    "tests/applicants/test_matching.py": "verdicts computed in SQL, the profile's specialties "
    "aggregated into one string",
    "tests/applicants/test_plan.py::test_matches_read_at_most_six_queries_with_a_shared_cache": (
        "SQLite's search reads one more query"
    ),
    "tests/programs/views/test_directory.py::test_list_query_count_does_not_grow": (
        "SQLite's search builds its spelling vocabulary"
    ),
    "tests/real_data/": "the shipped directory loaded, searched and shown, as `make run` does",
}
# Loaded once for the whole package (tests/real_data/conftest.py).
SHARED_DATA = "tests/real_data/"
# Modules whose tests share a costly module-scoped fixture (the real NRMP join, ~10 s): run
# on one worker, which builds it once.
SHARED_MODULES = ("tests/sources/test_nrmp_codes.py",)
# Run first, so that the longest tests do not start last on one worker while the others
# wait: the shipped data (loaded once, the backup drill last), then the browser journeys.
SLOW_FIRST = [SHARED_DATA, "browser"]


def _in(nodeid: str, entry: str) -> bool:
    if entry.endswith("/"):
        return nodeid.startswith(entry)
    return nodeid == entry or nodeid.startswith((f"{entry}::", f"{entry}["))


def _slowness(item) -> tuple[int, bool]:
    """Its rank in SLOW_FIRST; within a rank, the tests that empty the database come last."""
    for rank, slow in enumerate(SLOW_FIRST):
        if item.nodeid.startswith(slow) or item.get_closest_marker(slow):
            return rank, _empties_the_database(item)
    return len(SLOW_FIRST), _empties_the_database(item)


def _empties_the_database(item) -> bool:
    marker = item.get_closest_marker("django_db")
    uses = getattr(item, "fixturenames", ())
    return bool(marker and marker.kwargs.get("transaction")) or "transactional_db" in uses


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config, log):
    """With pytest-xdist's default distribution, the tests of the shipped data go to one
    worker together, which loads it once for them all, and so do those of each module in
    SHARED_MODULES; every other test goes to whichever worker is free. (xdist_group markers
    cannot say so: pytest 9 ignores the node ids that --dist loadgroup rewrites.)"""
    if config.getvalue("dist") != "load":
        return None
    from xdist.scheduler import LoadScopeScheduling

    class SharedDataTogether(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            for shared in (SHARED_DATA, *SHARED_MODULES):
                if nodeid.startswith(shared):
                    return shared
            return nodeid

    return SharedDataTogether(config, log)


@pytest.hookimpl(wrapper=True)
def pytest_collection_modifyitems(config, items):
    """Mark before the other plugins select by mark; order after pytest-django has put the
    tests that empty the database last."""
    matched = set()
    for item in items:
        for entry in DATABASES_DIFFER:
            if _in(item.nodeid, entry):
                item.add_marker(pytest.mark.databases_differ)
                matched.add(entry)
    # On a run of the whole suite, a renamed or moved test must not leave the list quietly.
    if config.args_source == pytest.Config.ArgsSource.TESTPATHS:
        for entry in DATABASES_DIFFER.keys() - matched:
            raise pytest.UsageError(f"DATABASES_DIFFER names {entry}, which is no test")
    yield
    items.sort(key=_slowness)


# The data migrations that make the Curators group and grant it its permissions.
CURATORS_MIGRATIONS = (
    "0002_curators_group",
    "0007_curators_edit_the_new_records",
    "0008_outcomes_and_checks",
    "0009_fees",
    "0013_program_suggestions",
    "0017_signal_allowances",
)


@functools.cache
def migrations_and_their_models():
    """The migrations on disk and the models as the last of them leaves them, read once per
    process (rendering them takes a second or more)."""
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    loader = MigrationExecutor(connection).loader
    return loader, loader.project_state().apps


def run_data_migration(app_label: str, name: str) -> None:
    """The RunPython steps of one migration, run again on the models of the last."""
    from django.db import connection
    from django.db.migrations import RunPython

    loader, apps = migrations_and_their_models()
    with connection.schema_editor() as editor:
        for operation in loader.get_migration(app_label, name).operations:
            if isinstance(operation, RunPython):
                operation.code(apps, editor)


def _make_the_curators_group_again():
    for name in CURATORS_MIGRATIONS:
        run_data_migration("programs", name)
    # 0015 grants its models' permissions in the step that also moves the season's dates,
    # which cannot run again: its grant alone.
    from django.contrib.auth.models import Group, Permission

    events = importlib.import_module("programs.migrations.0015_season_dates_become_events")
    Group.objects.get(name="Curators").permissions.add(
        *Permission.objects.filter(
            content_type__app_label="programs", codename__in=events.CODENAMES
        )
    )


# The groups the migrations make (Curators), with their permissions by natural key: read
# before the first test that empties the database, made again after each one.
_MIGRATED_GROUPS: dict[str, list[tuple[str, str]]] = {}


def _read_the_migrated_groups():
    from django.contrib.auth.models import Group

    for group in Group.objects.prefetch_related("permissions__content_type"):
        _MIGRATED_GROUPS[group.name] = [
            (p.content_type.app_label, p.codename) for p in group.permissions.all()
        ]


def _make_the_migrated_groups_again():
    from django.contrib.auth.models import Group, Permission
    from django.db.models import Q

    for name, permissions in _MIGRATED_GROUPS.items():
        group, _ = Group.objects.get_or_create(name=name)
        natural_keys = Q()
        for app_label, codename in permissions:
            natural_keys |= Q(content_type__app_label=app_label, codename=codename)
        group.permissions.set(Permission.objects.filter(natural_keys) if permissions else [])


def _database_access(item):
    from pytest_django.plugin import blocking_manager_key

    return item.config.stash[blocking_manager_key].unblock()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_setup(item):
    result = yield
    if not _MIGRATED_GROUPS and _empties_the_database(item):
        with _database_access(item):
            _read_the_migrated_groups()
    return result


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """A test that empties the database (``transaction=True``) takes the migrations' groups
    away with everything else (the permissions come back by themselves): they are made again
    for the tests after it, so that the longest tests, which empty it, may run first."""
    result = yield
    if nextitem is not None and _empties_the_database(item):
        with _database_access(item):
            _make_the_migrated_groups_again()
    return result


@pytest.fixture
def curators_group(django_db_blocker):
    """The Curators group as the migrations make it."""
    from django.contrib.auth.models import Group

    with django_db_blocker.unblock():
        _make_the_curators_group_again()
        return Group.objects.get(name="Curators")
