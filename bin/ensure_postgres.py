"""Make sure the PostgreSQL server named by DATABASE_URL answers before the suite runs.

When nothing answers and this machine has Debian's pg_ctlcluster, start the local cluster;
otherwise explain how to point the suite at a database.
"""

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import psycopg

URL = os.environ["DATABASE_URL"]


def answers() -> bool:
    # Connect to the maintenance database: the suite creates its own test database.
    try:
        with psycopg.connect(URL.rsplit("/", 1)[0] + "/postgres", connect_timeout=3):
            return True
    except psycopg.OperationalError:
        return False


def start_local_cluster() -> bool:
    versions = sorted(Path("/etc/postgresql").glob("*/main"))
    if not shutil.which("pg_ctlcluster") or not versions:
        return False
    version = versions[-1].parent.name
    print(f"Starting the local PostgreSQL {version} cluster")
    subprocess.run(
        ["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "start"], check=False
    )
    for _ in range(20):
        if answers():
            return True
        time.sleep(0.5)
    return False


if not answers() and not start_local_cluster():
    sys.exit(
        f"No PostgreSQL server answers at {URL}.\n"
        "Start one, or point the suite at yours:\n"
        "  DATABASE_URL=postgres://USER:PASSWORD@HOST:5432/residency make test"
    )
