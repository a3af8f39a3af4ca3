"""What applying costs (applicants/costs.py) on the fees shipped in fixtures/fees.csv: the
worked examples AAMC and SAEM publish hold exactly, every band boundary, and what the
not-eligible programs of a shortlist add."""

import pytest
from django.conf import settings

from applicants.costs import application_fee, cost_plan, fees_by_kind, what_if_plan
from applicants.models import ShortlistEntry
from programs.choices import FeeKind, Level, MatchKind
from programs.loaders import load_fees
from programs.models import Fee, Specialty
from tests.factories import ProgramFactory, SeasonFactory, SpecialtyFactory

pytestmark = pytest.mark.django_db

FEES_FILE = settings.BASE_DIR / "fixtures" / "fees.csv"


@pytest.fixture
def fees(shipped_fees):
    return fees_by_kind(Fee.objects.current())


def fee(fees, kind, specialty=None):
    return fees[(kind, specialty.pk if specialty else None)]


@pytest.mark.parametrize(
    ("count", "cost"), [(0, 0), (1, 11), (29, 319), (30, 330), (31, 360), (32, 390), (43, 720)]
)
def test_eras_residency_fees_per_band(fees, count, cost):
    assert fee(fees, FeeKind.ERAS_RESIDENCY).cost(count) == cost


@pytest.mark.parametrize(
    ("count", "cost"),
    [(1, 115), (10, 115), (11, 132), (20, 285), (21, 305), (30, 485), (31, 512)],
)
def test_eras_fellowship_fees_per_band(fees, count, cost):
    assert fee(fees, FeeKind.ERAS_FELLOWSHIP).cost(count) == cost


def test_the_worked_examples_hold_exactly(fees):
    eras = fee(fees, FeeKind.ERAS_RESIDENCY)
    assert eras.cost(30) == 330
    assert eras.cost(43) + eras.cost(7) == 797
    assert eras.cost(32) + eras.cost(32) == 780


def test_residencycas_emergency_medicine_46_programs_cost_683(fees):
    emergency = Specialty.objects.get(code="110")
    cas = Fee.objects.current().get(kind=FeeKind.RESIDENCYCAS)
    assert cas.specialty == emergency
    assert cas.cost(18) == 99
    assert cas.cost(19) == 117
    assert cas.cost(46) == 683


def test_ranks_beyond_twenty_cost_thirty_each(fees):
    extra = fee(fees, FeeKind.NRMP_EXTRA_RANKS)
    assert extra.cost(20) == 0
    assert extra.cost(21) == 30
    assert extra.cost(25) == 150


def test_the_current_seasons_fees_say_they_are_last_seasons(fees):
    current = Fee.objects.current()
    assert current.count() == Fee.objects.filter(season__match_year=2026).count() > 0
    assert not any(f.confirmed for f in current)
    assert all("latest published amount" in f.notes for f in current)
    assert Fee.objects.get(season__match_year=2026, kind=FeeKind.ERAS_RESIDENCY).confirmed


def test_loading_again_keeps_what_curators_changed(fees):
    eras = Fee.objects.current().get(kind=FeeKind.ERAS_RESIDENCY)
    eras.confirmed = True
    eras.save()
    counts = load_fees(path=FEES_FILE, change_reason="again")
    assert counts.created == 0
    assert Fee.objects.current().get(kind=FeeKind.ERAS_RESIDENCY).confirmed


def test_a_fellowship_without_a_recorded_service_is_priced_as_eras_and_says_so(fees):
    fellowship = SpecialtyFactory(level=Level.FELLOWSHIP)
    application = application_fee(fellowship, None, fees)
    assert application.cost(11) == 132
    assert "Assumes" in application.assumed


def test_ophthalmology_through_sf_match_has_no_amount_and_says_why(fees):
    application = application_fee(SpecialtyFactory(), "sf_match", fees)
    assert application.cost(5) is None
    assert "SF Match" in application.problem


