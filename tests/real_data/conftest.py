"""The shipped directory (fixtures/), loaded once for every test in this package.

It is committed, so that the backup drill (test_backup.py) can dump it from another
connection; each other test runs in a transaction of its own, rolled back. When the package
is done the database is emptied and the migrations' groups made again, so that the tests
elsewhere start from an empty database.
"""

import io

import pytest
from django.core.management import call_command

from tests.conftest import (
    _MIGRATED_GROUPS,
    _make_the_migrated_groups_again,
    _read_the_migrated_groups,
)


@pytest.fixture(scope="package", autouse=True)
def real_directory(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        if not _MIGRATED_GROUPS:
            _read_the_migrated_groups()
        out = io.StringIO()
        call_command("load_directory", stdout=out)
        try:
            yield out.getvalue()
        finally:
            call_command("flush", interactive=False, verbosity=0)
            _make_the_migrated_groups_again()
