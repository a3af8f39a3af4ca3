"""Verdicts an applicant can trust: each bucket, rules that do not concern the applicant,
newer evidence against an old answer, and Step 3 for an H-1B."""

import datetime
from dataclasses import replace

import pytest

from applicants.costs import cost_plan, fees_by_kind
from applicants.matching import fit_arguments, programs_for
from applicants.models import ShortlistEntry
from applicants.presenters import program_fit
from programs.choices import H1B_EVIDENCE_PERIOD, Outcome, Verdict
from programs.models import Fee, SponsorH1bFilings
from tests.factories import ProgramFactory, SpecialtyFactory, SponsorFactory

pytestmark = pytest.mark.django_db

YEAR = 2027  # training starts in July 2027
FREIDA_2016 = {"visa_source_label": "FREIDA, 2016", "visa_as_of": datetime.date(2016, 2, 28)}
RECENTLY = datetime.date.today() - datetime.timedelta(days=3)
# What a program states about everything a US MD is asked, all of it met.
KNOWN_AND_MET = {"step2_policy": "none", "graduation_policy": "none"}


def fitted(applicant, program):
    return (
        programs_for(applicant).with_fit(**fit_arguments(applicant, year=YEAR)).get(pk=program.pk)
    )


def fit_of(applicant, program):
    return program_fit(fitted(applicant, program), applicant, year=YEAR)


def filed_h1bs(sponsor, *, filings=13, filed_to=datetime.date(2025, 3, 24)):
    return SponsorH1bFilings.objects.create(
        sponsor=sponsor,
        filings=filings,
        period=f"from {H1B_EVIDENCE_PERIOD}",
        filed_from=datetime.date(2024, 9, 24),
        filed_to=filed_to,
        source_label="Generated Labor Department data",
    )


@pytest.fixture
def us_md_senior(img):
    """A US MD senior graduating the spring training starts, Step 2 CK 250."""
    return replace(
        img,
        applicant_type="us_md",
        visa_needed="none",
        graduation_year=YEAR,
        step2_score=250,
        usce_months=0,
    )


# --- Newer evidence against an old answer ----------------------------------------------


def test_h1b_filings_after_a_2016_no_make_the_no_doubtful_and_show_both(img, internal_medicine):
    program = ProgramFactory(specialty=internal_medicine, sponsors_h1b="no", **FREIDA_2016)
    filed_h1bs(program.sponsor)
    fit = fit_of(img, program)
    visa = next(r for r in fit.reasons if r.requirement == "Visa")
    assert visa.outcome == Outcome.DOUBTFUL
    assert fit.verdict == Verdict.POSSIBLY_ELIGIBLE
    # The old answer with its date, and the newer evidence with its own.
    assert "H-1B: no" in visa.program_says
    assert visa.source == "FREIDA, 2016, as of Feb 2016"
    assert visa.evidence == (
        "its sponsoring institution filed 13 H-1B applications for residents and fellows "
        f"from {H1B_EVIDENCE_PERIOD} (Generated Labor Department data)"
    )


def test_a_curators_check_after_the_filings_keeps_the_no(img, internal_medicine):
    program = ProgramFactory(
        specialty=internal_medicine,
        sponsors_h1b="no",
        visa_source_label="Generated program website",
        visa_verified_on=RECENTLY,
    )
    filed_h1bs(program.sponsor)
    fit = fit_of(img, program)
    assert fitted(img, program).fit_visa == Outcome.NOT_MET
    assert fit.verdict == Verdict.NOT_ELIGIBLE
    assert next(r for r in fit.reasons if r.requirement == "Visa").evidence == ""


def test_filings_of_another_sponsor_change_nothing(img, internal_medicine):
    program = ProgramFactory(specialty=internal_medicine, sponsors_h1b="no", **FREIDA_2016)
    filed_h1bs(SponsorFactory())
    assert fitted(img, program).fit_visa == Outcome.NOT_MET
    assert fit_of(img, program).verdict == Verdict.NOT_ELIGIBLE_BY_OLD_ANSWER


def test_filings_do_not_speak_for_j1(img, internal_medicine):
    program = ProgramFactory(specialty=internal_medicine, sponsors_j1="no", **FREIDA_2016)
    filed_h1bs(program.sponsor)
    j1 = replace(img, visa_needed="j1")
    assert fitted(j1, program).fit_visa == Outcome.NOT_MET


# --- The four buckets -----------------------------------------------------------------------


def test_each_bucket(us_md_senior, internal_medicine):
    eligible = ProgramFactory(specialty=internal_medicine, **KNOWN_AND_MET)
    possibly = ProgramFactory(specialty=internal_medicine, step2_policy="unknown")
    old = ProgramFactory(
        specialty=internal_medicine,
        step2_policy="hard",
        step2_minimum=255,
        scores_source_label="FREIDA, 2016",
        scores_as_of=datetime.date(2016, 2, 28),
    )
    current = ProgramFactory(
        specialty=internal_medicine,
        step2_policy="hard",
        step2_minimum=255,
        scores_source_label="Generated program website",
        scores_verified_on=RECENTLY,
    )
    verdicts = {p: fit_of(us_md_senior, p).verdict for p in (eligible, possibly, old, current)}
    assert verdicts == {
        eligible: Verdict.ELIGIBLE,
        possibly: Verdict.POSSIBLY_ELIGIBLE,
        old: Verdict.NOT_ELIGIBLE_BY_OLD_ANSWER,
        current: Verdict.NOT_ELIGIBLE,
    }
    assert fit_of(us_md_senior, old).verdict_words == "Not eligible by a 2016 answer"
    fitted_all = programs_for(us_md_senior).with_fit(**fit_arguments(us_md_senior, year=YEAR))
    assert [p.pk for p in fitted_all.best_verdict_first()] == [
        eligible.pk,
        possibly.pk,
        old.pk,
        current.pk,
    ]


