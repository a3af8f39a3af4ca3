"""Two app servers sharing one database and one Redis, as docs/deploy.md describes, checked
from outside: a login made on one is honoured by the other, the report form's hourly limit
counts reports sent to both, and a change to the directory made through one shows in the
other's shared figures at once.

    .venv/bin/python bin/two_servers.py [--database-url URL] [--cache-url URL]

It needs a database `make bench` has filled (generated programs and applicants); nothing
real is touched. It prints what it checked and exits non-zero when anything does not hold.
"""

import argparse
import http.cookiejar
import os
import re
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "generated-applicant-password"


class Browser:
    """One visitor: a cookie jar, sending each request to whichever server it is told."""

    def __init__(self):
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def get(self, url: str) -> tuple[int, str]:
        return self._open(urllib.request.Request(url))

    def post(self, url: str, data: dict, referer: str) -> tuple[int, str]:
        token = next(c.value for c in self.jar if c.name == "csrftoken")
        body = urllib.parse.urlencode({**data, "csrfmiddlewaretoken": token}).encode()
        return self._open(urllib.request.Request(url, data=body, headers={"Referer": referer}))

    def _open(self, request) -> tuple[int, str]:
        try:
            with self.opener.open(request, timeout=30) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()


def serve(port: int, env: dict) -> subprocess.Popen:
    return subprocess.Popen(
        [str(ROOT / ".venv/bin/gunicorn"), "-c", "gunicorn.conf.py", "residency_site.wsgi"],
        cwd=ROOT,
        env={**env, "PORT": str(port), "WEB_CONCURRENCY": "2"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def ready(base: str) -> None:
    for _ in range(120):
        try:
            with urllib.request.urlopen(base + "/readyz", timeout=2):
                return
        except OSError:
            time.sleep(0.5)
    sys.exit(f"{base} did not answer")


def manage(env: dict, code: str) -> str:
    return subprocess.run(
        [str(ROOT / ".venv/bin/python"), "manage.py", "shell", "-c", code],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--database-url",
        default=os.environ.get(
            "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/residency_bench"
        ),
    )
    parser.add_argument(
        "--cache-url", default="redis://127.0.0.1:6379/8", help="a Redis database of its own"
    )
    parser.add_argument(
        "--replica-url", default="", help="a streaming replica of --database-url, if any"
    )
    args = parser.parse_args()
    import redis

    redis.Redis.from_url(args.cache_url).flushdb()  # limits left by an earlier run
    env = {
        **os.environ,
        "DATABASE_URL": args.database_url,
        "CACHE_URL": args.cache_url,
        # Both servers must share the secret key: it signs sessions and CSRF tokens.
        "SECRET_KEY": "two-servers-" + os.urandom(16).hex(),
        "DEBUG": "false",
        "LOG_LEVEL": "WARNING",
        "HOST": "127.0.0.1",
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_REPLICA_URLS": args.replica_url,
    }
    subprocess.run(
        [str(ROOT / ".venv/bin/python"), "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT,
        env=env,
        check=True,
    )
    email, program = manage(
        env,
        "from django.contrib.auth import get_user_model; from programs.models import Program;"
        "print(get_user_model().objects.filter(username__startswith='generated-applicant-')"
        ".values_list('email', flat=True).first());"
        "print(Program.objects.filter(name__startswith='Generated').values_list("
        "'acgme_id', flat=True).first())",
    ).splitlines()[-2:]
    a, b = "http://127.0.0.1:8201", "http://127.0.0.1:8202"
    servers = [serve(8201, env), serve(8202, env)]
    failures = []

    def check(what: str, holds: bool) -> None:
        print(f"  {'holds' if holds else 'FAILS'}: {what}")
        if not holds:
            failures.append(what)

    try:
        ready(a)
        ready(b)
        print(f"Two servers on {a} and {b}, one database and one Redis ({args.cache_url})")

        if args.replica_url:
            import psycopg

            def replica_connections() -> int:
                """Connections the servers hold to the replica (kept for CONN_MAX_AGE)."""
                with psycopg.connect(args.replica_url, autocommit=True) as connection:
                    sql = (
                        "SELECT count(*) FROM pg_stat_activity"
                        " WHERE datname = %s AND pid <> pg_backend_pid()"
                    )
                    name = args.replica_url.rsplit("/", 1)[1]
                    return connection.execute(sql, [name]).fetchone()[0]

            before = replica_connections()
            for base in (a, b):
                Browser().get(base + "/programs/?q=generated")
            after = replica_connections()
            check(
                f"a visitor's list pages read from the replica ({before} → {after} connections)",
                after > before,
            )

        person = Browser()
        person.get(a + "/accounts/login/")
        person.post(
            a + "/accounts/login/", {"username": email, "password": PASSWORD}, a + "/accounts/"
        )
        status, page = person.get(b + "/me/")
        check("a login made on one server is honoured by the other", "Log out" in page)

        reader = Browser()
        page_url = f"/programs/{program}/"
        statuses = []
        for n in range(6):
            base = (a, b)[n % 2]
            reader.get(base + page_url)
            status, _ = reader.post(
                base + page_url + "report/",
                {"message": f"Generated report {n} checking the shared limit."},
                base + page_url,
            )
            statuses.append(status)
        check(
            f"the report limit counts reports sent to both servers ({statuses})",
            statuses[-1] == 429 and 429 not in statuses[:-1],
        )

        if args.replica_url:
            manage(
                env,
                "from applicants.models import ShortlistEntry;"
                f"ShortlistEntry.objects.filter(user__email={email!r},"
                f" program__acgme_id={program!r}).delete()",
            )
            saver = Browser()
            saver.get(a + "/accounts/login/")
            saver.post(
                a + "/accounts/login/", {"username": email, "password": PASSWORD}, a + "/accounts/"
            )
            saver.get(a + page_url)
            status, _ = saver.post(
                a + f"/me/shortlist/save/{program}/", {"next": page_url}, a + page_url
            )
            _status, shortlist = saver.get(b + "/me/shortlist/")
            check(
                "a program saved through one server is on the shortlist the other shows at once",
                status in (200, 302) and program in shortlist,
            )

        def listed() -> str:
            _status, page = Browser().get(b + "/programs/?level=all")
            return re.search(r"([\d,]+) programs?\b", page)[1]

        before = listed()
        manage(env, "from programs.generated import generate_programs; generate_programs(count=1)")
        after = listed()
        check(
            f"a directory change shows in the other's shared count ({before} → {after})",
            before != after,
        )
    finally:
        for server in servers:
            server.terminate()
        for server in servers:
            server.wait(timeout=30)
        manage(
            env,
            "from programs.models import OutdatedReport;"
            "OutdatedReport.objects.filter(message__startswith='Generated report').delete()",
        )
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
