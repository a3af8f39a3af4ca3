import pytest


@pytest.fixture(autouse=True)
def _plain_static_files(settings):
    """Tests render templates without running collectstatic first."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


def pytest_configure(config):
    # The live server's thread would otherwise keep its connection open past the test
    # database's teardown.
    from django.conf import settings

    settings.DATABASES["default"]["CONN_MAX_AGE"] = 0