def _entries(
    user, specialty, count, *, not_eligible=0, status="considering", match=MatchKind.NRMP_MAIN
):
    for program in ProgramFactory.create_batch(count, specialty=specialty):
        ShortlistEntry.objects.create(user=user, program=program, status=status)
    entries = list(ShortlistEntry.objects.of(user).filter(program__specialty=specialty))
    for entry in entries:
        entry.service = "eras"
        entry.match_kind = match
        entry.verdict = "possibly_eligible"
    for entry in entries[:not_eligible]:
        entry.verdict = "not_eligible"
    return entries


def test_not_eligible_programs_are_priced_as_the_last_and_dearest(fees, applicant_user, img):
    medicine = SpecialtyFactory()
    entries = _entries(applicant_user, medicine, 32, not_eligible=3)
    plan = cost_plan(entries, applicant=img, fees=fees)
    (line,) = plan.specialties
    assert line.amount == 390
    assert line.wasted == 390 - 319
    assert line.past_boundary == 2
    assert plan.wasted == 71
    # USMLE transcript $80, ECFMG token $165, NRMP registration $70.
    assert plan.total == 390 + 80 + 165 + 70


def test_two_specialties_are_counted_apart(fees, applicant_user, img):
    medicine, radiology = SpecialtyFactory(), SpecialtyFactory()
    entries = _entries(applicant_user, medicine, 43) + _entries(applicant_user, radiology, 7)
    plan = cost_plan(entries, applicant=img, fees=fees)
    assert sum(line.amount for line in plan.specialties) == 797


def _nrmp_fees(plan) -> list[str]:
    kinds = (FeeKind.NRMP_REGISTRATION, FeeKind.NRMP_EXTRA_RANKS)
    return [line.fee.kind for line in plan.once if line.fee.kind in kinds]


def test_nrmp_fees_apply_only_to_main_match_programs(fees, applicant_user, img):
    urology = _entries(applicant_user, SpecialtyFactory(), 4, match=MatchKind.AUA)
    plan = cost_plan(urology, applicant=img, fees=fees, ranks=25)
    assert _nrmp_fees(plan) == []
    assert plan.missing == ["AUA Urology Match fees"]
    assert plan.total == 44 + 80 + 165

    medicine = _entries(applicant_user, SpecialtyFactory(), 2)
    plan = cost_plan(urology + medicine, applicant=img, fees=fees, ranks=25)
    assert _nrmp_fees(plan) == [FeeKind.NRMP_REGISTRATION, FeeKind.NRMP_EXTRA_RANKS]
    assert plan.missing == ["AUA Urology Match fees"]


@pytest.mark.parametrize(
    ("match", "missing"),
    [
        (MatchKind.NRMP_SMS, "NRMP Specialties Matching Service fees"),
        (MatchKind.SF_MATCH, "SF Match fees"),
        (None, "the match fees of programs whose match is not recorded"),
    ],
)
def test_other_matches_fees_read_as_unknown(fees, applicant_user, img, match, missing):
    entries = _entries(applicant_user, SpecialtyFactory(), 2, match=match)
    plan = cost_plan(entries, applicant=img, fees=fees)
    assert _nrmp_fees(plan) == []
    assert plan.missing == [missing]


def test_ranking_more_than_twenty_adds_the_extra_ranks(fees, applicant_user, img):
    entries = _entries(applicant_user, SpecialtyFactory(), 3)
    plan = cost_plan(entries, applicant=img, fees=fees, ranks=23)
    extra = [line for line in plan.once if line.fee.kind == FeeKind.NRMP_EXTRA_RANKS]
    assert [line.amount for line in extra] == [90]


def test_a_fee_for_a_specialty_the_directory_lacks_is_refused_by_name(db, tmp_path):
    SeasonFactory(match_year=2026, is_current=False)
    SeasonFactory(match_year=2027, is_current=True)
    with pytest.raises(ValueError, match="specialty 110"):
        load_fees(path=FEES_FILE, change_reason="test")


