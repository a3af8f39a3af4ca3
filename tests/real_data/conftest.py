"""The shipped directory (fixtures/), loaded once for every test in this package.

It is loaded inside a transaction that is rolled back when the package is done, so the
tests elsewhere start from an empty database; each test here runs in a savepoint of it.
"""

import io

import pytest
from django.core.management import call_command
from django.db import transaction


@pytest.fixture(scope="package", autouse=True)
def real_directory(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        out = io.StringIO()
        call_command("load_directory", stdout=out)
        yield out.getvalue()
        transaction.set_rollback(True)
