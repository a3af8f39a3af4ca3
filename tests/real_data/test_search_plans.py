"""Searches of the shipped data are planned from the search indexes (migration 0010's GIN
indexes), never as a scan of every program that checks each one's spelling, and a page of
results ranks the matches once. Its other reads of the index (which words no program has,
the keys of the programs matching, at most ``RANKED_AT_MOST`` + 1 of them, which count them)
rank nothing."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="SQLite's search reads words with LIKE"
    ),
]

# Words of cities, institutions and specialties, misspelt too, one word and several; the
# broad ones ("medical center", "pediatrics") match thousands of programs.
SEARCHES = [
    {"q": "Rochester"},
    {"q": "Rochestr"},
    {"q": "orthopaedic"},
    {"q": "pediatrics"},
    {"q": "medical center", "page": "5"},
    {"q": "Massachusets General"},
    {"q": "Mayo Clinic", "state": "MN"},
    {"q": "internal medicine Texas"},
    {"q": "Pittsburg"},
]


def _nodes(node: dict):
    yield node
    for child in node.get("Plans", []):
        yield from _nodes(child)


def _plan(sql: str) -> dict:
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (FORMAT JSON) " + sql)
        plan = cursor.fetchone()[0]
    return (json.loads(plan) if isinstance(plan, str) else plan)[0]["Plan"]


@pytest.mark.parametrize("query", SEARCHES, ids=lambda query: query["q"])
def test_a_search_of_the_shipped_data_runs_once_from_its_indexes(client, query):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("programs:list"), query)
    assert response.status_code == 200
    assert response.context["paginator"].count > 0
    searches = [q["sql"] for q in queries if "search_document" in q["sql"]]
    ranked = [sql for sql in searches if "ts_rank_cd" in sql]
    assert len(ranked) == 1, "a COUNT and the rows each ranked the search"
    assert not any("COUNT(" in sql for sql in searches), "the search was counted apart"
    for sql in searches:
        scanned = {
            node["Node Type"]
            for node in _nodes(_plan(sql))
            if node.get("Relation Name") == "programs_program"
        }
        assert "Seq Scan" not in scanned, sql
        assert scanned  # the plan reads programs at all, so the walk found its scans
