import os

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
        assert not refused, "The Content-Security-Policy refused:\n" + "\n".join(refused)
        # ORM calls made while Playwright's loop runs get a connection of their own; close it
        # here so it does not outlive the test database.
        connections.close_all()


def pytest_configure(config):
    from django.conf import settings

    # The live server's thread would otherwise keep its connection open past the test
    # database's teardown.
    settings.DATABASES["default"]["CONN_MAX_AGE"] = 0
    # Hashing a password the production way takes a third of a second; tests log in often.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


# The data migrations that make the Curators group and grant it its permissions.
CURATORS_MIGRATIONS = (
    "0002_curators_group",
    "0007_curators_edit_the_new_records",
    "0008_outcomes_and_checks",
    "0009_fees",
)


@pytest.fixture
def curators_group(django_db_blocker):
    """The Curators group as the migrations make it, made again: a test that empties the
    database (``transaction=True``) takes it away with everything else."""
    from django.contrib.auth.models import Group
    from django.db import connection
    from django.db.migrations import RunPython
    from django.db.migrations.executor import MigrationExecutor

    with django_db_blocker.unblock():
        loader = MigrationExecutor(connection).loader
        state = loader.project_state()
        with connection.schema_editor() as editor:
            for name in CURATORS_MIGRATIONS:
                for operation in loader.get_migration("programs", name).operations:
                    if isinstance(operation, RunPython):
                        operation.code(state.apps, editor)
        return Group.objects.get(name="Curators")
