"""The benchmark reads wrk's report as wrk prints it."""

import importlib.util
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parent.parent / "bin" / "bench.py"


@pytest.fixture(scope="module")
def bench():
    spec = importlib.util.spec_from_file_location("bench", BENCH)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# wrk's report of a search at 64 connections; the spread columns of the thread stats end in
# "50%" and "99%" as the distribution's rows begin with them, and a row in whole seconds is
# padded with a space to the width of one in milliseconds.
REPORT = """\
Running 1m test @ http://127.0.0.1:8123
  2 threads and 64 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency   212.31ms  101.42ms 671.99ms   68.99%
    Req/Sec   151.20     40.11   250.00     72.50%
  Latency Distribution
     50%  198.04ms
     75%  270.33ms
     90%  340.12ms
     99%    1.02s 
  18063 requests in 1.00m, 412.50MB read
  Non-2xx or 3xx responses: 2
Requests/sec:    300.79
Transfer/sec:      6.87MB
"""


def test_the_report_is_read_from_its_distribution_rows(bench):
    figures = bench.parse_wrk(REPORT)
    assert figures == {
        "rps": 300.79,
        "requests": 18063,
        "p50_ms": 198.04,
        "p99_ms": 1020.0,
        "max_ms": 671.99,
        "errors": 2,
    }


@pytest.mark.django_db(transaction=True)
def test_a_kept_database_is_reused_only_once_it_holds_programs(bench):
    from django.db import connection

    from tests.factories import ProgramFactory

    if connection.vendor != "postgresql":
        pytest.skip("the bench runs on PostgreSQL")
    settings = connection.settings_dict
    url = f"postgres://{settings['USER']}@{settings['HOST']}:{settings['PORT']}/{settings['NAME']}"
    assert not bench.loaded(url.rsplit("/", 1)[0] + "/no_such_bench_database")
    assert not bench.loaded(url)
    ProgramFactory()
    assert bench.loaded(url)
