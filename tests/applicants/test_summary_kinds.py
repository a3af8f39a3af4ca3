"""The matches' summary is counted from kinds of program (``step_kinds``, ``count_kinds``):
it must give every count a program-by-program reading of ``with_fit`` gives, over generated
programs and applicants. RULE_EXAMPLES=300 for a long run."""

from dataclasses import replace

import pytest

from applicants.matching import fit_arguments
from programs.choices import Outcome, Verdict
from programs.models import Program
from programs.querysets import contradictions, count_kinds
from programs.requirements import REQUIREMENTS
from tests.programs.test_steps import (
    CHANGES,
    YEAR,
    one_specialty_examples,
    one_specialtys_programs,
)

pytestmark = pytest.mark.django_db

OUTCOMES = [r.annotation for r in REQUIREMENTS]
DOUBTFUL = (Outcome.UNKNOWN, Outcome.DOUBTFUL)


def read_one_by_one(programs, arguments: dict, variants: dict[str, dict]) -> dict:
    """The summary's counts, read program by program from ``with_fit``."""
    fitted = programs.with_fit(**arguments)
    asked = [name for name in OUTCOMES if name in fitted.query.annotations]
    rows = list(fitted.values("fit_verdict", *asked))
    not_eligible = {}
    for label, values in variants.items():
        fitted = programs.with_fit(**values)
        names = [name for name in OUTCOMES if name in fitted.query.annotations]
        not_eligible[label] = sum(Outcome.NOT_MET in row.values() for row in fitted.values(*names))
    return {
        "verdicts": {v: sum(row["fit_verdict"] == v for row in rows) for v in Verdict.values},
        "unknown": {name: sum(row[name] in DOUBTFUL for row in rows) for name in asked},
        "not_eligible_with": not_eligible,
    }


@one_specialty_examples(examples=3, most_programs=10)
def test_counting_kinds_of_program_gives_the_counts_of_each_program(facts, filed_to, people):
    with one_specialtys_programs(facts, filed_to, people) as (specialty, people):
        for person in people:
            arguments = fit_arguments(person, year=YEAR)
            variants = {
                label: fit_arguments(replace(person, **change), year=YEAR)
                for label, change in CHANGES.items()
            }
            programs = Program.objects.open_to_applicants().filter(specialty=specialty)
            kinds = programs.step_kinds(contradictions(arguments, *variants.values()))
            counts = count_kinds(kinds, arguments, outcome=DOUBTFUL, not_eligible_with=variants)
            expected = read_one_by_one(programs, arguments, variants)
            assert counts.verdicts == expected["verdicts"]
            assert counts.outcomes == expected["unknown"]
            assert counts.not_eligible_with == expected["not_eligible_with"]
            assert sum(kind["programs"] for kind in kinds) == programs.count()
