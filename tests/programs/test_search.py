"""Places in program search (programs/search.py): a state's name or code, or a city, typed
with the other words, on generated programs."""

import pytest
from django.contrib.postgres.search import SearchQuery
from django.db import connection
from django.urls import reverse

from programs.models import Program
from programs.search import places_in
from tests.factories import ProgramFactory, SeasonFactory, SpecialtyFactory

pytestmark = pytest.mark.django_db

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="ranking needs PostgreSQL's full-text search"
)


def found(q: str) -> list[str]:
    return [p.name for p in Program.objects.search(q)]


@pytest.fixture
def pediatrics():
    return SpecialtyFactory(name="Generated Pediatrics", slug="generated-pediatrics")


@pytest.fixture
def internal_medicine():
    return SpecialtyFactory(name="Generated Internal Medicine", slug="generated-im")


def program(name: str, state: str, specialty=None, city: str = "Generated Oakvale"):
    """A program whose name, city, sponsor and specialty hold neither "in" nor "ma", so only
    its state can make a two-letter word find it."""
    extra = {"specialty": specialty} if specialty else {}
    return ProgramFactory(name=name, state=state, city=city, **extra).name


@pytest.fixture
def programs_in_states(pediatrics):
    surgery = SpecialtyFactory(name="Generated Surgery", slug="generated-surgery")
    return {
        "ma": {
            program("Generated Harbor Program", "MA", pediatrics),
            program("Generated Hill Program", "MA", pediatrics),
        },
        "ma_surgery": program("Generated Cove Program", "MA", surgery),
        "tx": program("Generated Prairie Program", "TX", pediatrics),
        "in": program("Generated Hoosier Program", "IN", pediatrics),
        "pa": program("Generated Keystone Program", "PA", pediatrics),
    }


def test_a_states_name_finds_its_programs(programs_in_states):
    assert set(found("pediatrics massachusetts")) == programs_in_states["ma"]


def test_a_state_name_of_several_words_is_read_whole(pediatrics):
    west = program("Generated Ridge Program", "WV", pediatrics)
    program("Generated Tidewater Program", "VA", pediatrics)
    capital = program("Generated Mall Program", "DC", pediatrics)
    assert found("pediatrics west virginia") == [west]
    assert found("pediatrics District of Columbia") == [capital]


def test_an_uppercase_state_code_finds_its_programs(programs_in_states):
    assert set(found("pediatrics MA")) == programs_in_states["ma"]
    assert set(found("Pediatrics, MA")) == programs_in_states["ma"]


def test_a_lowercase_state_code_counts_unless_it_is_a_common_word(programs_in_states):
    assert set(found("pediatrics ma")) == programs_in_states["ma"]
    assert found("pa") == [programs_in_states["pa"]]
    # "in" is a word, not Indiana, unless typed as a code.
    assert programs_in_states["in"] not in found("in")
    assert found("IN") == [programs_in_states["in"]]


def test_a_misspelt_state_name_is_still_the_state(programs_in_states):
    assert set(found("pediatrics massachusets")) == programs_in_states["ma"]
    program("Generated Big Sky Program", "MT")
    assert found("Fontana") == []


def test_the_list_says_how_it_read_a_misspelt_state(client, programs_in_states):
    SeasonFactory()
    response = client.get(reverse("programs:list"), {"q": "pediatrics texsa"})
    page = " ".join(response.content.decode().split())
    assert "Read “texsa” as Texas." in page
    assert programs_in_states["tx"] in page
    correct = client.get(reverse("programs:list"), {"q": "pediatrics texas"})
    assert "Read “" not in correct.content.decode()


def test_a_city_finds_its_programs(pediatrics):
    harbortown = program("Generated Dock Program", "MA", pediatrics, city="Generated Harbortown")
    program("Generated Quay Program", "MA", pediatrics)
    program("Generated Pier Program", "MA", city="Generated Harbortown")
    assert found("pediatrics harbortown") == [harbortown]
    assert found("harbortown pediatrics MA") == [harbortown]


def test_a_query_of_only_a_place_lists_the_places_programs(programs_in_states):
    massachusetts = programs_in_states["ma"] | {programs_in_states["ma_surgery"]}
    assert set(found("massachusetts")) == massachusetts
    assert set(found("MA")) == massachusetts
    assert set(found("in Massachusetts")) == massachusetts


def test_a_name_containing_a_state_is_still_found_by_its_name(pediatrics):
    named = program("Generated Virginia Larch Hospital Program", "WA", pediatrics)
    in_virginia = program("Generated Larch Valley Program", "VA", pediatrics)
    assert set(found("Virginia Larch")) == {named, in_virginia}


