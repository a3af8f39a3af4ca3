"""`make bench`: how fast the site answers, as a share of a trivial page's throughput.

For each size asked for (by default the shipped directory, then 100,000 generated programs
shaped like it, labelled as generated) it builds its own PostgreSQL database (never the one
`make run` or the suite use: the shipped data's is the bench database's name with
`_shipped`), adds generated applicants, serves it with gunicorn under production settings,
drives each page with wrk from a separate process and prints one table per size: requests per
second, p50, p99, errors, the ratio to `/healthz` in the same run, and the SQL queries the
page makes. The tables are also written under var/bench/.

The list's URLs mix filters, sorts and pages with searches for what readers type: cities,
institutions and specialties as the database names them (or as readers do: "cardiology",
"obgyn"), one word or several, a third of them misspelt.
"""

import argparse
import datetime
import json
import os
import random
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = ROOT / ".venv" / "bin" / "python"
OUT = ROOT / "var" / "bench"
PASSWORD = "generated-applicant-password"
ROTATE_LUA = """
local paths, cookies = {}, {}
for line in io.lines(os.getenv("BENCH_PATHS")) do paths[#paths + 1] = line end
local cookie_file = os.getenv("BENCH_COOKIES")
if cookie_file and cookie_file ~= "" then
  for line in io.lines(cookie_file) do cookies[#cookies + 1] = line end
end
local i = 0
request = function()
  i = i + 1
  local headers = {}
  if #cookies > 0 then headers["Cookie"] = cookies[(i % #cookies) + 1] end
  return wrk.format("GET", paths[(i % #paths) + 1], headers)
end
"""


def run(*args, env=None, quiet=False):
    output = subprocess.DEVNULL if quiet else None
    subprocess.run(args, check=True, cwd=ROOT, env=env, stdout=output)


def shell(script: str, *, env) -> str:
    """What a Python script run by `manage.py shell` against the bench database prints."""
    return subprocess.run(
        [str(PYTHON), "manage.py", "shell", "-c", script],
        check=True,
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    ).stdout


def ensure_wrk() -> str:
    if found := shutil.which("wrk"):
        return found
    if shutil.which("apt-get") and os.geteuid() == 0:
        print("Installing wrk from Debian")
        run("apt-get", "update", "-qq", quiet=True)
        subprocess.run(
            ["apt-get", "install", "-y", "-qq", "wrk"],
            check=True,
            env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"},
            stdout=subprocess.DEVNULL,
        )
        return shutil.which("wrk")
    sys.exit("make bench needs wrk: apt-get install wrk")


def _on_server(url: str, *statements: str) -> None:
    """Run statements on the server of ``url`` (its database's name is {name} in them)."""
    import psycopg

    name = url.rsplit("/", 1)[1]
    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as connection:
        for statement in statements:
            connection.execute(statement.format(name=name))


