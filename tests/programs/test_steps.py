"""The requirements' stored steps (programs/requirements.py) decide exactly what the rules
decided when each was a SQL ``Case`` per applicant (tests/programs/rules_before_steps.py):
every outcome, every count, the verdict and the summary's "what would change it", over
generated programs and applicants. RULE_EXAMPLES=300 for a long run."""

import contextlib
import datetime
import os
from dataclasses import replace

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from applicants.matching import Applicant, fit_arguments
from applicants.models import ApplicantType, VisaNeed
from programs.choices import EcfmgDeadline, Outcome, Tri, Verdict
from programs.models import Program, SponsorH1bFilings
from programs.requirements import REQUIREMENTS
from tests.factories import ProgramFactory, SpecialtyFactory, SponsorFactory
from tests.programs.rules_before_steps import old_not_eligible, with_old_fit

pytestmark = pytest.mark.django_db

YEAR = 2027
RECENTLY = datetime.date.today() - datetime.timedelta(days=3)
LONG_AGO = datetime.date(2016, 2, 28)
COMPARED = [r.annotation for r in REQUIREMENTS] + [
    *("fit_failed", "fit_failed_old", "fit_unknown", "fit_warnings", "fit_verdict"),
]


@st.composite
def dated(draw, group: str) -> dict:
    as_of = draw(st.sampled_from([None, LONG_AGO, RECENTLY]))
    checks = [None, RECENTLY] + ([datetime.date(2019, 1, 1)] if as_of != RECENTLY else [])
    return {f"{group}_as_of": as_of, f"{group}_verified_on": draw(st.sampled_from(checks))}


@st.composite
def programs(draw) -> dict:
    """A program's requirement facts, as the models' rules allow them."""
    facts = {}
    policy = draw(st.sampled_from(["hard", "preferred", "none", "unknown"]))
    scored = policy in ("hard", "preferred")
    facts |= {
        "step2_policy": policy,
        "step2_minimum": draw(st.sampled_from([1, 200, 235, 236, 300])) if scored else None,
        "step2_minimum_doubted": scored and draw(st.booleans()),
    }
    accepted = draw(st.sampled_from(list(Tri)))
    facts |= {
        "comlex_accepted": accepted,
        "comlex_minimum": None if accepted == Tri.NO else draw(st.sampled_from([None, 9, 500])),
    }
    limit = draw(st.sampled_from(["limit", "none", "unknown"]))
    facts |= {
        "graduation_policy": limit,
        "max_years_since_graduation": draw(st.sampled_from([0, 1, 6, 7, 60]))
        if limit == "limit"
        else None,
    }
    usce = draw(st.sampled_from(["required", "preferred", "not_required", "unknown"]))
    months = {"required": [1, 3, 4, 60], "preferred": [None, 1, 3, 4]}.get(usce, [None])
    facts |= {"usce_policy": usce, "usce_months": draw(st.sampled_from(months))}
    j1, h1b = draw(st.sampled_from(list(Tri))), draw(st.sampled_from(list(Tri)))
    known = Tri.UNKNOWN not in (j1, h1b) or j1 != h1b
    facts |= {
        "sponsors_j1": j1,
        "sponsors_h1b": h1b,
        "visa_answers_doubted": known and draw(st.booleans()),
        "h1b_step3_by": None if h1b == Tri.NO else draw(st.sampled_from([None, RECENTLY])),
    }
    takes_a_visa = Tri.YES in (j1, h1b)
    imgs = draw(st.sampled_from([Tri.YES, Tri.UNKNOWN] if takes_a_visa else list(Tri)))
    facts |= {
        "accepts_imgs": imgs,
        "accepts_imgs_inferred": imgs == Tri.YES and draw(st.booleans()),
        "ecfmg_certified_by": draw(st.sampled_from(list(EcfmgDeadline))),
        "accreditation_status": draw(st.sampled_from(["continued", "continued", "withdrawn"])),
    }
    for group in ("visa", "scores", "eligibility"):
        facts |= draw(dated(group))
    return facts


