"""The matches' rows in their default order are read from the kinds of program the summary
counts (``matching.page_reader``) rather than by ``with_fit``:
they must be the programs, order and annotations ``with_fit`` gives, over generated programs
and applicants, and the page must read the same either way. RULE_EXAMPLES=300 for a long
run."""

import pytest
from django.urls import reverse

from applicants import matching
from applicants.views import matches as matches_view
from programs.choices import Verdict
from programs.models import Program
from programs.querysets import fit_evidence
from tests.factories import ProgramFactory
from tests.pages import without_csrf_token
from tests.programs.test_steps import (
    COMPARED,
    LONG_AGO,
    YEAR,
    one_specialty_examples,
    one_specialtys_programs,
)

pytestmark = pytest.mark.django_db

# Names that tie without regard to case, and exactly: the order falls back to the ACGME ID.
NAMES = ["Bronx", "bronx", "Albany", "BRONX", "albany", "Bronx"]
ANNOTATIONS = [*COMPARED, "fit_rank"]


def with_fit_order(applicant, verdict: str) -> list[Program]:
    """The applicant's matches as ``MatchFilter`` lists them by default: ``with_fit``, best
    verdict first."""
    programs = matching.programs_for(applicant).with_fit(
        **matching.fit_arguments(applicant, year=YEAR)
    )
    if verdict:
        programs = programs.filter(fit_verdict=verdict)
    return list(programs.best_verdict_first())


def annotations(program, names) -> dict:
    return {name: getattr(program, name) for name in names if hasattr(program, name)}


@one_specialty_examples(examples=4, most_programs=10)
def test_the_order_and_verdicts_from_kinds_are_those_with_fit_gives(facts, filed_to, people):
    with one_specialtys_programs(facts, filed_to, people) as (specialty, people):
        programs = Program.objects.filter(specialty=specialty).order_by("pk")
        for i, program in enumerate(programs):
            Program.objects.filter(pk=program.pk).update(name=NAMES[i % len(NAMES)])
        for person in people:
            names = [*ANNOTATIONS, *fit_evidence(matching.fit_arguments(person, year=YEAR))]
            for verdict in ["", *Verdict.values]:
                expected = with_fit_order(person, verdict)
                found = matching.page_reader(person, year=YEAR, verdict=verdict)(0, 100)
                assert [p.pk for p in found] == [p.pk for p in expected]
                for program, fitted in zip(found, expected, strict=True):
                    assert annotations(program, names) == annotations(fitted, names)
                    assert program.fit_verdict == verdict or not verdict


@one_specialty_examples(examples=3, most_programs=8)
def test_a_page_read_by_kinds_holds_what_the_filter_sets_rows_hold(facts, filed_to, people):
    with one_specialtys_programs(facts, filed_to, people) as (specialty, people):
        for person in people:
            arguments = matching.fit_arguments(person, year=YEAR)
            read = matching.page_reader(person, year=YEAR)
            expected = with_fit_order(person, "")
            names = [*ANNOTATIONS, *fit_evidence(arguments)]
            for bottom, top in [(0, 3), (2, 5), (0, 20)]:
                page = read(bottom, top)
                assert [p.pk for p in page] == [p.pk for p in expected[bottom:top]]
                for program, fitted in zip(page, expected[bottom:top], strict=True):
                    assert annotations(program, names) == annotations(fitted, names)
                    assert "fit_verdict" in program.__dict__ and "fit_failed" in program.__dict__
                    assert program.application_service is None


@pytest.fixture
def many_programs(internal_medicine):
    """More than a page of the profile's programs, of every verdict, with names that tie."""
    eligible = {
        **{"accepts_imgs": "yes", "sponsors_h1b": "yes", "step2_policy": "none"},
        **{"graduation_policy": "none", "usce_policy": "not_required"},
        "ecfmg_certified_by": "rank_list",
    }
    refusing = {"step2_policy": "hard", "step2_minimum": 240}
    facts = [eligible, refusing, {}, {**refusing, "scores_as_of": LONG_AGO}]
    return [
        ProgramFactory(
            name=NAMES[i % len(NAMES)], specialty=internal_medicine, state="TX", **facts[i % 4]
        )
        for i in range(60)
    ]


QUERIES = [
    {},
    {"page": "2"},
    {"page": "3"},
    {"page": "9"},
    {"page": "x"},
    *({"verdict": verdict} for verdict in Verdict.values),
    {"verdict": "not_eligible", "page": "2"},
    {"verdict": "bogus"},
]


@pytest.mark.parametrize("query", QUERIES)
def test_the_matches_page_reads_the_same_by_kinds_as_by_the_filter_set(
    client, answers, many_programs, monkeypatch, query
):
    client.post(reverse("applicants:profile"), answers)
    url = reverse("applicants:matches")
    client.get(url)  # the message that the profile was saved
    by_kinds = without_csrf_token(client.get(url, query))
    monkeypatch.setattr(matches_view, "_page_reader", lambda *args: None)
    by_filter_set = without_csrf_token(client.get(url, query))
    assert by_kinds == by_filter_set
    assert "program-row" in by_kinds


def test_the_matches_page_reads_its_rows_by_kinds_without_the_filter_set(
    client, answers, many_programs, monkeypatch
):
    client.post(reverse("applicants:profile"), answers)

    def never(*args, **kwargs):
        raise AssertionError("with_fit compiled")

    monkeypatch.setattr(Program.objects.get_queryset().__class__, "with_fit", never)
    assert client.get(reverse("applicants:matches")).status_code == 200
    assert client.get(reverse("applicants:matches"), {"verdict": "eligible"}).status_code == 200
