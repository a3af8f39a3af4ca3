"""Figures shared by every reader come from the shared cache until the directory changes."""

from unittest import mock

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from programs.importers import import_programs
from programs.shared import (
    GENERATION_KEY,
    directory_changed,
    directory_loaded,
    remembered,
    request_finished,
    request_started,
)
from tests.at_once import AtOnce
from tests.factories import ProgramFactory, SpecialtyFactory
from tests.pages import visible_text

pytestmark = pytest.mark.django_db


def test_a_figure_is_computed_once_per_generation():
    calls = []

    def compute():
        calls.append(1)
        return len(calls)

    assert remembered("n", compute) == 1
    assert remembered("n", compute) == 1
    directory_changed()
    assert remembered("n", compute) == 2


def test_a_request_reads_the_generation_once_however_many_figures_it_shares(client):
    ProgramFactory()
    # A reader with a session: the page is rendered for them, not taken whole from the cache.
    client.post(reverse("programs:about_you"), {"step2": "230"})
    client.get(reverse("programs:list"))
    with mock.patch.object(cache, "get", wraps=cache.get) as reads:
        assert client.get(reverse("programs:list")).status_code == 200
    keys = [call.args[0] for call in reads.call_args_list]
    assert keys.count(GENERATION_KEY) == 1


def test_a_figure_read_again_by_the_same_process_costs_no_round_trip_and_is_its_own_copy():
    remembered("figures", lambda: [1, 2])
    with mock.patch.object(cache, "get", wraps=cache.get) as reads:
        first = remembered("figures", lambda: [3])
        first.append(99)
        assert remembered("figures", lambda: [3]) == [1, 2]
    assert [call.args[0] for call in reads.call_args_list] == [GENERATION_KEY] * 2


def test_a_change_during_a_request_is_seen_by_the_rest_of_it():
    request_started()
    try:
        assert remembered("m", lambda: 1) == 1
        directory_changed()
        assert remembered("m", lambda: 2) == 2
    finally:
        request_finished()


def test_parts_tell_figures_of_the_same_name_apart():
    assert remembered("count", lambda: 1, parts={"state": "TX"}) == 1
    assert remembered("count", lambda: 2, parts={"state": "NY"}) == 2
    assert remembered("count", lambda: 3, parts={"state": "TX"}) == 1


def list_queries(client, query):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("programs:list"), query)
    return response, [q["sql"] for q in queries]


def test_the_list_count_is_shared_and_follows_every_change(client):
    specialty = SpecialtyFactory()
    ProgramFactory.create_batch(3, specialty=specialty, state="TX")
    first, counted = list_queries(client, {"state": "TX"})
    assert "3 programs" in visible_text(first)
    assert any("COUNT(" in sql for sql in counted)
    # Another page or order of the same filters reuses the count.
    second, reused = list_queries(client, {"state": "TX", "page": "1", "sort": "name"})
    assert "3 programs" in visible_text(second)
    assert not any("COUNT(" in sql for sql in reused)
    ProgramFactory(specialty=specialty, state="TX")
    assert "4 programs" in visible_text(client.get(reverse("programs:list"), {"state": "TX"}))


def test_the_home_page_count_follows_a_new_program(client):
    ProgramFactory.create_batch(2)
    client.get(reverse("programs:home"))
    ProgramFactory()
    assert "3 US residency programs" in visible_text(client.get(reverse("programs:home")))


def test_after_a_bulk_write_the_planner_knows_how_many_programs_there_are():
    if connection.vendor != "postgresql":
        pytest.skip("planner statistics are PostgreSQL's")
    ProgramFactory.create_batch(7)
    directory_loaded()
    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples FROM pg_class WHERE relname = 'programs_program'")
        assert cursor.fetchone()[0] == 7


def test_after_a_bulk_write_the_search_indexes_hold_no_pending_entries():
    """GIN keeps new rows' entries in a pending list that every search then reads, and that
    the planner prices into every plan using the index, until a vacuum merges it."""
    if connection.vendor != "postgresql":
        pytest.skip("GIN indexes are PostgreSQL's")
    ProgramFactory.create_batch(3)
    directory_loaded()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT gin_clean_pending_list('program_search_document'),"
            " gin_clean_pending_list('program_search_names_trgm')"
        )
        assert cursor.fetchone() == (0, 0)


def test_loading_the_directory_refreshes_the_statistics_once_it_is_saved(
    django_capture_on_commit_callbacks,
):
    specialty = SpecialtyFactory(code="140")
    csv = (
        "acgme_id,name,specialty_code,sponsor_code,sponsor_name,state\n"
        f"1400000001,Generated Import Program,{specialty.code},123456,Generated Sponsor,TX\n"
    )
    with django_capture_on_commit_callbacks() as callbacks:
        result = import_programs(text=csv, change_reason="test")
    assert not result.errors
    assert directory_loaded in callbacks


def test_nothing_is_remembered_as_well():
    calls = []
    assert remembered("none", lambda: calls.append(1)) is None
    assert remembered("none", lambda: calls.append(1)) is None
    assert calls == [1]


def test_a_program_page_reads_at_most_seven_queries(client, django_assert_max_num_queries):
    program = ProgramFactory()
    another = ProgramFactory(specialty=program.specialty, sponsor=program.sponsor)
    client.get(program.get_absolute_url())
    with django_assert_max_num_queries(7):
        client.get(another.get_absolute_url())


# --- Asked at once by several workers ---------------------------------------------------------


def test_a_figure_asked_by_two_workers_at_once_is_computed_once():
    at_once = AtOnce()
    answers = at_once.run(
        lambda: remembered("slow", lambda: at_once.compute("first's")),
        lambda: remembered("slow", lambda: at_once.compute("second's")),
    )
    assert at_once.calls == ["first's"]
    assert answers == {"first": "first's", "second": "first's"}


def test_when_the_first_worker_keeps_nothing_the_others_compute_it_themselves():
    at_once = AtOnce()
    answers = at_once.run(
        lambda: remembered("slow", lambda: at_once.compute("first's", fail=True)),
        lambda: remembered("slow", lambda: at_once.compute("second's")),
    )
    assert at_once.calls == ["first's", "second's"]
    assert isinstance(answers["first"], RuntimeError)
    assert answers["second"] == "second's"
    # As soon as the first gave up, not after waiting out BUSY_SECONDS.
    assert at_once.pauses < 10
    assert remembered("slow", lambda: "third's") == "second's"