applicants = st.builds(
    Applicant,
    applicant_type=st.sampled_from(list(ApplicantType)),
    graduation_year=st.sampled_from([2015, 2019, 2020, 2021, 2026, 2027, 2028]),
    visa_needed=st.sampled_from(list(VisaNeed)),
    step2_score=st.sampled_from([None, 0, 199, 200, 235, 236, 300]),
    comlex2_score=st.sampled_from([None, 8, 499, 500]),
    step3_passed=st.booleans(),
    ecfmg_certified=st.booleans(),
    usce_months=st.sampled_from([0, 1, 3, 4, 6]),
)


# Changes to an applicant, as "what would change it" tries them and beyond.
CHANGES = {
    "better score": {"step2_score": 236},
    "no score": {"step2_score": None},
    "either visa": {"visa_needed": "either"},
    "no visa": {"visa_needed": "none"},
    "step 3": {"step3_passed": True},
    "experience": {"usce_months": 4},
    "certified": {"ecfmg_certified": True},
    "graduated later": {"graduation_year": 2021},
    "a DO on COMLEX": {"applicant_type": "us_do", "step2_score": None, "comlex2_score": 500},
}


@contextlib.contextmanager
def one_specialtys_programs(facts: list[dict], filed_to: datetime.date | None, people: list):
    """Generated programs of one new specialty and sponsor, with those ``facts``; the
    sponsor's H-1B filings run to ``filed_to`` when there is one. Yields the specialty and
    the ``people`` applying to it alone; the programs are deleted after (hypothesis runs
    every example in the test's one transaction)."""
    specialty = SpecialtyFactory()
    sponsor = SponsorFactory()
    if filed_to:
        SponsorH1bFilings.objects.create(
            sponsor=sponsor,
            filings=3,
            period="generated period",
            filed_from=datetime.date(2014, 1, 1),
            filed_to=filed_to,
            source_label="Generated Labor Department data",
        )
    for program in facts:
        ProgramFactory(specialty=specialty, sponsor=sponsor, **program)
    try:
        yield specialty, [replace(person, specialty_ids=(specialty.pk,)) for person in people]
    finally:
        Program.objects.all().delete()


def one_specialty_examples(*, examples: int, most_programs: int):
    """A property over generated examples (RULE_EXAMPLES of them, ``examples`` unless told):
    the ``facts`` of up to ``most_programs`` programs of one specialty
    (``one_specialtys_programs``), their sponsor's H-1B filings to ``filed_to``, and the
    ``people`` matched against them."""

    def example(test):
        return settings(
            max_examples=int(os.environ.get("RULE_EXAMPLES", str(examples))),
            deadline=None,
            suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
        )(
            given(
                facts=st.lists(programs(), min_size=1, max_size=most_programs),
                filed_to=st.sampled_from(
                    [None, datetime.date(2015, 1, 1), datetime.date(2025, 3, 24)]
                ),
                people=st.lists(applicants, min_size=1, max_size=3),
            )(test)
        )

    return example


def rows(queryset) -> dict[str, dict]:
    return {p["acgme_id"]: p for p in queryset.values("acgme_id", *COMPARED)}


@one_specialty_examples(examples=2, most_programs=8)
def test_stored_steps_decide_what_the_rules_decided(facts, filed_to, people):
    with one_specialtys_programs(facts, filed_to, people) as (specialty, people):
        for person in people:
            arguments = fit_arguments(person, year=YEAR)
            programs = Program.objects.open_to_applicants().filter(specialty=specialty)
            new = programs.with_fit(**arguments)
            assert rows(new) == rows(with_old_fit(programs, **arguments))

            old = rows(with_old_fit(programs, **arguments))
            assert rows(new) == old
            # The summary's counts, and what each change to the applicant would leave.
            variants = {
                label: fit_arguments(replace(person, **change), year=YEAR)
                for label, change in CHANGES.items()
            }
            doubtful = (Outcome.UNKNOWN, Outcome.DOUBTFUL)
            counts = new.fit_counts(outcome=doubtful, not_eligible_with=variants)
            assert counts.verdicts == {
                verdict: sum(row["fit_verdict"] == verdict for row in old.values())
                for verdict in Verdict.values
            }
            assert counts.outcomes == {
                name: sum(row[name] in doubtful for row in old.values()) for name in counts.outcomes
            }
            assert counts.not_eligible_with == old_not_eligible(programs, variants)
