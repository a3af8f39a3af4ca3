"""Text search over program, sponsor, city and specialty names, on generated programs."""

import pytest
from django.db import connection

from programs.models import Program
from tests.factories import ProgramFactory, SpecialtyFactory, SponsorFactory

pytestmark = pytest.mark.django_db

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="full-text and trigram search need PostgreSQL"
)


@pytest.fixture
def programs():
    cardiology = SpecialtyFactory(name="Generated Cardiology", slug="generated-cardiology")
    ProgramFactory(
        name="Generated Lakeside Medical Center Program",
        sponsor=SponsorFactory(name="Generated Lakeside Health"),
        city="Riverton",
    )
    ProgramFactory(
        name="Generated Hilltop Program",
        specialty=cardiology,
        sponsor=SponsorFactory(name="Generated Hilltop University"),
        city="Lakeside",
    )
    ProgramFactory(name="Generated Unrelated Program", city="Nowhere")


def found(q):
    return [p.name for p in Program.objects.search(q)]


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("Hilltop", {"Generated Hilltop Program"}),
        ("riverton", {"Generated Lakeside Medical Center Program"}),
        ("cardiology", {"Generated Hilltop Program"}),
        ("Lakeside Health", {"Generated Lakeside Medical Center Program"}),
    ],
)
def test_search_looks_at_name_sponsor_city_and_specialty(programs, q, expected):
    assert set(found(q)) == expected


def test_blank_search_keeps_everything(programs):
    assert len(found("   ")) == 3


@postgres_only
def test_a_name_match_ranks_above_a_city_match(programs):
    assert found("Lakeside")[:2] == [
        "Generated Lakeside Medical Center Program",
        "Generated Hilltop Program",
    ]


def test_a_misspelt_name_is_still_found(programs):
    assert found("Lakesde Medical Centre")[0] == "Generated Lakeside Medical Center Program"


def test_a_misspelling_does_not_match_everything(programs):
    assert "Generated Unrelated Program" not in found("Lakesde Medical")


def test_a_correctly_spelt_word_is_not_widened_to_similar_words(programs):
    ProgramFactory(name="Generated Lakeview Program")
    assert "Generated Lakeview Program" not in found("Lakeside")
