"""The registry of requirements (programs/requirements.py): every list of requirements the
site shows is built from it, so each entry must be complete."""

import pytest

from programs.choices import FactGroup, Outcome
from programs.models import Program
from programs.requirements import BY_ANNOTATION, BY_ARGUMENT, REQUIREMENTS, WHAT_IF_ORDER
from tests.factories import ProgramFactory

PROGRAM_FIELDS = {f.name for f in Program._meta.get_fields()}


@pytest.mark.parametrize("requirement", REQUIREMENTS, ids=lambda r: r.key)
def test_every_requirement_has_words_for_every_outcome(requirement):
    assert set(requirement.words) == set(Outcome)
    assert all(words.strip() for words in requirement.words.values())


@pytest.mark.parametrize("requirement", REQUIREMENTS, ids=lambda r: r.key)
def test_every_requirement_reads_fields_of_its_fact_group(requirement):
    assert requirement.group in FactGroup
    assert requirement.fields and set(requirement.fields) <= PROGRAM_FIELDS


@pytest.mark.django_db
@pytest.mark.parametrize("requirement", REQUIREMENTS, ids=lambda r: r.key)
def test_every_requirement_says_what_an_unpublished_program_says_and_notes_only_outcomes(
    requirement,
):
    program = ProgramFactory()
    assert requirement.program_says(program)
    assert set(requirement.notes(program)) <= set(Outcome) - {Outcome.MET}


def test_keys_arguments_and_annotations_name_one_requirement_each():
    assert len(BY_ARGUMENT) == len(BY_ANNOTATION) == len({r.key for r in REQUIREMENTS})
    assert len(REQUIREMENTS) == len(BY_ARGUMENT)
    assert set(WHAT_IF_ORDER) <= set(REQUIREMENTS)


def test_with_fit_refuses_an_argument_no_requirement_takes(db):
    with pytest.raises(TypeError, match="step1"):
        Program.objects.with_fit(step1=230)
