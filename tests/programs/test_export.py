"""/programs/export.csv: the list's matches in the import format."""

import csv
import io

import pytest
from django.urls import reverse

from programs.csv_format import COLUMNS, from_spreadsheet
from tests.factories import ProgramFactory

pytestmark = pytest.mark.django_db

EXPORT = reverse("programs:export")


def export(client, query=None):
    response = client.get(EXPORT, query or {})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    return list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))


def test_export_has_the_import_columns_and_every_match_not_one_page(client):
    for _ in range(30):
        ProgramFactory(state="TX")
    ProgramFactory(state="OH")
    rows = export(client, {"state": "TX"})
    assert list(rows[0]) == COLUMNS
    assert len(rows) == 30


def test_export_matches_the_list(client):
    ProgramFactory(name="Generated B", sponsors_h1b="yes", accepts_imgs="yes", year1_positions=2)
    ProgramFactory(name="Generated A", sponsors_h1b="yes", accepts_imgs="yes", year1_positions=9)
    ProgramFactory(name="Generated C")
    query = {"visa": "h1b", "sort": "-positions"}
    listed = [p.acgme_id for p in client.get(reverse("programs:list"), query).context["page"]]
    assert [row["acgme_id"] for row in export(client, query)] == listed


def test_export_makes_formulas_inert(client):
    ProgramFactory(name='=HYPERLINK("http://evil")', city="+Springfield")
    row = export(client)[0]
    assert row["name"] == '\'=HYPERLINK("http://evil")'
    assert row["city"] == "'+Springfield"
    assert from_spreadsheet(row["name"]) == '=HYPERLINK("http://evil")'


def test_unknown_facts_export_as_unknown_not_no(client):
    ProgramFactory()
    row = export(client)[0]
    assert row["sponsors_j1"] == "unknown"
    assert row["year1_positions"] == ""


def test_export_query_count_is_constant(client, django_assert_max_num_queries):
    for _ in range(60):
        ProgramFactory()
    with django_assert_max_num_queries(4):
        export(client, {"step2": "230", "deadline_after": "2026-01-01"})


def test_export_with_a_bad_value_still_answers(client):
    ProgramFactory()
    assert len(export(client, {"step2": "abc", "page": "x"})) == 1
