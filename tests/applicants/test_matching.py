"""Matching an applicant against programs (applicants/matching.py on top of with_fit): each
rule's branches, the verdicts, and what would change them."""

from dataclasses import replace

import pytest

from applicants.matching import Applicant, fit_arguments, programs_for, summarize
from programs.choices import Outcome, Verdict
from programs.models import Program
from programs.requirements import DOES_NOT_APPLY, VisaAsked
from tests.factories import ProgramFactory, SeasonFactory

pytestmark = pytest.mark.django_db

YEAR = 2027  # training starts in July 2027


def fitted(applicant: Applicant) -> dict[str, Program]:
    programs = programs_for(applicant).with_fit(**fit_arguments(applicant, year=YEAR))
    return {p.name: p for p in programs}


def test_an_img_needing_an_h1b_is_asked_every_requirement(img):
    arguments = fit_arguments(img, year=YEAR)
    assert arguments == {
        "graduated": 2020,
        "match_year": YEAR,
        "usce_months": 3,
        "step2": 235,
        "comlex": DOES_NOT_APPLY,
        "visa": VisaAsked(("h1b",), step3_passed=False),
        "is_img": True,
        "ecfmg_certified": False,
    }


def test_rules_for_imgs_do_not_apply_to_a_us_graduate(img):
    us_md = replace(img, applicant_type="us_md", visa_needed="none")
    arguments = fit_arguments(us_md, year=YEAR)
    for name in ("is_img", "ecfmg_certified", "visa", "usce_months", "comlex"):
        assert arguments[name] is DOES_NOT_APPLY
    assert (arguments["step2"], arguments["graduated"]) == (235, 2020)


def test_a_do_without_step2_is_matched_on_comlex(img):
    do = replace(img, applicant_type="us_do", step2_score=None, comlex2_score=520)
    arguments = fit_arguments(do, year=YEAR)
    assert arguments["comlex"] == 520 and arguments["step2"] is DOES_NOT_APPLY


@pytest.mark.parametrize(
    ("visa", "expected"),
    [
        ("j1", VisaAsked(("j1",), step3_passed=False)),
        ("h1b", VisaAsked(("h1b",), step3_passed=False)),
        ("either", VisaAsked(("j1", "h1b"), step3_passed=False)),
        ("none", DOES_NOT_APPLY),
    ],
)
def test_the_visa_asked_for(img, visa, expected):
    assert fit_arguments(replace(img, visa_needed=visa), year=YEAR)["visa"] == expected


def test_no_step2_score_fails_a_hard_minimum_and_warns_on_a_preferred_one(img, internal_medicine):
    ProgramFactory(name="Hard", specialty=internal_medicine, step2_policy="hard", step2_minimum=200)
    ProgramFactory(
        name="Preferred", specialty=internal_medicine, step2_policy="preferred", step2_minimum=200
    )
    ProgramFactory(name="None", specialty=internal_medicine, step2_policy="none")
    programs = fitted(replace(img, step2_score=None))
    assert programs["Hard"].fit_step2 == Outcome.NOT_MET
    assert programs["Preferred"].fit_step2 == Outcome.MET_WITH_WARNING
    assert programs["None"].fit_step2 == Outcome.MET


def test_years_since_graduation_count_to_the_training_start(img, internal_medicine):
    ProgramFactory(
        name="Seven",
        specialty=internal_medicine,
        graduation_policy="limit",
        max_years_since_graduation=7,
    )
    ProgramFactory(
        name="Six",
        specialty=internal_medicine,
        graduation_policy="limit",
        max_years_since_graduation=6,
    )
    programs = fitted(img)  # 2020 to July 2027: seven years
    assert programs["Seven"].fit_graduation == Outcome.MET
    assert programs["Six"].fit_graduation == Outcome.NOT_MET


@pytest.mark.parametrize(
    ("deadline", "certified", "outcome"),
    [
        ("application", False, Outcome.NOT_MET),
        ("application", True, Outcome.MET),
        ("rank_list", False, Outcome.MET),
        ("start", False, Outcome.MET),
        ("unknown", False, Outcome.UNKNOWN),
    ],
)
def test_ecfmg_certification_bars_only_when_needed_at_application(
    img, internal_medicine, deadline, certified, outcome
):
    ProgramFactory(name="P", specialty=internal_medicine, ecfmg_certified_by=deadline)
    assert fitted(replace(img, ecfmg_certified=certified))["P"].fit_ecfmg == outcome


