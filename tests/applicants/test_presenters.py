"""What an applicant's pages say (applicants/presenters.py): reasons in plain words with
both values, the age of the facts a verdict rests on, and where they stand."""

import datetime
from dataclasses import replace

import pytest

from applicants.matching import fit_arguments, programs_for
from applicants.presenters import most_often_unknown, program_fit, standings
from programs.choices import Outcome, Verdict
from programs.models import ChartingOutcome
from tests.factories import ProgramFactory, SpecialtyFactory

pytestmark = pytest.mark.django_db


def fit_of(program, applicant):
    fitted = (
        programs_for(applicant).with_fit(**fit_arguments(applicant, year=2027)).get(pk=program.pk)
    )
    return program_fit(fitted, applicant)


def test_a_reason_gives_both_values_the_source_and_the_outcome(img, internal_medicine):
    program = ProgramFactory(
        specialty=internal_medicine,
        step2_policy="hard",
        step2_minimum=240,
        scores_source_label="FREIDA, 2016",
        scores_as_of=datetime.date(2016, 2, 28),
    )
    fit = fit_of(program, replace(img, step2_score=238))
    step2 = next(r for r in fit.reasons if r.requirement == "Step 2 CK minimum")
    assert (step2.program_says, step2.you, step2.outcome) == (
        "240, a hard cutoff",
        "you have 238",
        Outcome.NOT_MET,
    )
    assert step2.source == "FREIDA, 2016, as of Feb 2016"
    # Only a 2016 answer rules the applicant out: a bucket of its own, named by its year.
    assert fit.verdict == Verdict.NOT_ELIGIBLE_BY_OLD_ANSWER
    assert fit.verdict_words == "Not eligible by a 2016 answer"
    assert fit.failed == [step2]


def test_a_verdict_resting_on_an_old_fact_says_its_year(img, internal_medicine):
    old = ProgramFactory(
        specialty=internal_medicine,
        sponsors_h1b="no",
        visa_source_label="FREIDA, 2016",
        visa_as_of=datetime.date(2016, 2, 28),
    )
    recent = ProgramFactory(
        specialty=internal_medicine,
        sponsors_h1b="no",
        visa_source_label="Generated program website",
        visa_verified_on=datetime.date.today() - datetime.timedelta(days=3),
    )
    assert fit_of(old, img).old_facts_year == 2016
    assert fit_of(old, img).verdict == Verdict.NOT_ELIGIBLE_BY_OLD_ANSWER
    assert fit_of(recent, img).old_facts_year is None
    # A curator's recent check makes the same answer current: plainly not eligible.
    assert fit_of(recent, img).verdict == Verdict.NOT_ELIGIBLE
    assert fit_of(recent, img).verdict_words == "Not eligible"


def test_the_old_year_names_the_failed_fact_not_an_old_fact_that_is_met(img, internal_medicine):
    program = ProgramFactory(
        specialty=internal_medicine,
        accepts_imgs="yes",
        visa_source_label="FREIDA, 2016",
        visa_as_of=datetime.date(2016, 2, 28),
        step2_policy="hard",
        step2_minimum=250,
        scores_source_label="Generated program website",
        scores_verified_on=datetime.date.today() - datetime.timedelta(days=3),
    )
    fit = fit_of(program, img)
    assert fit.verdict == Verdict.NOT_ELIGIBLE
    assert [r.requirement for r in fit.failed] == ["Step 2 CK minimum"]
    assert fit.old_facts_year is None


def test_a_doubted_value_reads_as_not_confirmed_and_is_doubtful(img, internal_medicine):
    program = ProgramFactory(
        specialty=internal_medicine,
        step2_policy="hard",
        step2_minimum=123,
        step2_minimum_doubted=True,
    )
    step2 = next(r for r in fit_of(program, img).reasons if r.requirement == "Step 2 CK minimum")
    assert step2.program_says == "reported as 123: looks wrong; not confirmed"
    assert step2.outcome == Outcome.DOUBTFUL
    assert step2.outcome_words == "in doubt"


