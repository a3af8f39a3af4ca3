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