def test_both_visas_known_no_fails_either_but_a_doubted_no_is_doubtful(img, internal_medicine):
    ProgramFactory(name="No", specialty=internal_medicine, sponsors_j1="no", sponsors_h1b="no")
    ProgramFactory(
        name="Doubted",
        specialty=internal_medicine,
        sponsors_j1="no",
        sponsors_h1b="no",
        visa_answers_doubted=True,
    )
    programs = fitted(replace(img, visa_needed="either"))
    assert programs["No"].fit_visa == Outcome.NOT_MET
    assert programs["Doubted"].fit_visa == Outcome.DOUBTFUL
    assert programs["Doubted"].fit_verdict == Verdict.POSSIBLY_ELIGIBLE


def test_verdicts_sum_up_the_outcomes(img, internal_medicine):
    everything_known = {
        "accepts_imgs": "yes",
        "sponsors_h1b": "yes",
        "step2_policy": "none",
        "graduation_policy": "none",
        "usce_policy": "not_required",
        "ecfmg_certified_by": "start",
    }
    ProgramFactory(name="Eligible", specialty=internal_medicine, **everything_known)
    ProgramFactory(
        name="Possibly",
        specialty=internal_medicine,
        **{**everything_known, "usce_policy": "unknown"},
    )
    ProgramFactory(
        name="Not",
        specialty=internal_medicine,
        **{**everything_known, "sponsors_h1b": "no", "usce_policy": "unknown"},
    )
    programs = fitted(img)
    assert {name: p.fit_verdict for name, p in programs.items()} == {
        "Eligible": Verdict.ELIGIBLE,
        "Possibly": Verdict.POSSIBLY_ELIGIBLE,
        "Not": Verdict.NOT_ELIGIBLE,
    }
    counts = programs_for(img).with_fit(**fit_arguments(img, year=YEAR)).verdict_counts()
    assert counts == {
        "eligible": 1,
        "possibly_eligible": 1,
        "not_eligible_old": 0,
        "not_eligible": 1,
    }


def test_only_the_applicants_specialties_and_states_are_matched(img, internal_medicine):
    ProgramFactory(name="Texas", specialty=internal_medicine, state="TX")
    ProgramFactory(name="Ohio", specialty=internal_medicine, state="OH")
    ProgramFactory(name="Other specialty", state="TX")
    ProgramFactory(name="Gone", specialty=internal_medicine, accreditation_status="withdrawn")
    assert set(fitted(img)) == {"Texas", "Ohio"}
    assert set(fitted(replace(img, states=("TX",)))) == {"Texas"}


def test_verdicts_for_all_programs_take_one_query(
    img, internal_medicine, django_assert_num_queries
):
    ProgramFactory.create_batch(30, specialty=internal_medicine, sponsors_h1b="no")
    with django_assert_num_queries(1):
        programs = list(programs_for(img).with_fit(**fit_arguments(img, year=YEAR)))
    assert {p.fit_verdict for p in programs} == {Verdict.NOT_ELIGIBLE}


def test_the_summary_counts_the_programs_each_change_opens(img, internal_medicine):
    ProgramFactory.create_batch(
        2, specialty=internal_medicine, step2_policy="hard", step2_minimum=240
    )
    ProgramFactory(specialty=internal_medicine, step2_policy="hard", step2_minimum=245)
    ProgramFactory(
        specialty=internal_medicine, sponsors_j1="yes", sponsors_h1b="no", accepts_imgs="yes"
    )
    ProgramFactory(specialty=internal_medicine, usce_policy="required", usce_months=6)
    ProgramFactory(specialty=internal_medicine, ecfmg_certified_by="application")
    changes = {w.change: w.opened for w in summarize(img, year=YEAR).what_ifs}
    assert changes == {
        "With a Step 2 CK score of 240": 2,
        "With a Step 2 CK score of 245": 3,
        "If either a J-1 or an H-1B would do": 1,
        "With 6 months of US clinical experience": 1,
        "Once you are ECFMG-certified": 1,
    }  # 9 months opens no more than 6, so it is not offered


def test_the_summary_of_the_matches_is_one_query(img, internal_medicine, django_assert_num_queries):
    ProgramFactory.create_batch(20, specialty=internal_medicine, sponsors_h1b="no")
    ProgramFactory(specialty=internal_medicine, sponsors_h1b="yes", accepts_imgs="yes")
    SeasonFactory(match_year=YEAR)
    with django_assert_num_queries(1):
        summary = summarize(img, year=YEAR)
    assert summary.verdicts["not_eligible"] == 20 and summary.total == 21
    assert summary.unknown["fit_usce"] == 21
    assert [w.change for w in summary.what_ifs] == ["If either a J-1 or an H-1B would do"]


def test_the_training_year_is_the_current_seasons(img):
    SeasonFactory(match_year=2027)
    from applicants.matching import training_year

    assert training_year() == 2027
