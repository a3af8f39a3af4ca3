import pytest
from django.core.cache import cache


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


def pytest_configure(config):
    from django.conf import settings

    # The live server's thread would otherwise keep its connection open past the test
    # database's teardown.
    settings.DATABASES["default"]["CONN_MAX_AGE"] = 0
    # Hashing a password the production way takes a third of a second; tests log in often.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
