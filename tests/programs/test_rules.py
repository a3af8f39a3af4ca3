"""A Rule is checked twice with one condition: by the database, and in Python by
full_clean. The two must never disagree, or a form or an import preview would pass what the
database then refuses."""

import datetime
import os

import pytest
from django.core.exceptions import ValidationError
from django.db import DataError, IntegrityError, models, transaction
from django.db.models import Q
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from programs.models import (
    ExperiencePolicy,
    GraduationPolicy,
    Program,
    ScorePolicy,
    Season,
    Tri,
)
from programs.rules import Rule, holds
from tests.factories import MatchEventFactory, ProgramFactory

pytestmark = pytest.mark.django_db

PROGRAM_RULES = [c for c in Program._meta.constraints if isinstance(c, Rule)]


def small(low: int, high: int):
    return st.none() | st.integers(low, high)


def days():
    return st.none() | st.dates(datetime.date(2000, 1, 1), datetime.date(2000, 12, 31))


program_values = st.fixed_dictionaries(
    {
        "acgme_id": st.sampled_from(["1402411169", "123", "14024111A9", ""])
        | st.from_regex(r"[0-9A ]{0,10}", fullmatch=True),
        "name": st.sampled_from(["Generated Program", "   ", "", "x"]),
        "state": st.sampled_from(["NY", "PR", "DC", "ZZ", "ny", ""]),
        "zip_code": st.sampled_from(["", "02114", "02114-2621", "ABCDE", "2114", "02114 2621"])
        | st.from_regex(r"[0-9A-]{0,10}", fullmatch=True),
        "length_years": small(0, 12),
        "year1_positions": small(0, 600),
        "required_letters": small(0, 12),
        "originally_accredited_on": days(),
        "accreditation_effective_on": days(),
        "step2_policy": st.sampled_from(ScorePolicy.values),
        "step2_minimum": small(0, 400),
        "comlex_accepted": st.sampled_from(Tri.values),
        "comlex_minimum": small(0, 1200),
        "graduation_policy": st.sampled_from(GraduationPolicy.values),
        "max_years_since_graduation": small(0, 70),
        "usce_policy": st.sampled_from(ExperiencePolicy.values),
        "usce_months": small(0, 70),
        "sponsors_j1": st.sampled_from(Tri.values),
        "sponsors_h1b": st.sampled_from(Tri.values),
        "accepts_imgs": st.sampled_from(Tri.values),
        "h1b_note": st.sampled_from(["", "Step 3 by April"]),
    }
)


def database_refuses(pk: int, values: dict) -> bool:
    """Whether the table's CHECK constraints refuse these values (always rolled back)."""
    try:
        with transaction.atomic():
            Program.objects.filter(pk=pk).update(**values)
            transaction.set_rollback(True)
    except (IntegrityError, DataError):
        return True
    return False


def database_verdict(rule: Rule, program: Program) -> bool:
    """The database's own evaluation of one rule's condition for this row, as Django's
    CheckConstraint computes it (a query)."""
    try:
        models.CheckConstraint.validate(rule, Program, program)
    except ValidationError:
        return False
    return True


@pytest.fixture
def program():
    return ProgramFactory()


# 50 examples keep the suite fast (each evaluates every rule in the database); FUZZ_EXAMPLES
# for a long run.
@settings(
    max_examples=int(os.environ.get("FUZZ_EXAMPLES", "50")),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(values=program_values)
def test_python_and_the_database_agree_on_every_program_rule(program, values):
    candidate = Program.objects.get(pk=program.pk)
    for name, value in values.items():
        setattr(candidate, name, value)

    for rule in PROGRAM_RULES:
        assert (holds(rule.condition, candidate) is not False) == database_verdict(
            rule, candidate
        ), rule.name
    try:
        candidate.validate_constraints()
        python_refuses = False
    except ValidationError:
        python_refuses = True
    assert python_refuses == database_refuses(program.pk, values)


def test_a_broken_rule_is_reported_on_its_field_with_its_message(program):
    program.step2_policy = ScorePolicy.HARD
    with pytest.raises(ValidationError) as caught:
        program.full_clean()
    assert caught.value.message_dict == {
        "step2_minimum": [
            "A hard cutoff or a preferred minimum needs its Step 2 CK score (1 to 300); "
            "“Not required for interview consideration” and “Not reported” take none."
        ]
    }


def test_a_rule_about_an_excluded_field_is_left_to_the_form_that_excludes_it(program):
    program.step2_policy = ScorePolicy.HARD
    with pytest.raises(ValidationError):
        program.full_clean()
    # The form that leaves out step2_minimum checks it no more; the rest is still checked.
    program.full_clean(exclude=["step2_minimum"])
    program.zip_code = "ABCDE"
    with pytest.raises(ValidationError) as caught:
        program.full_clean(exclude=["step2_minimum"])
    assert set(caught.value.message_dict) == {"zip_code"}


def test_an_unknown_comparison_passes_as_in_sql(program):
    rule = Rule(
        condition=Q(year1_positions__lte=10),
        name="generated_rule",
        field="year1_positions",
        violation_error_message="Generated message.",
    )
    program.year1_positions = None
    assert holds(rule.condition, program) is None
    rule.validate(Program, program)
    program.year1_positions = 11
    with pytest.raises(ValidationError):
        rule.validate(Program, program)


def test_a_comparison_with_another_field_reads_that_field():
    event = MatchEventFactory(date=datetime.date(2027, 3, 15))
    event.end_date = event.date - datetime.timedelta(days=1)
    with pytest.raises(ValidationError) as caught:
        event.full_clean(validate_unique=False)
    assert caught.value.message_dict == {"end_date": ["An event must not end before it starts."]}


def test_a_rule_must_name_a_field_its_condition_reads():
    with pytest.raises(ValueError, match="ignores"):
        Rule(condition=Q(name="x"), name="generated", field="city", violation_error_message="")


def test_a_rule_refuses_what_python_cannot_evaluate():
    with pytest.raises(TypeError, match="name__icontains"):
        Rule(
            condition=Q(name__icontains="x"),
            name="generated",
            field="name",
            violation_error_message="",
        )


def test_a_rule_survives_the_round_trip_through_a_migration():
    rule = next(c for c in Season._meta.constraints if isinstance(c, Rule))
    path, args, kwargs = rule.deconstruct()
    assert path == "programs.rules.Rule"
    assert Rule(*args, **kwargs) == rule