def test_a_us_graduate_never_reads_rules_for_imgs(img, internal_medicine):
    program = ProgramFactory(specialty=internal_medicine, usce_policy="required", usce_months=3)
    us_md = replace(img, applicant_type="us_md", visa_needed="none")
    assert {r.requirement for r in fit_of(program, us_md).reasons} == {
        "Step 2 CK minimum",
        "Years since graduation",
    }


def outcome(specialty, **values):
    defaults = {
        "nrmp_specialty": "Generated Internal Medicine",
        "year": 2026,
        "applicant_group": "non_us_img",
        "source_label": "Generated NRMP source",
    }
    return ChartingOutcome.objects.create(specialty=specialty, **{**defaults, **values})


@pytest.mark.parametrize(
    ("score", "phrase"),
    [
        (235, "Your 235 is below the lower quartile (240)"),
        (245, "Your 245 is below the median (251)"),
        (255, "Your 255 is at or above the median (251)"),
        (262, "Your 262 is at or above the upper quartile (259)"),
    ],
)
def test_where_a_score_falls_among_those_who_matched(img, internal_medicine, score, phrase):
    outcome(
        internal_medicine,
        step2_q1=240,
        step2_median=251,
        step2_q3=259,
        step2_not_matched_median=243,
    )
    (standing,) = standings(replace(img, step2_score=score), [internal_medicine])
    assert standing.position.startswith(phrase)
    assert "Those who did not match had a median of 243." in standing.position


def test_no_published_figures_for_the_applicants_group_says_so(img, internal_medicine):
    outcome(internal_medicine, step2_median=251)
    (do,) = standings(replace(img, applicant_type="us_do"), [internal_medicine])
    assert do.outcome is None and do.group == ""
    (us_md,) = standings(replace(img, applicant_type="us_md"), [internal_medicine])
    assert us_md.outcome is None and us_md.group == "US MD seniors"


def test_a_groups_outcomes_are_read_once_for_every_choice_of_specialties(
    img, internal_medicine, django_assert_num_queries
):
    surgery = SpecialtyFactory(name="Generated surgery", slug="generated-surgery")
    outcome(internal_medicine, year=2024, step2_median=245)
    outcome(internal_medicine, year=2026, step2_median=251)
    outcome(surgery, year=2026, step2_median=255, nrmp_specialty="Generated Surgery")
    outcome(surgery, year=2026, applicant_group="us_md_senior", step2_median=250)
    (medicine,) = standings(img, [internal_medicine])
    with django_assert_num_queries(0):
        (cutting,) = standings(replace(img, specialty_ids=(surgery.pk,)), [surgery])
    # The latest year of the applicant's own group.
    assert (medicine.outcome.year, medicine.outcome.step2_median) == (2026, 251)
    assert (cutting.outcome.applicant_group, cutting.outcome.step2_median) == ("non_us_img", 255)


def test_suppressed_scores_are_said_to_be_unpublished(img, internal_medicine):
    outcome(internal_medicine)
    (standing,) = standings(img, [internal_medicine])
    assert standing.position == "NRMP did not publish their Step 2 CK scores (too few applicants)."


def test_unknown_requirements_say_which_no_program_published_and_which_often_lack(
    img, internal_medicine
):
    ProgramFactory.create_batch(2, specialty=internal_medicine, sponsors_h1b="yes")
    ProgramFactory(
        specialty=internal_medicine,
        sponsors_h1b="yes",
        usce_policy="not_required",
        step2_policy="none",
    )
    fitted = programs_for(img).with_fit(**fit_arguments(img, year=2027))
    unknown = most_often_unknown(fitted.outcome_counts(Outcome.UNKNOWN), total=3)
    assert set(unknown.everywhere) == {
        "Accepts IMGs",
        "Years since graduation",
        "ECFMG certificate",
    }
    assert [(u.requirement, u.programs) for u in unknown.often] == [
        ("Step 2 CK minimum", 2),
        ("US clinical experience", 2),
    ]