def drop_database(url: str) -> None:
    _on_server(url, 'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def loaded(url: str) -> bool:
    """Whether the database of ``url`` exists and holds programs (a load that finished)."""
    import psycopg

    try:
        with psycopg.connect(url) as connection:
            return connection.execute("SELECT EXISTS (SELECT FROM programs_program)").fetchone()[0]
    except psycopg.Error:
        return False


def fresh_database(url: str) -> None:
    _on_server(url, 'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)', 'CREATE DATABASE "{name}"')


def timed(label: str, *args, env) -> dict:
    """Run a manage.py command; its wall time and the peak memory of its process."""
    start = time.perf_counter()
    process = subprocess.Popen(
        [str(PYTHON), "manage.py", *args], cwd=ROOT, env=env, stdout=subprocess.DEVNULL
    )
    _pid, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    seconds = time.perf_counter() - start
    if process.returncode:
        raise subprocess.CalledProcessError(process.returncode, args)
    print(f"  {label}: {seconds:.1f} s, peak {usage.ru_maxrss / 1024:.0f} MB", flush=True)
    return {"what": label, "seconds": round(seconds, 1), "peak_mb": round(usage.ru_maxrss / 1024)}


DUMP_PROGRAMS = """
import csv, sys
from programs.csv_format import COLUMNS, program_to_row
from programs.models import Program
with open(sys.argv[-1], "w", newline="", encoding="utf-8") as handle:
    writer = csv.DictWriter(handle, fieldnames=COLUMNS)
    writer.writeheader()
    for program in Program.objects.select_related("specialty", "sponsor").iterator(2000):
        writer.writerow(program_to_row(program))
"""


def import_timing(env, database_url: str) -> list[dict]:
    """A first `make run`'s migrate and load on an empty database, then an import of every
    program of the bench database as one CSV file (new programs, new sponsors)."""
    scratch = database_url + "_import"
    path = OUT / "programs-import.csv"
    OUT.mkdir(parents=True, exist_ok=True)
    dump = f"import sys; sys.argv.append({str(path)!r}); exec({DUMP_PROGRAMS!r})"
    shell(dump, env=env)
    rows = sum(1 for _ in path.open(encoding="utf-8")) - 1
    fresh_database(scratch)
    scratch_env = {**env, "DATABASE_URL": scratch}
    steps = [
        timed("first run: migrate", "migrate", "--noinput", env=scratch_env),
        timed("first run: load the shipped data", "load_directory", env=scratch_env),
        timed(
            f"import_programs, a file of {rows:,} rows",
            "import_programs",
            str(path),
            env=scratch_env,
        ),
    ]
    drop_database(scratch)
    path.unlink()
    return steps


def load(env, programs: int, applicants: int) -> list[dict]:
    steps = [timed("migrate", "migrate", "--noinput", env=env)]
    steps.append(timed("load the shipped directory", "load_directory", env=env))
    if programs:
        steps.append(
            timed(
                "remove the shipped programs",
                "shell",
                "-c",
                "from programs.models import Program; Program.objects.all().delete()",
                env=env,
            )
        )
        steps.append(
            timed(
                f"generate {programs:,} programs",
                "generate_programs",
                f"--programs={programs}",
                env=env,
            )
        )
    steps.append(
        timed(
            f"generate {applicants:,} applicants",
            "generate_applicants",
            f"--count={applicants}",
            f"--password={PASSWORD}",
            env=env,
        )
    )
    analyze = "from django.db import connection; connection.cursor().execute('ANALYZE')"
    shell(analyze, env=env)
    return steps


def url_sets(env, sample: int, seed: int) -> dict[str, list[str]]:
    """The pages to drive, read from the bench database in a separate process."""
    script = f"""
import json, random
from urllib.parse import urlencode
from programs.models import Program, Specialty, Sponsor
from programs.search import SPECIALTY_WORDS
rng = random.Random({seed})
ids = list(Program.objects.open_to_applicants().values_list("acgme_id", flat=True))
slugs = list(Specialty.objects.residencies().values_list("slug", flat=True))
specialties = list(Specialty.objects.residencies().values_list("name", flat=True))
cities = sorted(set(Program.objects.open_to_applicants().values_list("city", flat=True)))
sponsors = list(Sponsor.objects.values_list("name", flat=True))
states = ["TX", "NY", "CA", "FL", "PA", "IL", "OH", "MI", "MA", "NC", "GA", "NJ"]
# Words of an institution's name too common to name it alone.
COMMON = {{"university", "medical", "center", "hospital", "health", "school", "college",
          "medicine", "system", "program", "the", "and", "for", "of", "at", "in", "inc"}}
def typo(text):
    # A letter dropped, doubled or swapped with the next, in one word long enough to miss.
    words = text.split()
    long = [n for n, w in enumerate(words) if len(w) >= 5]
    if not long:
        return text
    n = rng.choice(long)
    word = words[n]
    i = rng.randrange(1, len(word) - 1)
    words[n] = rng.choice([
        word[:i] + word[i + 1:],
        word[:i] + word[i] + word[i:],
        word[:i] + word[i + 1] + word[i] + word[i + 2:],
    ])
    return " ".join(words)
def institution():
    words = [w.strip(",.()") for w in rng.choice(sponsors).split()]
    named = [n for n, w in enumerate(words) if w.lower() not in COMMON and len(w) > 2]
    if not named or rng.random() < 0.2:
        return " ".join(words)
    n = rng.choice(named)
    return " ".join(words[n : n + rng.choice([1, 1, 2])])
def specialty():
    if rng.random() < 0.3:
        return rng.choice(sorted(SPECIALTY_WORDS))
    name = rng.choice(specialties)
    return name if rng.random() < 0.5 else name.split()[0]
def words():
    what = rng.choice([lambda: rng.choice(cities), institution, specialty])()
    return typo(what) if rng.random() < 0.35 else what
searches = set()
while len(searches) < {sample} // 3:
    query = {{"q": words()}}
    if rng.random() < 0.2:
        query["page"] = rng.randint(2, 4)
    searches.add("/programs/?" + urlencode(query))
rotating = set()
while len(rotating) < {sample}:
    q = []
    if rng.random() < 0.5:
        q.append(("specialty", rng.choice(slugs)))
    if rng.random() < 0.4:
        q.append(("state", rng.choice(states)))
    if rng.random() < 0.25:
        q.append(("visa", rng.choice(["h1b", "j1"])))
    if rng.random() < 0.15:
        q.append(("img", "1"))
    if rng.random() < 0.3:
        q.append(("q", words()))
    if rng.random() < 0.2:
        q.append(("sort", rng.choice(["name", "-positions", "state", "deadline"])))
    if rng.random() < 0.3:
        q.append(("page", rng.randint(2, 5)))
    rotating.add("/programs/?" + urlencode(q) if q else "/programs/")
print(json.dumps({{
    "healthz": ["/healthz"],
    "list": ["/programs/"],
    "list rotating": sorted(rotating),
    "search": sorted(searches),
    "program": ["/programs/%s/" % i for i in rng.sample(ids, min(500, len(ids)))],
    "specialty": ["/specialties/%s/" % s for s in slugs],
    "home": ["/"],
    "matches": ["/me/matches/"],
    "export": ["/programs/export.csv?specialty=internal-medicine&state=TX"],
}}))
"""
    output = shell(script, env=env)
    return json.loads(output.strip().splitlines()[-1])


def sessions(env, count: int) -> list[str]:
    """Session cookies of generated applicants, made as a login would make them."""
    script = f"""
from django.conf import settings
from django.contrib.auth import get_user_model, BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
users = get_user_model().objects.filter(username__startswith="generated-applicant-")[:{count}]
for user in users:
    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    print(settings.SESSION_COOKIE_NAME + "=" + store.session_key)
"""
    output = shell(script, env=env)
    return [line for line in output.splitlines() if "=" in line]


def query_counts(env, urls: dict[str, list[str]], cookie: str) -> dict[str, int]:
    """SQL queries per page: the most any of a few of its URLs makes."""
    picks = {name: paths[:: max(len(paths) // 5, 1)][:5] for name, paths in urls.items()}
    session = cookie.split("=", 1)[1]
    script = f"""
import json
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.conf import settings
picks = {json.dumps(picks)}
counts = {{}}
for name, paths in picks.items():
    client = Client()
    if name == "matches":
        client.cookies[settings.SESSION_COOKIE_NAME] = "{session}"
    most = 0
    for path in paths:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path)
            if hasattr(response, "streaming_content"):
                b"".join(response.streaming_content)
        most = max(most, len(queries))
    counts[name] = most
print(json.dumps(counts))
"""
    output = shell(script, env={**env, "ALLOWED_HOSTS": "testserver,127.0.0.1"})
    return json.loads(output.strip().splitlines()[-1])


def shared_cache(url: str) -> str:
    """The Redis the workers share, emptied for the run; "" when none answers (each worker
    then keeps its own cache, as the default settings do)."""
    import redis

    try:
        redis.Redis.from_url(url, socket_timeout=2).flushdb()
    except redis.RedisError:
        print(f"  no Redis at {url}: each worker keeps its own cache")
        return ""
    return url


def port_is_free(port: int) -> bool:
    with socket.socket() as probe:
        # As gunicorn binds: the last run's connections waiting out their close (TIME_WAIT)
        # do not hold the port, a server listening on it does.
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def wait_until_ready(base: str) -> None:
    for _ in range(120):
        try:
            with urllib.request.urlopen(base + "/readyz", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.5)
    sys.exit("gunicorn did not become ready")


def drive(
    wrk: str,
    base: str,
    name: str,
    paths: list[str],
    cookies: list[str],
    args,
    *,
    connections: int | None = None,
    duration: int | None = None,
) -> dict:
    OUT.mkdir(parents=True, exist_ok=True)
    paths_file = OUT / "paths.txt"
    paths_file.write_text("\n".join(paths) + "\n")
    cookie_file = OUT / "cookies.txt"
    cookie_file.write_text("\n".join(cookies) + "\n" if cookies else "")
    lua = OUT / "rotate.lua"
    lua.write_text(ROTATE_LUA)
    env = {
        **os.environ,
        "BENCH_PATHS": str(paths_file),
        "BENCH_COOKIES": str(cookie_file) if cookies else "",
    }

    def once(seconds: int) -> str:
        return subprocess.run(
            [
                wrk,
                "-t2",
                f"-c{connections or args.connections}",
                f"-d{seconds}s",
                "--latency",
                "--timeout",
                "10s",
                "-s",
                str(lua),
                base,
            ],
            check=True,
            capture_output=True,
            text=True,
            env=env,
        ).stdout

    request = urllib.request.Request(base + paths[0])
    if cookies:
        request.add_header("Cookie", cookies[0])
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            status = response.status
    except urllib.error.HTTPError as error:
        status = error.code
    once(args.warmup)
    output = once(duration or args.duration)
    return {"page": name, "urls": len(paths), "status": status, **parse_wrk(output)}


UNITS = {"us": 0.001, "ms": 1, "s": 1000, "m": 60_000}


def _ms(text: str) -> float:
    found = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text)
    if not found:
        return float("nan")
    number, unit = found.groups()
    return float(number) * UNITS[unit]


def _percentile(output: str, share: int) -> float:
    """A row of the latency distribution (a figure in seconds is padded with a space); the
    thread stats' spread column also ends in "%"."""
    row = re.search(rf"^\s*{share}%\s+(\S+)\s*$", output, re.MULTILINE)
    return _ms(row[1]) if row else float("nan")


def parse_wrk(output: str) -> dict:
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output)[1])
    total = int(re.search(r"(\d+) requests in", output)[1])
    p50, p99 = (_percentile(output, share) for share in (50, 99))
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    socket = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    errors = (int(non_2xx[1]) if non_2xx else 0) + (sum(map(int, socket.groups())) if socket else 0)
    latency = re.search(r"Latency\s+(\S+)\s+(\S+)\s+(\S+)", output)
    most = _ms(latency[3]) if latency else float("nan")
    return {
        "rps": rps,
        "requests": total,
        "p50_ms": p50,
        "p99_ms": p99,
        "max_ms": most,
        "errors": errors,
    }


def table(rows: list[dict], counts: dict[str, int]) -> str:
    ceiling = next(r["rps"] for r in rows if r["page"] == "healthz")
    lines = [
        "| page | URLs | status | req/s | p50 ms | p99 ms | errors | × /healthz | SQL queries |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        lines.append(
            f"| {r['page']} | {r['urls']} | {r['status']} | {r['rps']:.1f} | {r['p50_ms']:.0f} | "
            f"{r['p99_ms']:.0f} | {r['errors']} | {r['rps'] / ceiling:.3f} | "
            f"{counts.get(r['page'], '')} |"
        )
    return "\n".join(lines)


def sizes(text: str) -> list[int]:
    return [int(size.replace("_", "")) for size in text.split(",")]


def size_database(url: str, programs: int) -> str:
    """The bench database of a size: the shipped data's has a name of its own, so that both
    can be kept (``--keep``)."""
    return f"{url}_shipped" if programs == 0 else url


def describe(programs: int) -> str:
    return "the shipped directory" if programs == 0 else f"{programs:,} generated programs"


def bench_size(programs: int, args, wrk: str, base_env: dict) -> dict:
    """Build (or keep) one size's database, drive every page and the stressed search."""
    database_url = size_database(args.database_url, programs)
    env = {**base_env, "DATABASE_URL": database_url}
    if cache := shared_cache(args.cache_url):
        env["CACHE_URL"] = cache
    started = datetime.datetime.now().astimezone()
    steps = []
    kept = args.keep and loaded(database_url)
    if args.keep and not kept:
        print(f"No loaded bench database of {describe(programs)} to keep")
    if not kept:
        print(f"Building the bench database of {describe(programs)} at {database_url}")
        fresh_database(database_url)
        steps = load(env, programs, args.applicants)
    run(str(PYTHON), "manage.py", "collectstatic", "--noinput", "-v0", env=env)
    urls = url_sets(env, args.urls, seed=1)
    cookies = sessions(env, 200)
    base = f"http://127.0.0.1:{args.port}"
    # Another server on the port would answer in place of this one, and be measured. The
    # last size's server may still be letting the port go.
    for _ in range(30):
        if port_is_free(args.port):
            break
        time.sleep(1)
    else:
        sys.exit(f"Port {args.port} is in use (another bench?): choose another with --port")
    server = subprocess.Popen(
        [
            str(ROOT / ".venv" / "bin" / "gunicorn"),
            "-c",
            "gunicorn.conf.py",
            "residency_site.wsgi",
            "--access-logfile",
            "/dev/null",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_until_ready(base)
        if server.poll() is not None:
            sys.exit(f"gunicorn exited ({server.returncode}); something else answers on {base}")
        rows = []
        for name, paths in urls.items():
            print(f"  driving {name} ({len(paths)} URLs)")
            rows.append(drive(wrk, base, name, paths, cookies if name == "matches" else [], args))
        stress = None
        if args.stress_seconds:
            searches = urls["search"]
            print(f"  driving {len(searches)} search URLs at {args.stress_connections} connections")
            stress = drive(
                wrk,
                base,
                "search, stressed",
                searches,
                [],
                args,
                connections=args.stress_connections,
                duration=args.stress_seconds,
            )
    finally:
        server.terminate()
        server.wait(timeout=30)
    counts = query_counts(env, urls, random.choice(cookies))
    result = table(rows, counts)
    if stress:
        result += (
            f"\n\nSearch at {args.stress_connections} connections for {args.stress_seconds} s "
            f"({stress['urls']} URLs): {stress['requests']:,} requests, {stress['rps']:.1f} req/s, "
            f"{stress['errors']} errors, p50 {stress['p50_ms']:.0f} ms, "
            f"p99 {stress['p99_ms']:.0f} ms, slowest {stress['max_ms']:.0f} ms."
        )
    head = (
        f"Bench of {started:%Y-%m-%d %H:%M %Z}: {describe(programs)}, "
        f"{args.applicants:,} generated applicants, {args.connections} connections, "
        f"{args.duration} s per page after {args.warmup} s of warm-up, on {os.cpu_count()} cores, "
        f"{'Redis' if cache else 'per-process'} cache."
    )
    return {
        "programs": programs,
        "head": head,
        "result": result,
        "rows": rows,
        "stress": stress,
        "queries": counts,
        "loads": steps,
        "env": env,
        "database_url": database_url,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--programs",
        type=sizes,
        default=[0, 100_000],
        help="sizes, comma-separated; 0: the shipped data (default: 0,100000)",
    )
    parser.add_argument("--applicants", type=int, default=1_000)
    parser.add_argument("--duration", type=int, default=15, help="seconds per page")
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--urls", type=int, default=500, help="rotating list URLs")
    parser.add_argument("--port", type=int, default=8091)
    parser.add_argument(
        "--keep",
        action="store_true",
        help="reuse the bench databases loaded by an earlier run (built when there is none)",
    )
    parser.add_argument("--stress-connections", type=int, default=64)
    parser.add_argument("--stress-seconds", type=int, default=60, help="0: no stress run")
    parser.add_argument(
        "--no-import", action="store_true", help="skip timing a first load and an import"
    )
    parser.add_argument(
        "--cache-url",
        default=os.environ.get("BENCH_CACHE_URL", "redis://127.0.0.1:6379/9"),
        help="the shared cache the workers use (emptied first)",
    )
    parser.add_argument(
        "--database-url",
        default=os.environ.get(
            "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/residency_bench"
        ),
    )
    args = parser.parse_args()
    sys.stdout.reconfigure(line_buffering=True)
    wrk = ensure_wrk()
    base_env = {
        **os.environ,
        "DEBUG": "false",
        "SECRET_KEY": "bench-" + os.urandom(16).hex(),
        "LOG_LEVEL": "WARNING",
        "HOST": "127.0.0.1",
        "PORT": str(args.port),
    }
    runs = []
    for programs in args.programs:
        runs.append(bench_size(programs, args, wrk, base_env))
        # Each size's table as soon as it is measured, in case a later size fails.
        print(f"\n{runs[-1]['head']}\n\n{runs[-1]['result']}\n")
    imports = []
    if not args.no_import:
        # The largest size's programs, as one file.
        last = runs[-1]
        print("Timing a first load and an import")
        imports = import_timing(last["env"], last["database_url"])
    sections = []
    for one in runs:
        loads = "\n".join(
            f"- {s['what']}: {s['seconds']} s, peak {s['peak_mb']} MB" for s in one["loads"]
        )
        sections.append(f"{one['head']}\n\n{one['result']}" + (f"\n\n{loads}" if loads else ""))
    if imports:
        sections.append(
            "\n".join(f"- {s['what']}: {s['seconds']} s, peak {s['peak_mb']} MB" for s in imports)
        )
    report = "\n\n".join(sections) + "\n"
    print("\n" + report)
    OUT.mkdir(parents=True, exist_ok=True)
    stamp = f"{datetime.datetime.now().astimezone():%Y%m%d-%H%M}"
    (OUT / f"bench-{stamp}.md").write_text(report)
    keep = ("programs", "head", "rows", "stress", "queries", "loads")
    (OUT / f"bench-{stamp}.json").write_text(
        json.dumps(
            {"sizes": [{k: one[k] for k in keep} for one in runs], "imports": imports}, indent=2
        )
    )


if __name__ == "__main__":
    main()