def test_application_fees_are_summed_per_service(fees, applicant_user, img):
    emergency = Specialty.objects.get(code="110")
    medicine = SpecialtyFactory()
    entries = _entries(applicant_user, medicine, 3)
    for entry in _entries(applicant_user, emergency, 2):
        entry.service = "residencycas"
        entries.append(entry)
    plan = cost_plan(entries, applicant=img, fees=fees)
    assert plan.by_service == [("ERAS", 33), ("ResidencyCAS", 99)]


CONTENT_DIR = settings.BASE_DIR / "fixtures" / "content"


def test_the_shipped_faq_and_guides_price_emergency_medicine_through_residencycas(fees):
    """Emergency medicine applies through ResidencyCAS: wherever the shipped content puts a
    price on it, the same paragraph names ResidencyCAS, and 30 programs cost what its bands
    say, never ERAS's $330."""
    cas = Fee.objects.current().get(kind=FeeKind.RESIDENCYCAS)
    thirty = f"${cas.cost(30)}"
    assert thirty == "$315"
    priced = {}
    for path in sorted(CONTENT_DIR.glob("*/*.md")):
        for paragraph in path.read_text().split("\n"):
            if "emergency medicine" in paragraph.lower() and "$" in paragraph:
                priced.setdefault(path.name, []).append(paragraph)
    assert set(priced) >= {"how-many-programs-and-cost.md", "costs-of-applying.md"}
    for name, paragraphs in priced.items():
        for paragraph in paragraphs:
            assert "ResidencyCAS" in paragraph, (name, paragraph)
            assert "$330" not in paragraph, (name, paragraph)
        assert any(thirty in p for p in paragraphs), name


def test_residencycas_marks_where_its_flat_price_ends_not_erass_30(fees):
    emergency = Specialty.objects.get(code="110")
    cas = application_fee(emergency, "residencycas", fees)
    eras = application_fee(SpecialtyFactory(), "eras", fees)
    fellowship = application_fee(SpecialtyFactory(level=Level.FELLOWSHIP), None, fees)
    assert (cas.service, cas.boundary, cas.flat) == ("ResidencyCAS", 18, True)
    assert (eras.service, eras.boundary, eras.flat) == ("ERAS", 30, False)
    assert (fellowship.boundary, fellowship.flat) == (10, True)


def test_a_what_if_adds_the_fees_paid_once_a_season_without_a_shortlist(fees, img):
    emergency = Specialty.objects.get(code="110")
    plan = what_if_plan(
        specialty=emergency,
        service="residencycas",
        match=MatchKind.NRMP_MAIN,
        count=12,
        applicant=img,
        fees=fees,
    )
    assert plan.specialties[0].amount == 99
    # ERAS's transcript fee and ECFMG's token for ERAS are not paid to apply through
    # ResidencyCAS alone; what ResidencyCAS charges for transcripts is not in the data.
    assert {line.fee.kind: line.amount for line in plan.once} == {
        FeeKind.NRMP_REGISTRATION: 70,
    }
    assert (plan.once_total, plan.total) == (70, 169)
    assert plan.missing == ["the fees ResidencyCAS charges for sending USMLE or COMLEX transcripts"]
    through_eras = what_if_plan(
        specialty=SpecialtyFactory(),
        service="eras",
        match=MatchKind.NRMP_MAIN,
        count=12,
        applicant=img,
        fees=fees,
    )
    assert {line.fee.kind: line.amount for line in through_eras.once} == {
        FeeKind.USMLE_TRANSCRIPT: 80,
        FeeKind.ECFMG_TOKEN: 165,
        FeeKind.NRMP_REGISTRATION: 70,
    }
    unknown = what_if_plan(
        specialty=emergency, service="residencycas", match=None, count=12, applicant=None, fees=fees
    )
    assert FeeKind.ECFMG_TOKEN not in {line.fee.kind for line in unknown.once}
    assert FeeKind.NRMP_REGISTRATION not in {line.fee.kind for line in unknown.once}
    assert unknown.missing == [
        "the fees ResidencyCAS charges for sending USMLE or COMLEX transcripts",
        "the match fees of programs whose match is not recorded",
    ]