@postgres_only
def test_a_name_containing_a_state_comes_before_the_states_programs(pediatrics):
    named = program("Generated Virginia Larch Hospital Program", "WA", pediatrics)
    program("Generated Larch Valley Program", "VA", pediatrics)
    assert found("Virginia Larch")[0] == named


def test_a_state_beside_a_name_also_finds_the_states_programs(internal_medicine):
    in_missouri = program("Generated Washington Brindlewood Program", "MO", internal_medicine)
    in_washington = {
        program("Generated Brindlewood of Washington Program", "WA", internal_medicine),
        program("Generated Brindlewood Cascade Program", "WA", internal_medicine),
    }
    program("Generated Washington Brindlewood Program", "MO")
    program("Generated Cascade Program", "WA", internal_medicine)
    assert set(found("Washington Brindlewood internal medicine")) == {in_missouri, *in_washington}


@postgres_only
def test_the_program_named_by_a_state_and_a_word_ranks_above_the_states(internal_medicine):
    in_missouri = program("Generated Washington Brindlewood Program", "MO", internal_medicine)
    program("Generated Brindlewood of Washington Program", "WA", internal_medicine)
    program("Generated Brindlewood Cascade Program", "WA", internal_medicine)
    assert found("Washington Brindlewood internal medicine")[0] == in_missouri


@postgres_only
def test_a_states_programs_come_first_when_its_code_is_also_a_stop_word(programs_in_states):
    # As typed, "in" is not searched for, so every pediatrics program matches.
    assert found("pediatrics IN")[0] == programs_in_states["in"]


@pytest.mark.parametrize(
    ("q", "states"),
    [
        ("Boston, MA", ["MA"]),
        ("Boston, MA.", ["MA"]),
        ('"Texas"', ["TX"]),
        ("is it in.", []),
        ("surgery D.C.", ["DC"]),
        ("new york new jersey", ["NY", "NJ"]),
        ("Pensylvania", ["PA"]),
        ("internal medicine texsa", ["TX"]),
        ("new yrok", ["NY"]),
        ("pediatrics north carolna", ["NC"]),
        ("new york", ["NY"]),
        ("new work", []),
        ("Ohoi", ["OH"]),
        ("Utha", ["UT"]),
        ("Maine Medical", ["ME"]),
        ("ob/gyn or me", []),
        ("MA-Lane", []),
        ("Fontana", []),
    ],
)
def test_places_are_whole_words_names_and_codes(q, states):
    assert [place.state for place in places_in(q)] == states


def test_the_lists_count_agrees_with_its_rows(client, django_assert_max_num_queries):
    SeasonFactory()
    pediatrics = SpecialtyFactory(name="Generated Pediatrics", slug="generated-pediatrics")
    for n in range(3):
        program(f"Generated Harbor {n} Program", "MA", pediatrics)
    program("Generated Prairie Program", "TX", pediatrics)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("programs:list"), {"q": "pediatrics MA"})
    names = [p.name for p in response.context["page"].object_list]
    assert response.context["paginator"].count == len(names) == 3
    assert "Generated Prairie Program" not in names


@postgres_only
def test_a_name_with_slashes_is_found_by_each_of_its_words(internal_medicine):
    slashed = program("Generated Brindlewood University/B-JH/SLCH Program", "MO", internal_medicine)
    program("Generated Brindlewood College Program", "WA", internal_medicine)
    assert found("Brindlewood University internal medicine")[0] == slashed
    # Its document holds the word itself, not one token of the whole slashed name.
    university = SearchQuery("university", config="english")
    assert list(Program.objects.filter(search_document=university)) == [
        Program.objects.get(name=slashed)
    ]


@postgres_only
def test_a_word_of_the_directorys_names_is_known_without_asking_the_index():
    """Only a word none of the names hold is looked up in the search document's index (to
    learn whether to respell it): for a common word, that lookup reads every program."""
    from django.test.utils import CaptureQueriesContext

    program("Generated Quillfeather Program", "OR")
    with CaptureQueriesContext(connection) as queries:
        assert found("quillfeather") == ["Generated Quillfeather Program"]
    assert not [q for q in queries if "unnest" in q["sql"]]
    with CaptureQueriesContext(connection) as queries:
        assert found("quilfeather") == ["Generated Quillfeather Program"]
    assert [q for q in queries if "unnest" in q["sql"]]
