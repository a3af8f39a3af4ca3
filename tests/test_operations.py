"""docs/operations.md, done once: a backup with `pg_dump -Fc`, restored with `pg_restore` into
another database, holds every row of every table, and the site serves from the copy."""

import os
import shutil
import subprocess
import sys

import psycopg
import pytest
from django.conf import settings
from django.db import connection

from applicants import services
from tests.factories import ProgramFactory, SeasonFactory

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
    env = {**os.environ, "DATABASE_URL": url, "ALLOWED_HOSTS": "testserver", "DEBUG": "false"}
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
    SeasonFactory()
    programs = ProgramFactory.create_batch(3, name="Generated Backed-up Program")
    user = services.create_account(email="backup@generated.invalid", password="long-enough-7")
    services.save_to_shortlist(user=user, program=programs[0])
    live = url_of(connection.settings_dict["NAME"])
    copy_name = connection.settings_dict["NAME"] + "_restored"
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
        assert counts["programs_program"] == 3 and counts["applicants_shortlistentry"] == 1

        served = manage(
            copy,
            "from django.test import Client;"
            f"r = Client().get('/programs/{programs[0].acgme_id}/');"
            "print(r.status_code, b'Generated Backed-up Program' in r.content)",
        )
        assert served.split()[-2:] == ["200", "True"]
        # The copy is at the code's schema: nothing left to migrate.
        assert "No planned migration operations" in manage(
            copy,
            "from django.core.management import call_command; call_command('migrate', plan=True)",
        )
    finally:
        with psycopg.connect(url_of("postgres"), autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{copy_name}" WITH (FORCE)')
