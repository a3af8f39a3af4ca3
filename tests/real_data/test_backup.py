"""docs/operations.md, done once on the shipped data: a backup with `pg_dump -Fc`, restored
with `pg_restore` into another database, holds every row of every table; the migrations
since search's stored document go back and forwards on the copy; and the site serves from
it.

The shipped data is the package's (conftest.py), committed; this test empties the database
when it ends, so it runs after every other test of the package (tests/conftest.py)."""

import os
import shutil
import subprocess
import sys

import psycopg
import pytest
from django.conf import settings
from django.db import connection

from applicants import services
from programs.models import Program

MIGRATE = "from django.core.management import call_command; call_command('migrate', "

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="backups are of PostgreSQL"),
    pytest.mark.skipif(not shutil.which("pg_dump"), reason="pg_dump is not installed"),
]


def url_of(name: str) -> str:
    db = connection.settings_dict
    credentials = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{credentials}@{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}/{name}"


def row_counts(url: str) -> dict[str, int]:
    with psycopg.connect(url) as conn:
        tables = conn.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
        ).fetchall()
        return {t: conn.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for (t,) in tables}


def manage(url: str, code: str) -> str:
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "ALLOWED_HOSTS": "testserver",
        "DEBUG": "false",
        # Served without collectstatic's manifest, as the rest of the suite is.
        "STATICFILES_BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage",
    }
    return subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=settings.BASE_DIR,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout


@pytest.mark.django_db(transaction=True)
def test_a_backup_restores_to_a_copy_that_serves_the_site(tmp_path):
    program = Program.objects.order_by("acgme_id").first()
    user = services.create_account(email="backup@generated.invalid", password="long-enough-7")
    services.save_to_shortlist(user=user, program=program)
    live = url_of(connection.settings_dict["NAME"])
    # Named after this worker's test database (test_residency_gw0 under pytest-xdist), so
    # that workers and runs against other databases each restore into a copy of their own.
    copy_name = connection.settings_dict["NAME"] + "_restored"
    assert os.environ.get("PYTEST_XDIST_WORKER", "") in copy_name
    copy = url_of(copy_name)
    backup = tmp_path / "residency.dump"

    subprocess.run(["pg_dump", "-Fc", "--no-owner", "-f", str(backup), live], check=True)
    with psycopg.connect(url_of("postgres"), autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{copy_name}"')
        admin.execute(f'CREATE DATABASE "{copy_name}"')
    try:
        subprocess.run(
            ["pg_restore", "--no-owner", "--exit-on-error", "-d", copy, str(backup)], check=True
        )
        counts = row_counts(live)
        assert row_counts(copy) == counts
        assert counts["programs_program"] == Program.objects.count() > 12_000
        assert counts["applicants_shortlistentry"] == 1
        # The copy is at the code's schema: nothing left to migrate.
        assert "No planned migration operations" in manage(copy, MIGRATE + "plan=True)")

        # The latest migrations (the matches, the season's events and the signals, since
        # 0013) taken back and applied forwards on the copy of the shipped data: every table
        # they leave keeps its rows (those they add come back empty), and the site serves.
        manage(copy, MIGRATE + "app_label='programs', migration_name='0013')")
        kept = row_counts(copy)
        manage(copy, MIGRATE + ")")
        again = row_counts(copy)
        assert set(again) == set(counts)
        assert {t: again[t] for t in kept} == {t: counts[t] for t in kept}
        assert kept["programs_program"] == counts["programs_program"]
        served = manage(
            copy,
            "from django.test import Client; c = Client();"
            f"r = c.get('/programs/{program.acgme_id}/');"
            f"s = c.get('/programs/', {{'q': {program.name!r}, 'level': 'all'}});"
            f"print(r.status_code, {program.name!r}.encode() in r.content,"
            f" s.status_code, b'/programs/{program.acgme_id}/' in s.content)",
        )
        assert served.split()[-4:] == ["200", "True", "200", "True"], served
    finally:
        with psycopg.connect(url_of("postgres"), autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{copy_name}" WITH (FORCE)')