# --- Rules for the applicants they concern ------------------------------------------------


def test_a_us_md_senior_is_eligible_where_every_rule_for_them_is_known_and_met(
    us_md_senior, internal_medicine
):
    # IMG rules a curator recorded do not concern a US MD.
    program = ProgramFactory(
        specialty=internal_medicine,
        usce_policy="required",
        usce_months=3,
        accepts_imgs="no",
        sponsors_j1="no",
        sponsors_h1b="no",
        ecfmg_certified_by="application",
        **KNOWN_AND_MET,
    )
    row = fitted(us_md_senior, program)
    for annotation in ("fit_img", "fit_visa", "fit_usce", "fit_ecfmg", "fit_comlex"):
        assert getattr(row, annotation) == Outcome.NOT_APPLICABLE
    assert row.fit_verdict == Verdict.ELIGIBLE
    assert [r.requirement for r in fit_of(us_md_senior, program).reasons] == [
        "Step 2 CK minimum",
        "Years since graduation",
    ]


def test_a_senior_meets_any_graduation_limit_even_an_unpublished_one(
    us_md_senior, internal_medicine
):
    limit = ProgramFactory(
        specialty=internal_medicine, graduation_policy="limit", max_years_since_graduation=1
    )
    unpublished = ProgramFactory(specialty=internal_medicine, graduation_policy="unknown")
    assert fitted(us_md_senior, limit).fit_graduation == Outcome.MET
    assert fitted(us_md_senior, unpublished).fit_graduation == Outcome.MET
    reason = next(
        r for r in fit_of(us_md_senior, limit).reasons if r.requirement == "Years since graduation"
    )
    assert reason.you == f"you graduate in {YEAR}, before training starts"


def test_a_graduate_is_still_held_to_a_published_limit(us_md_senior, internal_medicine):
    program = ProgramFactory(
        specialty=internal_medicine, graduation_policy="limit", max_years_since_graduation=1
    )
    graduated = replace(us_md_senior, graduation_year=YEAR - 3)
    assert fitted(graduated, program).fit_graduation == Outcome.NOT_MET


def test_a_do_on_comlex_is_not_held_to_step2(img, internal_medicine):
    program = ProgramFactory(
        specialty=internal_medicine, step2_policy="hard", step2_minimum=250, comlex_accepted="yes"
    )
    do = replace(
        img, applicant_type="us_do", visa_needed="none", step2_score=None, comlex2_score=520
    )
    row = fitted(do, program)
    assert (row.fit_step2, row.fit_comlex) == (Outcome.NOT_APPLICABLE, Outcome.MET)


def test_a_us_img_citizen_needs_no_visa_but_meets_img_rules(img, internal_medicine):
    program = ProgramFactory(
        specialty=internal_medicine, sponsors_h1b="no", sponsors_j1="no", accepts_imgs="yes"
    )
    us_img = replace(img, applicant_type="us_img", visa_needed="none")
    row = fitted(us_img, program)
    assert (row.fit_visa, row.fit_img) == (Outcome.NOT_APPLICABLE, Outcome.MET)


# --- Step 3 and an H-1B ----------------------------------------------------------------------


def test_an_h1b_without_step3_is_met_with_a_warning(img, internal_medicine):
    program = ProgramFactory(specialty=internal_medicine, sponsors_h1b="yes")
    assert fitted(img, program).fit_visa == Outcome.MET_WITH_WARNING
    reason = next(r for r in fit_of(img, program).reasons if r.requirement == "Visa")
    assert reason.outcome_words == "met, once you pass Step 3"
    assert reason.you == "you need an H-1B (Step 3 not passed yet)"
    assert fitted(replace(img, step3_passed=True), program).fit_visa == Outcome.MET


def test_a_programs_step3_date_for_h1b_is_not_met_without_step3(img, internal_medicine):
    program = ProgramFactory(
        specialty=internal_medicine,
        sponsors_h1b="yes",
        h1b_step3_by=datetime.date(YEAR, 4, 30),
    )
    assert fitted(img, program).fit_visa == Outcome.NOT_MET
    assert fitted(replace(img, step3_passed=True), program).fit_visa == Outcome.MET
    # Either visa would do, and the program takes J-1: Step 3 is not needed.
    program.sponsors_j1 = "yes"
    program.save()
    assert fitted(replace(img, visa_needed="either"), program).fit_visa == Outcome.MET


# --- What it costs -------------------------------------------------------------------------


def test_the_cost_planner_keeps_old_answers_apart(shipped_fees, applicant_user, img):
    fees = fees_by_kind(Fee.objects.current())
    medicine = SpecialtyFactory()
    for program in ProgramFactory.create_batch(12, specialty=medicine):
        ShortlistEntry.objects.create(user=applicant_user, program=program)
    entries = list(ShortlistEntry.objects.of(applicant_user))
    for entry, verdict in zip(
        entries,
        ["not_eligible"] * 2 + ["not_eligible_old"] * 3 + ["possibly_eligible"] * 7,
        strict=True,
    ):
        entry.service, entry.verdict, entry.match_kind = "eras", verdict, "nrmp_main"
    plan = cost_plan(entries, applicant=img, fees=fees)
    assert (plan.not_eligible, plan.not_eligible_old) == (2, 3)
    assert (plan.wasted, plan.wasted_old) == (22, 33)
